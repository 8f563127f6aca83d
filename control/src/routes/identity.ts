// The mesh CA's endpoints: workload credentials, identity tokens, X.509 certificates, signing keys.
import { MeshError } from "../../../shared/errors";
import { SPIFFE_PREFIX, parsePrincipal } from "../../../shared/security/principal";
import { controlPlane } from "../env";
import { requireRole } from "../http/auth";
import { readTextBody } from "../http/body";
import { pathParam } from "../http/params";
import { planeCall } from "../http/plane-call";
import { json } from "../http/respond";
import type { ControlRequest, ControlRouter } from "../http/types";
import { invalidateJwksCache } from "../identity/jwks-cache";
import { CREDENTIAL_PREFIX, looksLikeSecret, secretDigest } from "../identity/secrets";

const SMALL_BODY = 64 * 1024;

export function identityRoutes(router: ControlRouter): void {
  router.post("/v1/credentials", requireRole("admin"), async (request, env) => {
    const body = await jsonBody(request);
    const { namespace, service } = workloadOf(body["service"], body["namespace"]);
    const actor = request.actor ?? request.role ?? "admin";
    const created = await planeCall(() => controlPlane(env).createCredential(namespace, service, actor), {
      idempotent: false,
    });
    return json(created, 201);
  });

  router.get("/v1/credentials", requireRole("admin"), async (_request, env) =>
    json(await planeCall(() => controlPlane(env).listCredentials(), { idempotent: true })),
  );

  router.delete("/v1/credentials/:service", requireRole("admin"), async (request, env) => {
    const raw = pathParam(request.params["service"], "service");
    const namespaceQuery = request.query["namespace"];
    const { namespace, service } = workloadOf(raw, typeof namespaceQuery === "string" ? namespaceQuery : undefined);
    const { revoked } = await planeCall(() => controlPlane(env).revokeCredential(namespace, service), {
      idempotent: false,
    });
    if (!revoked) throw new MeshError("not_found", `no credential for ${namespace}/${service}`);
    return json({ service, namespace, revoked: true });
  });

  // Public: the workload authenticates with its credential, not with an admin token.
  router.post("/v1/identity/token", async (request, env) => {
    const digest = await credentialDigest(request);
    const body = await readTextBody(request, SMALL_BODY);
    if (body.trim() !== "" && body.trim() !== "{}") {
      throw new MeshError("bad_request", "the body must be empty: the credential alone names the workload");
    }
    const minted = await planeCall(() => controlPlane(env).mintIdentityToken(digest), { idempotent: false });
    return json({ token: minted.token, expiresAt: minted.expiresAt, spiffeId: minted.spiffeId });
  });

  router.post("/v1/certificates", async (request, env) => {
    const digest = await credentialDigest(request);
    const body = await jsonBody(request);
    const csr = body["csr"];
    if (typeof csr !== "string" || csr === "") {
      throw new MeshError("bad_request", "csr must be a PEM-encoded certificate request", {
        details: [{ path: "csr", message: "expected a string" }],
      });
    }
    const ttl = body["ttlSeconds"];
    if (ttl !== undefined && typeof ttl !== "number") {
      throw new MeshError("bad_request", "ttlSeconds must be a number", {
        details: [{ path: "ttlSeconds", message: "expected a number" }],
      });
    }
    const issued = await planeCall(() => controlPlane(env).signCertificate(digest, csr, ttl), { idempotent: false });
    return json(
      {
        certificate: issued.certificate,
        chain: issued.chain,
        spiffeId: issued.spiffeId,
        expiresAt: new Date(issued.notAfterMs).toISOString(),
      },
      201,
    );
  });

  router.get("/v1/keys", requireRole("admin"), async (_request, env) =>
    json(await planeCall(() => controlPlane(env).signingKeys(), { idempotent: true })),
  );

  router.post("/v1/keys/rotate", requireRole("admin"), async (_request, env) => {
    const rotated = await planeCall(() => controlPlane(env).rotateSigningKey(), { idempotent: false });
    invalidateJwksCache();
    return json(rotated);
  });
}

/** The workload credential from `Authorization: Bearer`, as the digest that storage knows it by. */
async function credentialDigest(request: ControlRequest): Promise<string> {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(request.headers.get("authorization") ?? "");
  const presented = match?.[1];
  if (presented === undefined || !looksLikeSecret(presented, CREDENTIAL_PREFIX)) {
    throw new MeshError("unauthorized", "a workload credential is required (Authorization: Bearer fmw_…)", {
      headers: { "www-authenticate": 'Bearer realm="flaremesh-identity"' },
    });
  }
  return secretDigest(presented);
}

async function jsonBody(request: ControlRequest): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readTextBody(request, SMALL_BODY));
  } catch (err) {
    if (err instanceof MeshError) throw err;
    throw new MeshError("bad_request", "the body must be a JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MeshError("bad_request", "the body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/**
 * `reviews` (namespace `default` or the `namespace` given), `prod/reviews`, or a SPIFFE ID / principal;
 * the name must be a valid SPIFFE path segment, since it becomes one.
 */
function workloadOf(service: unknown, namespace: unknown): { namespace: string; service: string } {
  if (typeof service !== "string" || service === "") {
    throw new MeshError("bad_request", "service is required", {
      details: [{ path: "service", message: "expected a string" }],
    });
  }
  if (namespace !== undefined && typeof namespace !== "string") {
    throw new MeshError("bad_request", "namespace must be a string", {
      details: [{ path: "namespace", message: "expected a string" }],
    });
  }
  const raw = service.startsWith(SPIFFE_PREFIX) ? service.slice(SPIFFE_PREFIX.length) : service;
  const parts = raw.split("/");
  const [ns, name] =
    parts.length === 5 && parts[1] === "ns" && parts[3] === "sa"
      ? [parts[2], parts[4]]
      : parts.length === 2
        ? [parts[0], parts[1]]
        : [namespace ?? "default", raw];
  const id = parsePrincipal(`cluster.local/ns/${ns ?? ""}/sa/${name ?? ""}`);
  if (id === null) {
    throw new MeshError("bad_request", `invalid service ${JSON.stringify(service)}`, {
      details: [{ path: "service", message: "expected <name> or <namespace>/<name> of letters, digits, . _ -" }],
    });
  }
  return { namespace: id.namespace, service: id.serviceAccount };
}
