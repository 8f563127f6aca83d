// The mesh CA and workload identity inside the ControlPlane Durable Object: signing keys (made, sealed,
// rotated, published), workload credentials, identity tokens, X.509 SVIDs and admin API tokens.
import { MeshError } from "../../../shared/errors";
import { isAdminRole, type AdminRole } from "../../../shared/security/admin-rbac";
import { identityTokenClaims, IDENTITY_TOKEN_MAX_LIFETIME_SECONDS } from "../../../shared/security/identity-token";
import { spiffeIdFor } from "../../../shared/security/principal";
import type { ControlEnv } from "../env";
import { AdminTokenStore, type AdminTokenRow } from "./admin-token-store";
import {
  DEFAULT_CERTIFICATE_TTL_SECONDS,
  issueCertificate,
  MAX_CERTIFICATE_TTL_SECONDS,
  readCsr,
  type IssuedCertificate,
} from "./certificate-authority";
import { CredentialStore, type CredentialRow } from "./credential-store";
import { signJwt } from "./jws";
import { keyEncryptionSecret, open, seal } from "./key-encryption";
import { KeyStore, type KeyRow } from "./key-store";
import { ADMIN_TOKEN_PREFIX, CREDENTIAL_PREFIX, newId, newSecret, secretDigest } from "./secrets";
import { generateSigningKey, importSigningKey, type PublicJwk } from "./signing-key";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A new signing key (and root) every 30 days; each root is valid for 90, so a stalled rotation leaves
 * two months between the first `mesh_ca_root_expiry_seconds` alert and an outage. */
export const ROTATION_INTERVAL_MS = 30 * DAY;
export const ROOT_LIFETIME_MS = 90 * DAY;
/** A superseded key stays published this long: longer than any token (1 h) or certificate (24 h) it signed. */
export const OVERLAP_MS = 25 * HOUR;
/** Identity tokens minted by `POST /v1/identity/token`. */
export const IDENTITY_TOKEN_TTL_SECONDS = 15 * 60;
export const MAX_ADMIN_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

export interface KeyInfo {
  kid: string;
  status: "current" | "previous";
  createdAt: string;
  rootExpiresAt: string;
  supersededAt?: string;
  publishedUntil?: string;
}

export interface IssuedAdminToken {
  id: string;
  role: AdminRole;
  token: string;
  expiresAt: string | null;
}

interface Signer {
  kid: string;
  key: CryptoKey;
  certificatePem: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class MeshIdentity {
  private readonly keys: KeyStore;
  private readonly credentials: CredentialStore;
  private readonly tokens: AdminTokenStore;
  private signer: Signer | null = null;
  /** Key creation and rotation run one at a time (crypto awaits would otherwise let two interleave). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: ControlEnv,
    private readonly trustDomain: () => string,
  ) {
    this.keys = new KeyStore(storage.sql);
    this.credentials = new CredentialStore(storage.sql);
    this.tokens = new AdminTokenStore(storage.sql);
  }

  // ---- signing keys -------------------------------------------------------------------------------

  /** The current and still-published previous keys, newest first. */
  publishedKeys(nowMs: number): KeyRow[] {
    return this.keys
      .all()
      .filter((k) => k.supersededAtMs === null || k.supersededAtMs + OVERLAP_MS > nowMs)
      .filter((k) => k.notAfterMs > nowMs);
  }

  /** `/.well-known/jwks.json`: creates the first key when there is none yet. */
  async jwks(nowMs: number): Promise<{ keys: PublicJwk[] }> {
    await this.currentSigner(nowMs);
    return { keys: this.publishedKeys(nowMs).map((k) => k.publicJwk) };
  }

  keyInfo(nowMs: number): KeyInfo[] {
    return this.publishedKeys(nowMs).map((k) => ({
      kid: k.kid,
      status: k.supersededAtMs === null ? "current" : "previous",
      createdAt: iso(k.createdAtMs),
      rootExpiresAt: iso(k.notAfterMs),
      ...(k.supersededAtMs === null
        ? {}
        : { supersededAt: iso(k.supersededAtMs), publishedUntil: iso(k.supersededAtMs + OVERLAP_MS) }),
    }));
  }

  /** Expiry of the current root (epoch ms), or null before the first key exists. */
  rootExpiry(): number | null {
    return this.keys.current()?.notAfterMs ?? null;
  }

  /** On-demand rotation: a new current key at once; the previous stays published for the overlap window. */
  rotate(nowMs: number): Promise<KeyInfo[]> {
    return this.serial(async () => {
      await this.createKey(nowMs);
      return this.keyInfo(nowMs);
    });
  }

  /** The DO alarm: rotate when due, forget keys past their overlap, and schedule the next run. */
  alarm(nowMs: number): Promise<void> {
    return this.serial(async () => {
      const current = this.keys.current();
      if (current === undefined || current.createdAtMs + ROTATION_INTERVAL_MS <= nowMs) await this.createKey(nowMs);
      this.keys.prune(nowMs - OVERLAP_MS);
      await this.schedule();
    });
  }

  private async currentSigner(nowMs: number): Promise<Signer> {
    const cached = this.signer;
    const row = this.keys.current();
    if (cached !== null && row !== undefined && cached.kid === row.kid) return cached;
    return this.serial(async () => {
      const again = this.keys.current();
      if (again !== undefined && again.sealed !== null) {
        if (this.signer?.kid === again.kid) return this.signer;
        const pkcs8 = await open(this.sealingSecret(), again.sealed, again.kid);
        if (pkcs8 !== null) {
          this.signer = { kid: again.kid, key: await importSigningKey(pkcs8), certificatePem: again.certificatePem };
          return this.signer;
        }
        // The sealing secret changed (or the row was altered): this key can no longer sign. Replace it
        // rather than stop issuing identities; its public half stays published for the overlap window.
        console.warn(`control: signing key ${again.kid} cannot be unsealed; rotating to a new key`);
      }
      return this.createKey(nowMs);
    });
  }

  private async createKey(nowMs: number): Promise<Signer> {
    const secret = this.sealingSecret();
    const made = await generateSigningKey({ nowMs, lifetimeMs: ROOT_LIFETIME_MS, trustDomain: this.trustDomain() });
    const sealed = await seal(secret, made.pkcs8, made.kid);
    made.pkcs8.fill(0);
    this.storage.transactionSync(() =>
      this.keys.insertCurrent({
        kid: made.kid,
        publicJwk: made.publicJwk,
        certificatePem: made.certificatePem,
        sealed,
        createdAtMs: nowMs,
        notAfterMs: made.notAfterMs,
        supersededAtMs: null,
      }),
    );
    this.signer = {
      kid: made.kid,
      key: await importSigningKey(await openOrThrow(secret, sealed, made.kid)),
      certificatePem: made.certificatePem,
    };
    await this.schedule();
    return this.signer;
  }

  private async schedule(): Promise<void> {
    const current = this.keys.current();
    if (current === undefined) return;
    const times = [current.createdAtMs + ROTATION_INTERVAL_MS];
    for (const k of this.keys.all()) if (k.supersededAtMs !== null) times.push(k.supersededAtMs + OVERLAP_MS);
    await this.storage.setAlarm(Math.min(...times));
  }

  private sealingSecret(): string {
    const secret = keyEncryptionSecret(this.env);
    if (secret === null) {
      throw new MeshError("internal", "MESH_KEY_ENCRYPTION_KEY is not set; the mesh CA cannot store signing keys");
    }
    return secret;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  // ---- workload credentials, identity tokens, certificates -------------------------------------------

  async createCredential(
    namespace: string,
    service: string,
    actor: string,
  ): Promise<{ service: string; namespace: string; credential: string }> {
    const credential = newSecret(CREDENTIAL_PREFIX);
    const digest = await secretDigest(credential);
    this.credentials.put({ namespace, service, createdAt: new Date().toISOString(), createdBy: actor }, digest);
    return { service, namespace, credential };
  }

  listCredentials(): CredentialRow[] {
    return this.credentials.list();
  }

  revokeCredential(namespace: string, service: string): boolean {
    return this.credentials.delete(namespace, service);
  }

  private workloadOf(credentialDigest: string): CredentialRow {
    const row = this.credentials.byDigest(credentialDigest);
    if (row === undefined) throw new MeshError("unauthorized", "unknown or revoked workload credential");
    return row;
  }

  async mintIdentityToken(
    credentialDigest: string,
    nowMs: number,
  ): Promise<{ token: string; expiresAt: string; spiffeId: string }> {
    const workload = this.workloadOf(credentialDigest);
    const signer = await this.currentSigner(nowMs);
    const trustDomain = this.trustDomain();
    const ttl = Math.min(IDENTITY_TOKEN_TTL_SECONDS, IDENTITY_TOKEN_MAX_LIFETIME_SECONDS);
    const claims = identityTokenClaims({
      trustDomain,
      namespace: workload.namespace,
      service: workload.service,
      nowMs,
      ttlSeconds: ttl,
      jti: crypto.randomUUID(),
    });
    const token = await signJwt(claims, signer.key, signer.kid);
    return {
      token,
      expiresAt: iso(Number(claims["exp"]) * 1000),
      spiffeId: spiffeIdFor(trustDomain, workload.namespace, workload.service),
    };
  }

  async signCertificate(
    credentialDigest: string,
    csrPem: string,
    ttlSeconds: number | undefined,
    nowMs: number,
  ): Promise<IssuedCertificate & { chain: string[] }> {
    const workload = this.workloadOf(credentialDigest);
    const ttl = ttlSeconds ?? DEFAULT_CERTIFICATE_TTL_SECONDS;
    if (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl > MAX_CERTIFICATE_TTL_SECONDS) {
      throw new MeshError("bad_request", `ttlSeconds must be an integer in (0, ${MAX_CERTIFICATE_TTL_SECONDS}]`, {
        details: [{ path: "ttlSeconds", message: "out of range" }],
      });
    }
    const csr = await readCsr(csrPem);
    const signer = await this.currentSigner(nowMs);
    const issued = await issueCertificate({
      csr,
      spiffeId: spiffeIdFor(this.trustDomain(), workload.namespace, workload.service),
      service: workload.service,
      caCertificatePem: signer.certificatePem,
      caKey: signer.key,
      nowMs,
      ttlSeconds: ttl,
    });
    return { ...issued, chain: this.publishedKeys(nowMs).map((k) => k.certificatePem) };
  }

  // ---- admin API tokens -----------------------------------------------------------------------------

  async createAdminToken(
    role: unknown,
    ttlSeconds: number | undefined,
    actor: string,
    nowMs: number,
  ): Promise<IssuedAdminToken> {
    if (!isAdminRole(role)) {
      throw new MeshError("bad_request", "role must be admin, editor or viewer", {
        details: [{ path: "role", message: "expected admin, editor or viewer" }],
      });
    }
    if (
      ttlSeconds !== undefined &&
      !(Number.isSafeInteger(ttlSeconds) && ttlSeconds > 0 && ttlSeconds <= MAX_ADMIN_TOKEN_TTL_SECONDS)
    ) {
      throw new MeshError(
        "bad_request",
        `ttl must be a positive duration of at most ${MAX_ADMIN_TOKEN_TTL_SECONDS} s`,
        {
          details: [{ path: "ttl", message: "out of range" }],
        },
      );
    }
    const token = newSecret(ADMIN_TOKEN_PREFIX);
    const id = newId("tok_");
    const expiresAt = ttlSeconds === undefined ? null : iso(nowMs + ttlSeconds * 1000);
    this.tokens.insert(
      { id, role, createdAt: iso(nowMs), createdBy: actor, expiresAt, revokedAt: null, revokedBy: null },
      await secretDigest(token),
    );
    return { id, role, token, expiresAt };
  }

  /** The live token with this digest (not revoked, not expired), or undefined. */
  resolveAdminToken(digest: string, nowMs: number): { id: string; role: AdminRole } | undefined {
    const row = this.tokens.byDigest(digest);
    if (row === undefined || row.revokedAt !== null) return undefined;
    if (row.expiresAt !== null && Date.parse(row.expiresAt) <= nowMs) return undefined;
    return { id: row.id, role: row.role };
  }

  listAdminTokens(): AdminTokenRow[] {
    return this.tokens.list();
  }

  revokeAdminToken(id: string, actor: string, nowMs: number): boolean {
    if (!this.tokens.exists(id)) throw new MeshError("not_found", `token ${id} not found`);
    return this.tokens.revoke(id, iso(nowMs), actor);
  }
}

async function openOrThrow(
  secret: string,
  sealed: { ciphertext: string; iv: string },
  kid: string,
): Promise<Uint8Array> {
  const pkcs8 = await open(secret, sealed, kid);
  if (pkcs8 === null) throw new Error(`signing key ${kid} could not be unsealed right after sealing`);
  return pkcs8;
}

/** The trust domain of a stored snapshot, parsed once per revision. */
export function trustDomainReader(read: () => { revision: number; json: string }): () => string {
  let cached: { revision: number; trustDomain: string } | null = null;
  return () => {
    const snapshot = read();
    if (cached?.revision !== snapshot.revision) {
      const mesh = (JSON.parse(snapshot.json) as { mesh?: { trustDomain?: unknown } }).mesh;
      const trustDomain = typeof mesh?.trustDomain === "string" ? mesh.trustDomain : "cluster.local";
      cached = { revision: snapshot.revision, trustDomain };
    }
    return cached.trustDomain;
  };
}
