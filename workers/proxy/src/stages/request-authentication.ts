// Request authentication (RequestAuthentication): verify an end-user JWT if one is presented; a bad one
// is 401, none passes as anonymous (authorization may still require requestPrincipals).
import { MeshError } from "../../../../shared/errors";
import {
  checkEndUserClaims,
  endUserHeaderEdits,
  findEndUserToken,
  selectJwtRules,
  selectVerificationKeys,
  withoutCookies,
  type CompiledJwtRule,
  type EndUserAuth,
  type JwtResult,
  type SelectedJwt,
} from "../../../../shared/security/index";
import { jwtFail } from "../../../../shared/security/jwt-result";
import type { ProxyContext, Stage, StageFactory } from "../context";
import { keysForRule } from "../security/end-user-keys";
import { securityOf } from "../security/service-security";
import { verifySignature } from "../security/signature";

export const requestAuthentication: StageFactory = () =>
  async function requestAuthentication(ctx: ProxyContext, next) {
    const compiled = securityOf(ctx.destination).requestAuthentication;
    // Claim output headers are the proxy's to write: an inbound copy is always dropped.
    for (const header of compiled.protectedHeaders) ctx.headers.delete(header);
    if (compiled.rules.length === 0) return next();

    const search = findEndUserToken(compiled, { headers: ctx.headers, searchParams: ctx.url.searchParams });
    if (search.kind === "none") return next();
    if (search.kind === "ambiguous") throw refused("the request carries different JWTs in different places");
    const selected = selectJwtRules(compiled, search);
    if (!selected.ok) throw refused(`JWT ${selected.reason}: ${selected.message}`);

    let failure = { reason: "bad_signature", message: "token signature does not verify" };
    for (const rule of selected.value.rules) {
      const verified = await verifyWithRule(ctx, rule, selected.value);
      if (!verified.ok) {
        failure = { reason: verified.reason, message: verified.message };
        continue;
      }
      const edits = endUserHeaderEdits(rule, search, selected.value.decoded);
      for (const name of edits.remove) ctx.headers.delete(name);
      ctx.url.deleteSearchParams(edits.removeParams);
      if (edits.removeCookies.length > 0) {
        const cookie = withoutCookies(ctx.headers.get("cookie") ?? "", edits.removeCookies);
        if (cookie === null) ctx.headers.delete("cookie");
        else ctx.headers.set("cookie", cookie);
      }
      for (const [name, value] of edits.set) ctx.headers.set(name, value);
      ctx.endUser = verified.value;
      return next();
    }
    throw refused(`JWT ${failure.reason}: ${failure.message}`);
  } satisfies Stage;

async function verifyWithRule(
  ctx: ProxyContext,
  rule: CompiledJwtRule,
  jwt: SelectedJwt,
): Promise<JwtResult<EndUserAuth>> {
  const request = { waitUntil: (p: Promise<unknown>) => ctx.exec.waitUntil(p) };
  let keys = await keysForRule(rule.model, request);
  if (keys === null) return jwtFail("unknown_kid", `the keys of issuer ${rule.model.issuer} are unavailable`);
  let candidates = selectVerificationKeys(keys, jwt.header);
  if (!candidates.ok && candidates.reason === "unknown_kid") {
    keys = await keysForRule(rule.model, { ...request, refresh: true });
    if (keys !== null) candidates = selectVerificationKeys(keys, jwt.header);
  }
  if (!candidates.ok) return candidates;
  for (const key of candidates.value) {
    if (await verifySignature(jwt.header.alg, key, jwt.decoded.signingInput, jwt.decoded.signature)) {
      return checkEndUserClaims(rule, jwt.decoded.payload, { nowMs: Date.now() });
    }
  }
  return jwtFail("bad_signature", "token signature does not verify");
}

function refused(message: string): MeshError {
  return new MeshError("unauthenticated", message, {
    headers: { "www-authenticate": 'Bearer realm="flaremesh", error="invalid_token"' },
  });
}
