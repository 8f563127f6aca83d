// PeerAuthentication: mode resolution across levels, and the STRICT / PERMISSIVE / DISABLE decision.
import { describe, expect, it } from "vitest";
import {
  choosePeerIdentity,
  decidePeer,
  effectivePeerMode,
  resolvePeerAuthentication,
  type PeerAuthenticationPolicy,
  type PeerIdentity,
  type PeerMode,
} from "./peer-authentication";

const svc = { namespace: "foo", name: "finance" };
const mesh = (mode: PeerAuthenticationPolicy["mode"]): PeerAuthenticationPolicy => ({
  namespace: "istio-system",
  name: "default",
  scope: {},
  mode,
});
const ns = (mode: PeerAuthenticationPolicy["mode"], name = "default"): PeerAuthenticationPolicy => ({
  namespace: "foo",
  name,
  scope: {},
  mode,
});
const wl = (mode: PeerAuthenticationPolicy["mode"], name = "finance"): PeerAuthenticationPolicy => ({
  namespace: "foo",
  name,
  scope: { selector: { matchLabels: { app: "finance" } } },
  mode,
});

describe("resolvePeerAuthentication, then effectivePeerMode with the mesh's default", () => {
  it.each<[string, PeerAuthenticationPolicy[], PeerMode | undefined, { mode: PeerMode; policy?: string }]>([
    ["nothing: Istio default PERMISSIVE", [], undefined, { mode: "PERMISSIVE" }],
    ["nothing: MeshConfig default", [], "STRICT", { mode: "STRICT" }],
    ["mesh-wide STRICT", [mesh("STRICT")], undefined, { mode: "STRICT", policy: "istio-system/default" }],
    [
      "namespace beats mesh",
      [mesh("STRICT"), ns("PERMISSIVE")],
      undefined,
      { mode: "PERMISSIVE", policy: "foo/default" },
    ],
    [
      "workload beats namespace (Istio docs: finance STRICT)",
      [ns("PERMISSIVE"), wl("STRICT")],
      undefined,
      { mode: "STRICT", policy: "foo/finance" },
    ],
    [
      "workload UNSET inherits namespace",
      [ns("DISABLE"), wl("UNSET")],
      undefined,
      { mode: "DISABLE", policy: "foo/default" },
    ],
    [
      "no mtls at all inherits",
      [mesh("STRICT"), wl(undefined)],
      undefined,
      { mode: "STRICT", policy: "istio-system/default" },
    ],
    [
      "namespace UNSET inherits mesh",
      [mesh("STRICT"), ns("UNSET")],
      undefined,
      { mode: "STRICT", policy: "istio-system/default" },
    ],
    ["mesh UNSET falls back to default", [mesh("UNSET")], "DISABLE", { mode: "DISABLE" }],
    [
      "same level: the first (oldest) wins",
      [ns("STRICT", "a"), ns("DISABLE", "b")],
      undefined,
      { mode: "STRICT", policy: "foo/a" },
    ],
    ["another namespace does not apply", [{ ...ns("STRICT"), namespace: "bar" }], undefined, { mode: "PERMISSIVE" }],
    [
      "root-namespace selector is ignored",
      [
        {
          namespace: "istio-system",
          name: "sel",
          scope: { selector: { matchLabels: { app: "finance" } } },
          mode: "STRICT",
        },
      ],
      undefined,
      { mode: "PERMISSIVE" },
    ],
  ])("%s", (_label, policies, meshDefault, expected) => {
    const peer = resolvePeerAuthentication(policies, svc);
    expect({ ...peer, mode: effectivePeerMode(peer, meshDefault) }).toEqual(expected);
  });

  it("leaves the mode out when no PeerAuthentication decides: the mesh's default is the proxy's to apply", () => {
    expect(resolvePeerAuthentication([], svc)).toEqual({});
    expect(resolvePeerAuthentication([mesh("UNSET"), wl(undefined)], svc)).toEqual({});
    expect(resolvePeerAuthentication([mesh("DISABLE")], svc)).toEqual({
      mode: "DISABLE",
      policy: "istio-system/default",
    });
  });
});

describe("decidePeer", () => {
  const p = "cluster.local/ns/default/sa/productpage";
  it.each<[PeerMode, PeerIdentity, ReturnType<typeof decidePeer>]>([
    ["STRICT", { kind: "none" }, { ok: false, code: "unauthenticated", reason: "identity_required" }],
    ["STRICT", { kind: "invalid" }, { ok: false, code: "unauthenticated", reason: "invalid_identity" }],
    ["STRICT", { kind: "binding", principal: p }, { ok: true, principal: p, via: "binding" }],
    ["STRICT", { kind: "token", principal: p }, { ok: true, principal: p, via: "token" }],
    ["STRICT", { kind: "certificate", principal: p }, { ok: true, principal: p, via: "certificate" }],
    ["PERMISSIVE", { kind: "none" }, { ok: true }],
    [
      "PERMISSIVE",
      { kind: "invalid", detail: "expired" },
      { ok: false, code: "unauthenticated", reason: "invalid_identity" },
    ],
    ["PERMISSIVE", { kind: "token", principal: p }, { ok: true, principal: p, via: "token" }],
    ["DISABLE", { kind: "token", principal: p }, { ok: true }],
    ["DISABLE", { kind: "binding", principal: p }, { ok: true }],
    ["DISABLE", { kind: "invalid" }, { ok: true }],
    ["DISABLE", { kind: "none" }, { ok: true }],
  ])("%s with %j", (mode, identity, expected) => expect(decidePeer(mode, identity)).toEqual(expected));
});

describe("choosePeerIdentity", () => {
  const a = "cluster.local/ns/default/sa/a";
  const b = "cluster.local/ns/default/sa/b";
  it.each<[string, PeerIdentity[], PeerIdentity["kind"], string | undefined]>([
    ["nothing", [], "none", undefined],
    ["only none", [{ kind: "none" }], "none", undefined],
    ["one token", [{ kind: "none" }, { kind: "token", principal: a }], "token", a],
    [
      "certificate and token agreeing",
      [
        { kind: "certificate", principal: a },
        { kind: "token", principal: a },
      ],
      "certificate",
      a,
    ],
    [
      "certificate and token disagreeing",
      [
        { kind: "certificate", principal: a },
        { kind: "token", principal: b },
      ],
      "invalid",
      undefined,
    ],
    ["valid binding and invalid token", [{ kind: "binding", principal: a }, { kind: "invalid" }], "invalid", undefined],
  ])("%s", (_label, presented, kind, principal) => {
    const chosen = choosePeerIdentity(presented);
    expect(chosen.kind).toBe(kind);
    expect("principal" in chosen ? chosen.principal : undefined).toBe(principal);
  });
});
