import { describe, expect, it } from "vitest";
import type { Resource } from "../resources/resource";
import { checkReferences } from "./index";
import { loadResources } from "./testing/load";

const prod = { environment: "production" } as const;

function check(yaml: string, options: { environment: "development" | "production" }, extra: Resource[] = []) {
  return checkReferences([...extra, ...loadResources(yaml)], options);
}

const endpoint = (url: string) => `
apiVersion: flaremesh.dev/v1alpha1
kind: Service
metadata: {name: ext}
spec: {endpoints: [{url: "${url}"}]}`;

const meshConfig = (cidrs: string[]) => `
apiVersion: flaremesh.dev/v1alpha1
kind: MeshConfig
metadata: {name: default}
spec: {allowedEndpointCidrs: ${JSON.stringify(cidrs)}}`;

describe("checkReferences: endpoint address policy (SSRF)", () => {
  it.each([
    // [url, environment, allowed CIDRs, refused class or null]
    ["https://api.example.com", "production", [], null],
    ["https://8.8.8.8/", "production", [], null],
    ["http://127.0.0.1:9001", "development", [], null],
    ["http://127.0.0.1:9001", "production", [], "loopback"],
    ["http://localhost:8080", "development", [], null],
    ["http://localhost:8080", "production", [], "loopback"],
    ["http://api.localhost", "production", [], "loopback"],
    ["http://localhost.:8080", "production", [], "loopback"],
    ["http://localhost:8080", "production", ["127.0.0.0/8"], null],
    ["http://2130706433/", "production", [], "loopback"],
    ["http://0x7f.1/", "production", [], "loopback"],
    ["http://[::1]:9000", "production", [], "loopback"],
    ["http://[::ffff:127.0.0.1]/", "production", [], "loopback"],
    ["http://10.0.0.5", "development", [], null],
    ["http://10.0.0.5", "production", [], "private"],
    ["http://10.0.0.5", "production", ["10.0.0.0/8"], null],
    ["http://10.0.0.5", "production", ["10.1.0.0/16"], "private"],
    ["http://192.168.1.10", "production", [], "private"],
    ["http://100.64.1.1", "production", [], "private"],
    ["http://[fd00::1]", "production", [], "private"],
    ["http://[fd00::1]", "production", ["fd00::/8"], null],
    ["http://169.254.169.254/latest/meta-data", "development", [], "metadata"],
    ["http://169.254.169.254/latest/meta-data", "production", [], "metadata"],
    ["http://169.254.169.254/", "production", ["169.254.169.254/32"], null],
    ["http://metadata.google.internal/", "development", [], "metadata"],
    ["http://169.254.10.1", "development", [], "link-local"],
    ["http://[fe80::1]", "development", [], "link-local"],
    ["http://0.0.0.0:8080", "development", [], "unspecified"],
    ["http://[::]:8080", "development", [], "unspecified"],
  ] as const)("%s in %s with %j", (url, environment, cidrs, refused) => {
    const extra = cidrs.length > 0 ? loadResources(meshConfig([...cidrs])) : [];
    const problems = check(endpoint(url), { environment }, extra);
    if (refused === null) {
      expect(problems).toEqual([]);
    } else {
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ document: "Service/ext", path: "spec.endpoints[0].url" });
      expect(problems[0]?.message).toContain(`is a ${refused} address`);
      expect(problems[0]?.message).toContain("allowedEndpointCidrs");
    }
  });

  it("applies to telemetry sinks and JWKS URLs too", () => {
    const problems = check(
      `apiVersion: flaremesh.dev/v1alpha1
kind: TelemetrySink
metadata: {name: logs}
spec: {type: syslog, endpoint: "tcp://10.1.1.1:514"}
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt}
spec: {jwtRules: [{issuer: i, jwksUri: "http://127.0.0.1/jwks"}]}`,
      prod,
    );
    expect(problems.map((p) => [p.document, p.path])).toEqual([
      ["TelemetrySink/logs", "spec.endpoint"],
      ["RequestAuthentication/jwt", "spec.jwtRules[0].jwksUri"],
    ]);
  });
});
