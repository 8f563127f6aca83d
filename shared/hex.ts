// Lower-case hex of each byte value, for ids built on the request path without per-byte formatting.
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
