// Reading the SPIFFE ID of a client certificate from its DER (what the proxy gets as certRFC9440).
import { describe, expect, it } from "vitest";
import "../../control/src/identity/reflect-metadata";
import { x509 } from "../../control/src/identity/x509";
import { derFromRfc9440, uriSubjectAltNames } from "../../workers/proxy/src/security/uri-san";

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

async function certWith(names: { type: "url" | "dns"; value: string }[]): Promise<Uint8Array> {
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=test",
    notBefore: new Date(),
    notAfter: new Date(Date.now() + 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : [],
  });
  return new Uint8Array(cert.rawData);
}

describe("URI SANs from DER", () => {
  it("finds the SPIFFE ID among other names", async () => {
    const der = await certWith([
      { type: "dns", value: "reviews.localhost" },
      { type: "url", value: "spiffe://cluster.local/ns/default/sa/reviews" },
    ]);
    expect(uriSubjectAltNames(der)).toEqual(["spiffe://cluster.local/ns/default/sa/reviews"]);
    const rfc9440 = `:${Buffer.from(der).toString("base64")}:`;
    expect(uriSubjectAltNames(derFromRfc9440(rfc9440)!)).toEqual(["spiffe://cluster.local/ns/default/sa/reviews"]);
  });

  it("returns no names for a certificate without SANs, and null for garbage", async () => {
    expect(uriSubjectAltNames(await certWith([]))).toEqual([]);
    expect(uriSubjectAltNames(new Uint8Array([0x30, 0x85, 1, 2]))).toBeNull();
    expect(
      uriSubjectAltNames((await certWith([{ type: "url", value: "spiffe://a/ns/b/sa/c" }])).subarray(0, 40)),
    ).toBeNull();
    expect(derFromRfc9440(":not base64!:")).toBeNull();
  });
});
