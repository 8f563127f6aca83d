// Lower-case hex of bytes, for ids built on the request path without per-byte formatting or string concatenation.
const HEX_CODE: readonly number[] = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** One reused array of character codes per output length (the ids have a few fixed lengths). */
const scratch: number[][] = [];

/**
 * The reused character-code array for a string of `length` characters, valid until the next call for that length:
 * fill it (`writeHex`, `writeHexByte`), then make the string with `charCodesToString`. A string built with `+=` per
 * byte is a chain of intermediate strings (~0.5 KB per id on the request path); this allocates the string only.
 */
export function charCodeScratch(length: number): number[] {
  let out = scratch[length];
  if (out === undefined) {
    out = new Array<number>(length).fill(0);
    scratch[length] = out;
  }
  return out;
}

/** Writes the two hex digits of `byte` into `into` at `at`. */
export function writeHexByte(into: number[], at: number, byte: number): void {
  into[at] = HEX_CODE[(byte >> 4) & 15]!;
  into[at + 1] = HEX_CODE[byte & 15]!;
}

/** Writes the hex digits of `bytes[from, from + count)` into `into` at `at`. */
export function writeHex(into: number[], at: number, bytes: Uint8Array, from: number, count: number): void {
  for (let i = 0; i < count; i++) writeHexByte(into, at + 2 * i, bytes[from + i]!);
}

/** The string of the character codes in `codes`. */
export function charCodesToString(codes: readonly number[]): string {
  return String.fromCharCode.apply(null, codes as number[]);
}
