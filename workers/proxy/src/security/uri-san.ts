// The URI SANs of a DER X.509 certificate: just enough DER to reach extension 2.5.29.17, nothing more.

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlv(der: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = der[at] ?? 0;
  let len = der[at + 1] ?? 0;
  let start = at + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 3 || start + count > limit) return null;
    len = 0;
    for (let i = 0; i < count; i++) len = (len << 8) | (der[start + i] ?? 0);
    start += count;
  }
  const end = start + len;
  return end > limit ? null : { tag, start, end };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = tlv(der, at, parent.end);
    if (child === null) return null;
    out.push(child);
    at = child.end;
  }
  return out;
}

const SAN_OID = [0x55, 0x1d, 0x11];

/** URI SANs (`[6] IA5String`) of the certificate; null when the DER is malformed. */
export function uriSubjectAltNames(der: Uint8Array): string[] | null {
  const cert = tlv(der, 0, der.length);
  if (cert === null || cert.tag !== 0x30) return null;
  const tbs = children(der, cert)?.[0];
  if (tbs === undefined || tbs.tag !== 0x30) return null;
  const fields = children(der, tbs);
  if (fields === null) return null;
  const extensionsWrapper = fields.find((f) => f.tag === 0xa3);
  if (extensionsWrapper === undefined) return [];
  const list = children(der, extensionsWrapper)?.[0];
  const extensions = list === undefined ? null : children(der, list);
  if (extensions === null) return null;
  const uris: string[] = [];
  for (const ext of extensions) {
    const parts = children(der, ext);
    const oid = parts?.[0];
    const value = parts?.at(-1);
    if (parts === null || oid === undefined || value === undefined || oid.tag !== 0x06 || value.tag !== 0x04)
      return null;
    const isSan = oid.end - oid.start === 3 && SAN_OID.every((b, i) => der[oid.start + i] === b);
    if (!isSan) continue;
    const names = tlv(der, value.start, value.end);
    const entries = names === null || names.tag !== 0x30 ? null : children(der, names);
    if (entries === null) return null;
    for (const name of entries) {
      if (name.tag === 0x86) uris.push(String.fromCharCode(...der.subarray(name.start, name.end)));
    }
  }
  return uris;
}

/** RFC 9440 `Client-Cert` value (`:base64 DER:`) or plain base64 → DER bytes; null when it is neither. */
export function derFromRfc9440(value: string): Uint8Array | null {
  const b64 = value.startsWith(":") && value.endsWith(":") ? value.slice(1, -1) : value;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
