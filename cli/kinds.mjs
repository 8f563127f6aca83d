// Kind names as users type them (`vs`, `virtualservices`, `HTTPRoute`) → the mesh's canonical Kind.

/** The mesh's kinds; keep in step with KINDS in shared/resources/resource.ts (a test checks it). */
export const KINDS = [
  "Service",
  "HTTPRoute",
  "VirtualService",
  "DestinationRule",
  "PeerAuthentication",
  "RequestAuthentication",
  "AuthorizationPolicy",
  "TrafficPolicy",
  "TelemetrySink",
  "MeshConfig",
];

/** kubectl/istioctl short names. */
const SHORT = {
  svc: "Service",
  vs: "VirtualService",
  dr: "DestinationRule",
  pa: "PeerAuthentication",
  ra: "RequestAuthentication",
  ap: "AuthorizationPolicy",
  tp: "TrafficPolicy",
  sink: "TelemetrySink",
  mc: "MeshConfig",
};

/** `vs`, `VirtualServices`, `virtualservice` → `VirtualService`; undefined when it names no kind. */
export function resolveKind(input) {
  const lower = String(input).toLowerCase();
  if (SHORT[lower]) return SHORT[lower];
  return KINDS.find((k) => {
    const kind = k.toLowerCase();
    const plural = kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`;
    return lower === kind || lower === plural;
  });
}
