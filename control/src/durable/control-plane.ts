// The ControlPlane Durable Object: the one place of truth for resources, revisions, snapshots and proxy status.
// Its RPC methods are synchronous over SQLite, so every change runs alone and commits atomically.
import { isMeshError } from "../../../shared/errors";
import type { ErrorDetail } from "../../../shared/errors";
import type { Resource } from "../../../shared/resources/resource";
import { canonicalKind, resourceId } from "../../../shared/resources/resource";
import type { ValidateOptions } from "../../../shared/validate/index";
import { validateDocuments } from "../../../shared/validate/index";
import { meshEnvironment, type ControlEnv } from "../env";
import { IdentityObject } from "../identity/identity-object";
import type { ApplyResultItem } from "../plane/apply-plan";
import { documentName, planApply } from "../plane/apply-plan";
import { byId, commit, recordEmptyMesh, sameSet, type Stores } from "../plane/commit";
import { partsFromJson, type SnapshotParts } from "../../../shared/model/snapshot-parts";
import { introducedProblems, referenceFailure } from "../plane/references";
import type { PlaneResult } from "../plane/result";
import { fail, fromMeshError, ok } from "../plane/result";
import { HeartbeatStore, type Heartbeat } from "../storage/heartbeat-store";
import { ResourceStore } from "../storage/resource-store";
import { RevisionStore, type RevisionEntry } from "../storage/revision-store";
import { migrate } from "../storage/schema";
import { SnapshotStore, type StoredSnapshot } from "../storage/snapshot-store";
import { sanitizeHeartbeats } from "./heartbeats";
import { deepFreeze } from "../../../shared/deep-freeze";

/** `GET /v1/status` lists proxies seen within this window. */
const STATUS_WINDOW_MS = 5 * 60_000;
/** Heartbeats older than this are forgotten. */
const HEARTBEAT_RETENTION_MS = 24 * 3_600_000;

export interface ApplyOptions {
  dryRun?: boolean;
  actor: string;
  environment?: ValidateOptions["environment"];
}

export interface ApplyOutcome {
  revision: number;
  results: ApplyResultItem[];
  warnings?: ErrorDetail[];
  dryRun?: true;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface ProxyStatus {
  id: string;
  worker: string;
  revision: number | null;
  lastSeen: string;
  upToDate: boolean;
}

// The mesh CA, credentials and admin tokens (RPC methods and the alarm) come from IdentityObject.
export class ControlPlane extends IdentityObject {
  private readonly stores: Stores;
  private readonly heartbeats: HeartbeatStore;
  /** The latest snapshot, kept in memory; replaced on every commit. */
  private snapshot: StoredSnapshot | undefined;
  /**
   * The current resource set, read from storage once and then replaced by each commit (every write goes through
   * `commit`): an apply to a mesh of 2,000 resources no longer parses all of them again. Frozen, so that no
   * caller can change the cached objects.
   */
  private resources: ReadonlyMap<string, Resource> | undefined;
  /** The latest snapshot split per service, each with the revision it last changed in (snapshot-parts.ts). */
  private parts: SnapshotParts | undefined;

  constructor(ctx: DurableObjectState, env: ControlEnv) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.stores = {
      resources: new ResourceStore(sql),
      revisions: new RevisionStore(sql),
      snapshot: new SnapshotStore(sql),
    };
    this.heartbeats = new HeartbeatStore(sql);
    ctx.storage.transactionSync(() => {
      const now = new Date().toISOString();
      migrate(sql, now);
      if (this.stores.revisions.current() < 0) recordEmptyMesh(this.stores, now);
    });
  }

  apply(documents: unknown[], options: ApplyOptions): PlaneResult<ApplyOutcome> {
    return guard(() => {
      if (!Array.isArray(documents)) return fail("bad_request", "documents must be an array");
      const environment = options.environment ?? meshEnvironment(this.env);
      const validated = validateDocuments(documents, { environment });
      if (!validated.ok) {
        return fail("invalid_resource", "the request has invalid documents; nothing was applied", {
          details: validated.problems,
        });
      }
      const sent = validated.resources.map(
        (r, i) => versionText(r.metadata.resourceVersion) ?? sentVersion(documents[i]),
      );
      const current = this.currentResources();
      const planned = planApply(current, validated.resources, sent);
      if (!planned.ok) return planned;
      const plan = planned.value;
      const warnings = validated.warnings.length > 0 ? { warnings: validated.warnings } : {};
      const revision = this.stores.revisions.current();
      if (!plan.changed) return ok({ revision, results: plan.results, ...warnings, ...dry(options) });
      const problems = introducedProblems([...plan.next.values()], [...current.values()], { environment });
      if (problems.length > 0)
        return referenceFailure(problems, "the resulting configuration is inconsistent; nothing was applied");
      if (options.dryRun) return ok({ revision: revision + 1, results: plan.results, ...warnings, dryRun: true });
      const committed = this.commit(current, plan.next, options.actor, plan.summary);
      return ok({ revision: committed, results: plan.results, ...warnings });
    });
  }

  list(kind?: string): PlaneResult<{ revision: number; items: Resource[] }> {
    return guard(() => {
      const revision = this.stores.revisions.current();
      if (kind === undefined) return ok({ revision, items: this.stores.resources.all() });
      const canonical = canonicalKind(kind);
      if (!canonical) return fail("not_found", `unknown kind "${kind}"`);
      return ok({ revision, items: this.stores.resources.ofKind(canonical) });
    });
  }

  get(kind: string, namespace: string, name: string): PlaneResult<Resource> {
    return guard(() => {
      const id = this.idOf(kind, namespace, name);
      if (!id.ok) return id;
      const resource = this.stores.resources.get(id.value);
      return resource ? ok(resource) : fail("not_found", `${id.value} not found`);
    });
  }

  delete(
    kind: string,
    namespace: string,
    name: string,
    actor: string,
  ): PlaneResult<{ revision: number; deleted: ResourceRef }> {
    return guard(() => {
      const id = this.idOf(kind, namespace, name);
      if (!id.ok) return id;
      const current = this.currentResources();
      const target = current.get(id.value);
      if (!target) return fail("not_found", `${id.value} not found`);
      const next = new Map(current);
      next.delete(id.value);
      const problems = introducedProblems([...next.values()], [...current.values()], this.validateOptions());
      if (problems.length > 0) {
        return fail("invalid_resource", `cannot delete ${documentName(target)}: other resources refer to it`, {
          details: problems,
        });
      }
      const revision = this.commit(current, next, actor, `delete ${id.value}`);
      const { apiVersion, metadata } = target;
      return ok({
        revision,
        deleted: { apiVersion, kind: target.kind, namespace: metadata.namespace, name: metadata.name },
      });
    });
  }

  revisions(): PlaneResult<{ items: RevisionEntry[] }> {
    return guard(() => ok({ items: this.stores.revisions.list() }));
  }

  rollback(revision: number, actor: string): PlaneResult<{ revision: number; changed: boolean }> {
    return guard(() => {
      if (!Number.isSafeInteger(revision) || !this.stores.revisions.exists(revision)) {
        return fail("not_found", `revision ${String(revision)} not found`);
      }
      const current = this.currentResources();
      const target = byId(this.stores.revisions.content(revision));
      if (sameSet(current, target)) return ok({ revision: this.stores.revisions.current(), changed: false });
      const problems = introducedProblems([...target.values()], [...current.values()], this.validateOptions());
      if (problems.length > 0)
        return referenceFailure(problems, `revision ${revision} is not valid any more; nothing changed`);
      return ok({ revision: this.commit(current, target, actor, `rollback to revision ${revision}`), changed: true });
    });
  }

  status(): PlaneResult<{ revision: number; proxies: ProxyStatus[] }> {
    return guard(() => {
      const revision = this.stores.revisions.current();
      const since = new Date(Date.now() - STATUS_WINDOW_MS).toISOString();
      const proxies = this.heartbeats.seenSince(since).map((beat) => ({
        id: beat.proxyId,
        worker: beat.worker,
        revision: beat.servedRevision,
        lastSeen: beat.lastSeen,
        upToDate: beat.servedRevision === revision,
      }));
      return ok({ revision, proxies });
    });
  }

  /** The current revision and its compiled snapshot (JSON text of a SnapshotModel). */
  getSnapshot(): StoredSnapshot {
    this.snapshot ??= this.stores.snapshot.read();
    if (!this.snapshot) throw new Error("no snapshot stored");
    return this.snapshot;
  }

  /**
   * The current snapshot as parts, for ProxyApi, or null when `known` is already the current revision (the cache of
   * each control isolate asks every 250 ms: an unchanged mesh costs no copy). After a restart, parts are made from
   * the stored JSON with every service as changed in the current revision.
   */
  snapshotParts(known: number | null): SnapshotParts | null {
    const snapshot = this.getSnapshot();
    if (known === snapshot.revision) return null;
    if (this.parts?.revision !== snapshot.revision) this.parts = partsFromJson(snapshot.json);
    return this.parts;
  }

  heartbeat(batch: Heartbeat[]): void {
    const beats = sanitizeHeartbeats(batch);
    this.ctx.storage.transactionSync(() => {
      this.heartbeats.upsert(beats);
      this.heartbeats.prune(new Date(Date.now() - HEARTBEAT_RETENTION_MS).toISOString());
    });
  }

  private commit(
    current: ReadonlyMap<string, Resource>,
    next: ReadonlyMap<string, Resource>,
    actor: string,
    summary: string,
  ): number {
    const now = new Date().toISOString();
    // The current revision's parts (made from the stored snapshot after a restart), so that services keep the
    // revision they last changed in across restarts of the object.
    const previous = this.snapshotParts(null) ?? undefined;
    const committed = this.ctx.storage.transactionSync(() =>
      commit(this.stores, current, next, { actor, summary, now }, previous),
    );
    // Only once the transaction has committed: a failed commit leaves storage, and so the cache, as it was.
    this.snapshot = { revision: committed.revision, json: committed.snapshotJson };
    this.parts = committed.parts;
    this.resources = byId(committed.stored.map(deepFreeze));
    return committed.revision;
  }

  private currentResources(): ReadonlyMap<string, Resource> {
    this.resources ??= byId(this.stores.resources.all().map(deepFreeze));
    return this.resources;
  }

  private idOf(kind: string, namespace: string, name: string): PlaneResult<string> {
    const canonical = canonicalKind(kind);
    if (!canonical) return fail("not_found", `unknown kind "${kind}"`);
    return ok(resourceId({ kind: canonical, metadata: { namespace, name } }));
  }

  private validateOptions(): ValidateOptions {
    return { environment: meshEnvironment(this.env) };
  }
}

function dry(options: ApplyOptions): { dryRun?: true } {
  return options.dryRun ? { dryRun: true } : {};
}

/** The `metadata.resourceVersion` a raw document carried, if any. */
function sentVersion(document: unknown): string | undefined {
  if (typeof document !== "object" || document === null) return undefined;
  const metadata = (document as { metadata?: unknown }).metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  return versionText((metadata as { resourceVersion?: unknown }).resourceVersion);
}

/** Kubernetes writes resourceVersion as a string; YAML users may write a bare number. */
function versionText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Turns a MeshError thrown by shared code into a failed Result; anything else stays an exception (500). */
function guard<T>(run: () => PlaneResult<T>): PlaneResult<T> {
  try {
    return run();
  } catch (err) {
    if (isMeshError(err) && err.code !== "internal") return fromMeshError(err);
    throw err;
  }
}
