// Faults a developer can switch on in a local mesh to see how proxies behave when the control plane fails.
// Only reachable through /v1/dev/faults, which exists only when MESH_ENV is `development`.

export type ProxyApiFault = "ok" | "unreachable" | "invalid";

export const PROXY_API_FAULTS: readonly ProxyApiFault[] = ["ok", "unreachable", "invalid"];

/** Per control isolate (the local mesh runs one): what ProxyApi does instead of answering. */
export const devFaults: { proxyApi: ProxyApiFault } = { proxyApi: "ok" };
