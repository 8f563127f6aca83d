// A destination's security policy compiled for serving: once per service and config revision.
import {
  compileAuthorization,
  compileRequestAuthentication,
  type CompiledAuthorization,
  type CompiledRequestAuthentication,
} from "../../../../shared/security/index";
import type { CompiledService } from "../config/compiled";

/** The peer mode is not here: it depends on the mesh's default too (`CompiledService.peerMode`). */
export interface ServiceSecurity {
  requestAuthentication: CompiledRequestAuthentication;
  authorization: CompiledAuthorization;
  /** False when no AuthorizationPolicy applies: the authorization stage then does nothing at all. */
  hasAuthorization: boolean;
}

// Keyed by the CompiledService, which is itself rebuilt for each revision: a new revision, new entries.
const compiled = new WeakMap<CompiledService, ServiceSecurity>();

export function securityOf(service: CompiledService): ServiceSecurity {
  let security = compiled.get(service);
  if (security === undefined) {
    const model = service.model.policy.security;
    const policies = model?.authorizationPolicies ?? [];
    security = {
      requestAuthentication: compileRequestAuthentication(model?.jwtRules ?? []),
      authorization: compileAuthorization(policies),
      hasAuthorization: policies.length > 0,
    };
    compiled.set(service, security);
  }
  return security;
}
