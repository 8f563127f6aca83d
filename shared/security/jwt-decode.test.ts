// Unverified JWT decoding: size first, strict base64url, three segments, JSON objects.
import { describe, expect, it } from "vitest";
import { base64UrlDecode, base64UrlEncode, decodeJwt, MAX_JWT_BYTES } from "./jwt-decode";

const enc = (v: unknown) => base64UrlEncode(new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v)));
const token = (header: unknown, payload: unknown, sig = "c2ln") => `${enc(header)}.${enc(payload)}.${sig}`;

describe("base64url", () => {
  it.each([
    ["", []],
    ["AA", [0]],
    ["AAE", [0, 1]],
    ["AAEC", [0, 1, 2]],
    ["_-8", [255, 239]],
  ])("%j decodes to %j and round-trips", (text, bytes) => {
    expect(Array.from(base64UrlDecode(text) ?? [-1])).toEqual(bytes);
    expect(base64UrlEncode(Uint8Array.from(bytes))).toBe(text);
  });

  it.each([
    ["AA==", "padding"],
    ["A", "impossible length"],
    ["AB", "non-zero trailing bits"],
    ["a+b/", "standard alphabet"],
    ["a b", "space"],
    ["é", "non-ASCII"],
  ])("%j is refused (%s)", (text) => expect(base64UrlDecode(text)).toBeNull());
});

describe("decodeJwt", () => {
  it("decodes header, payload, signing input and signature", () => {
    const t = token({ alg: "ES256", kid: "k1" }, { iss: "i", sub: "s" });
    const r = decodeJwt(t);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.header).toEqual({ alg: "ES256", kid: "k1" });
    expect(r.value.payload).toEqual({ iss: "i", sub: "s" });
    expect(r.value.signingInput).toBe(t.slice(0, t.lastIndexOf(".")));
    expect(new TextDecoder().decode(r.value.signature)).toBe("sig");
  });

  it("accepts an empty signature so that alg:none is reported by the header check", () => {
    expect(decodeJwt(token({ alg: "none" }, { sub: "x" }, "")).ok).toBe(true);
  });

  it.each([
    ["oversized (checked before decoding)", "a".repeat(MAX_JWT_BYTES + 1), "too_large"],
    ["two segments", `${enc({ alg: "ES256" })}.${enc({})}`, "malformed"],
    ["JWE (five segments)", "a.b.c.d.e", "malformed"],
    ["header not JSON", `${enc("nope")}.${enc({})}.c2ln`, "malformed"],
    ["header a JSON array", token([1], {}), "malformed"],
    ["payload JSON null", token({ alg: "ES256" }, null), "malformed"],
    ["payload not base64url", `${enc({ alg: "ES256" })}.***.c2ln`, "malformed"],
    [
      "invalid UTF-8 payload",
      `${enc({ alg: "ES256" })}.${base64UrlEncode(Uint8Array.from([0x7b, 0xff, 0x7d]))}.c2ln`,
      "malformed",
    ],
    ["signature with padding", `${token({ alg: "ES256" }, {}, "c2ln")}=`, "malformed"],
    ["empty", "", "malformed"],
  ])("%s → %s", (_label, t, reason) => expect(decodeJwt(t)).toMatchObject({ ok: false, reason }));

  it("honours a custom size limit", () => {
    const t = token({ alg: "ES256" }, { pad: "x".repeat(100) });
    expect(decodeJwt(t, 50)).toMatchObject({ ok: false, reason: "too_large" });
  });
});
