// Builds the Location of a route redirect (Gateway API RequestRedirect / Istio HTTPRedirect).
import type { RedirectModel } from "../model/snapshot";
import type { PrefixMatched } from "./match-route";
import { replacePrefixMatch } from "./rewrite";

export interface RedirectRequest {
  /** `http` or `https`, without the colon. */
  scheme: string;
  hostname: string;
  /** The port the request named in its Host, or null when it named none. */
  port: number | null;
  path: string;
  /** The query string including its `?`, or ``. */
  search: string;
}

const WELL_KNOWN_PORTS: Record<string, number> = { http: 80, https: 443 };

export function buildRedirect(
  redirect: RedirectModel,
  req: RedirectRequest,
  prefix: PrefixMatched | null,
): { status: number; location: string } {
  const scheme = (redirect.scheme ?? req.scheme).toLowerCase();
  const hostname = redirect.hostname ?? req.hostname;
  // Gateway API: an explicit port wins; a changed scheme implies its well-known port; else keep the request's.
  let port = redirect.port ?? (redirect.scheme !== undefined ? null : req.port);
  if (port !== null && WELL_KNOWN_PORTS[scheme] === port) port = null;
  let path = req.path;
  if (redirect.path?.type === "ReplaceFullPath") path = redirect.path.value || "/";
  else if (redirect.path?.type === "ReplacePrefixMatch")
    path = replacePrefixMatch(req.path, prefix, redirect.path.value);
  const authority = port === null ? hostname : `${hostname}:${port}`;
  return { status: redirect.statusCode, location: `${scheme}://${authority}${path}${req.search}` };
}
