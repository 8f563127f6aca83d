// The identity half of the ControlPlane Durable Object's RPC surface (the class extends this one): the
// mesh CA, workload credentials and admin API tokens, each answering a PlaneResult.
import { DurableObject } from "cloudflare:workers";
import { isMeshError } from "../../../shared/errors";
import type { AdminRole } from "../../../shared/security/admin-rbac";
import type { ControlEnv } from "../env";
import type { PlaneResult } from "../plane/result";
import { fromMeshError, ok } from "../plane/result";
import type { StoredSnapshot } from "../storage/snapshot-store";
import type { AdminTokenRow } from "./admin-token-store";
import type { IssuedCertificate } from "./certificate-authority";
import type { CredentialRow } from "./credential-store";
import { MeshIdentity, trustDomainReader, type IssuedAdminToken, type KeyInfo } from "./mesh-identity";
import type { PublicJwk } from "./signing-key";

export interface KeysOverview {
  /** ISO 8601 expiry of the current root, null before the first key exists. */
  rootExpiresAt: string | null;
  items: KeyInfo[];
}

export abstract class IdentityObject extends DurableObject<ControlEnv> {
  protected readonly identity: MeshIdentity;

  constructor(ctx: DurableObjectState, env: ControlEnv) {
    super(ctx, env);
    this.identity = new MeshIdentity(
      ctx.storage,
      env,
      trustDomainReader(() => this.getSnapshot()),
    );
  }

  /** The current revision's snapshot (implemented by ControlPlane). */
  abstract getSnapshot(): StoredSnapshot;

  override async alarm(): Promise<void> {
    await this.identity.alarm(Date.now());
  }

  jwks(): Promise<PlaneResult<{ keys: PublicJwk[] }>> {
    return guarded(() => this.identity.jwks(Date.now()));
  }

  signingKeys(): Promise<PlaneResult<KeysOverview>> {
    return guarded(async () => {
      await this.identity.jwks(Date.now()); // the first key is made on first use
      const expiry = this.identity.rootExpiry();
      return {
        rootExpiresAt: expiry === null ? null : new Date(expiry).toISOString(),
        items: this.identity.keyInfo(Date.now()),
      };
    });
  }

  rotateSigningKey(): Promise<PlaneResult<{ items: KeyInfo[] }>> {
    return guarded(async () => ({ items: await this.identity.rotate(Date.now()) }));
  }

  createCredential(
    namespace: string,
    service: string,
    actor: string,
  ): Promise<PlaneResult<{ service: string; namespace: string; credential: string }>> {
    return guarded(() => this.identity.createCredential(namespace, service, actor));
  }

  listCredentials(): Promise<PlaneResult<{ items: CredentialRow[] }>> {
    return guarded(async () => ({ items: this.identity.listCredentials() }));
  }

  revokeCredential(namespace: string, service: string): Promise<PlaneResult<{ revoked: boolean }>> {
    return guarded(async () => ({ revoked: this.identity.revokeCredential(namespace, service) }));
  }

  mintIdentityToken(
    credentialDigest: string,
  ): Promise<PlaneResult<{ token: string; expiresAt: string; spiffeId: string }>> {
    return guarded(() => this.identity.mintIdentityToken(credentialDigest, Date.now()));
  }

  signCertificate(
    credentialDigest: string,
    csr: string,
    ttlSeconds: number | undefined,
  ): Promise<PlaneResult<IssuedCertificate & { chain: string[] }>> {
    return guarded(() => this.identity.signCertificate(credentialDigest, csr, ttlSeconds, Date.now()));
  }

  createAdminToken(
    role: string,
    ttlSeconds: number | undefined,
    actor: string,
  ): Promise<PlaneResult<IssuedAdminToken>> {
    return guarded(() => this.identity.createAdminToken(role, ttlSeconds, actor, Date.now()));
  }

  listAdminTokens(): Promise<PlaneResult<{ items: AdminTokenRow[] }>> {
    return guarded(async () => ({ items: this.identity.listAdminTokens() }));
  }

  revokeAdminToken(id: string, actor: string): Promise<PlaneResult<{ id: string; revoked: boolean }>> {
    return guarded(async () => ({ id, revoked: this.identity.revokeAdminToken(id, actor, Date.now()) }));
  }

  resolveAdminToken(digest: string): { id: string; role: AdminRole } | null {
    return this.identity.resolveAdminToken(digest, Date.now()) ?? null;
  }
}

/** MeshErrors cross the RPC boundary as data; anything else stays an exception (a 500, logged). */
async function guarded<T>(run: () => Promise<T>): Promise<PlaneResult<T>> {
  try {
    return ok(await run());
  } catch (err) {
    if (isMeshError(err)) return fromMeshError(err);
    throw err;
  }
}
