// Envoy-style response flags: why a request ended the way it did, in one short code per cause.
import type { ProxyErrorCode } from "../errors";

/**
 * The flags the mesh sets, with Envoy's meanings:
 * `UH` no healthy upstream · `UF` upstream connection failure · `UO` upstream overflow (circuit open) ·
 * `NR` no route · `URX` retry limit exceeded · `UT` upstream timeout · `DI` delay injected ·
 * `FI` fault injected · `RL` rate limited · `UAEX` unauthorized (authn/authz denied) ·
 * `DC` downstream disconnect · `UC` upstream connection termination.
 */
export type ResponseFlag = "UH" | "UF" | "UO" | "NR" | "URX" | "UT" | "DI" | "FI" | "RL" | "UAEX" | "DC" | "UC";

/** Envoy's own order, so a combination always prints the same way (e.g. `UT,URX`). */
export const RESPONSE_FLAGS: readonly ResponseFlag[] = [
  "UH",
  "UT",
  "UF",
  "UC",
  "UO",
  "NR",
  "DI",
  "FI",
  "RL",
  "UAEX",
  "DC",
  "URX",
];

/** No flag is written `-`, as in Envoy and Istio metrics. */
export const NO_FLAGS = "-";

/** Comma-separated, de-duplicated, in Envoy's order; `-` when empty. */
export function flagsToString(flags: Iterable<ResponseFlag>): string {
  const set = new Set(flags);
  const out = RESPONSE_FLAGS.filter((f) => set.has(f));
  return out.length === 0 ? NO_FLAGS : out.join(",");
}

/** Parses the string form back (unknown codes are dropped). */
export function parseFlags(text: string): ResponseFlag[] {
  if (text === NO_FLAGS || text === "") return [];
  const known = new Set<string>(RESPONSE_FLAGS);
  return text.split(",").filter((f): f is ResponseFlag => known.has(f));
}

/**
 * The flag a proxy error implies; undefined when Envoy has none for it (a 413, a misconfiguration).
 * An unknown host is a route miss to a client, so it is `NR` like `no_route`.
 */
export function flagForErrorCode(code: ProxyErrorCode): ResponseFlag | undefined {
  switch (code) {
    case "no_route":
    case "service_not_found":
    case "no_config": // nothing is configured, so no route can match
      return "NR";
    case "no_healthy_upstream":
      return "UH";
    case "circuit_open":
      return "UO";
    case "upstream_unavailable":
      return "UF";
    case "upstream_timeout":
      return "UT";
    case "rate_limited":
      return "RL";
    case "fault_injected":
      return "FI";
    case "forbidden":
    case "unauthenticated":
      return "UAEX";
    case "payload_too_large":
    case "misconfigured":
      return undefined;
  }
}
