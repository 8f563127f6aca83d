// Random UUIDs (version 4, RFC 9562 §5.4) from random bytes the caller supplies (a pooled CSPRNG in the proxy).
import { HEX_BYTE } from "./hex";

/** `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx` with the version nibble 4 and the variant bits 10 (V is 8, 9, a or b). */
export function uuidV4(randomBytes: (length: number) => Uint8Array): string {
  const b = randomBytes(16);
  if (b.length < 16) throw new RangeError(`randomBytes returned ${b.length} bytes, wanted 16`);
  const h = (i: number) => HEX_BYTE[b[i]!]!;
  return (
    h(0) +
    h(1) +
    h(2) +
    h(3) +
    "-" +
    h(4) +
    h(5) +
    "-" +
    HEX_BYTE[(b[6]! & 0x0f) | 0x40]! +
    h(7) +
    "-" +
    HEX_BYTE[(b[8]! & 0x3f) | 0x80]! +
    h(9) +
    "-" +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  );
}
