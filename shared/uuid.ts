// Random UUIDs (version 4, RFC 9562 §5.4) from random bytes the caller supplies (a pooled CSPRNG in the proxy).
import { charCodeScratch, charCodesToString, writeHex, writeHexByte } from "./hex";

const DASH = 0x2d;

/** `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx` with the version nibble 4 and the variant bits 10 (V is 8, 9, a or b). */
export function uuidV4(randomBytes: (length: number) => Uint8Array): string {
  const b = randomBytes(16);
  if (b.length < 16) throw new RangeError(`randomBytes returned ${b.length} bytes, wanted 16`);
  const out = charCodeScratch(36);
  writeHex(out, 0, b, 0, 4);
  out[8] = DASH;
  writeHex(out, 9, b, 4, 2);
  out[13] = DASH;
  writeHexByte(out, 14, (b[6]! & 0x0f) | 0x40);
  writeHexByte(out, 16, b[7]!);
  out[18] = DASH;
  writeHexByte(out, 19, (b[8]! & 0x3f) | 0x80);
  writeHexByte(out, 21, b[9]!);
  out[23] = DASH;
  writeHex(out, 24, b, 10, 6);
  return charCodesToString(out);
}
