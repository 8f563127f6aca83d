// One AuthorizationPolicy rule compiled into a predicate: from (OR) × to (OR) × when (AND).
import type { AuthzConditionModel, AuthzOperationModel, AuthzRuleModel, AuthzSourceModel } from "../model/security";
import type { RequestAttributes } from "./attributes";
import { compileIpBlocks, matchIpBlocks, parseIp, type IpAddress } from "./cidr";
import { compileIstioHost, compileIstioPath, hostWithoutPort } from "./authz-path";
import { matchIstioString, matchRequestPrincipal, parsePrincipal, type WorkloadIdentity } from "./principal";

/**
 * Per-request derived facts, shared by every policy. The costly ones (address and principal parsing) are
 * computed on first use and kept: most policy sets never look at an IP or a namespace.
 */
export interface RequestView {
  readonly attrs: RequestAttributes;
  readonly authority: string;
  readonly hostOnly: string;
  readonly identity: WorkloadIdentity | null;
  readonly sourceIp: IpAddress | null;
  readonly remoteIp: IpAddress | null;
  readonly destinationIp: IpAddress | null;
}

/** Not computed yet (null is a computed "absent"). */
const UNSET: unique symbol = Symbol("unset");

/** One object per request whose fields are computed on first read: no closures, nothing a rule does not read. */
class LazyRequestView implements RequestView {
  #authority: string | typeof UNSET = UNSET;
  #hostOnly: string | typeof UNSET = UNSET;
  #identity: WorkloadIdentity | null | typeof UNSET = UNSET;
  #sourceIp: IpAddress | null | typeof UNSET = UNSET;
  #remoteIp: IpAddress | null | typeof UNSET = UNSET;
  #destinationIp: IpAddress | null | typeof UNSET = UNSET;

  constructor(readonly attrs: RequestAttributes) {}

  get authority(): string {
    if (this.#authority === UNSET) this.#authority = this.attrs.host.toLowerCase();
    return this.#authority;
  }
  get hostOnly(): string {
    if (this.#hostOnly === UNSET) this.#hostOnly = hostWithoutPort(this.attrs.host);
    return this.#hostOnly;
  }
  get identity(): WorkloadIdentity | null {
    if (this.#identity === UNSET) {
      const principal = this.attrs.sourcePrincipal;
      this.#identity = principal === undefined ? null : parsePrincipal(principal);
    }
    return this.#identity;
  }
  get sourceIp(): IpAddress | null {
    if (this.#sourceIp === UNSET) this.#sourceIp = ipOf(this.attrs.sourceIp);
    return this.#sourceIp;
  }
  get remoteIp(): IpAddress | null {
    if (this.#remoteIp === UNSET) this.#remoteIp = ipOf(this.attrs.remoteIp ?? this.attrs.sourceIp);
    return this.#remoteIp;
  }
  get destinationIp(): IpAddress | null {
    if (this.#destinationIp === UNSET) this.#destinationIp = ipOf(this.attrs.destinationIp);
    return this.#destinationIp;
  }
}

function ipOf(text: string | undefined): IpAddress | null {
  return text === undefined ? null : parseIp(text);
}

export function viewOf(attrs: RequestAttributes): RequestView {
  return new LazyRequestView(attrs);
}

export type Predicate = (v: RequestView) => boolean;
/** Compiles one value of a field; null = the value is not understood. */
type ValueCompiler = (value: string) => Predicate | null;
/** Compiles all values of a field at once (IP lists); null = not understood. */
type ListCompiler = (values: string[]) => Predicate | null;

export interface RuleContext {
  policyNamespace: string;
  /**
   * What a field or condition flaremesh does not understand evaluates to: false in ALLOW/AUDIT (the rule
   * cannot grant access), true in DENY/CUSTOM (the rule still refuses) — fail closed either way.
   */
  unsupported: boolean;
}

const TRUE: Predicate = () => true;

function eachValue(one: ValueCompiler): ListCompiler {
  return (values) => {
    const preds: Predicate[] = [];
    for (const value of values) {
      const p = one(value);
      if (p === null) return null;
      preds.push(p);
    }
    return (v) => preds.some((p) => p(v));
  };
}

/** `field` must match one value, `notField` must match none; an empty list is no constraint. */
function constraint(
  pos: string[] | undefined,
  neg: string[] | undefined,
  compile: ListCompiler,
  ctx: RuleContext,
  out: Predicate[],
): void {
  const fail: Predicate = () => ctx.unsupported;
  if (pos !== undefined && pos.length > 0) out.push(compile(pos) ?? fail);
  if (neg !== undefined && neg.length > 0) {
    const p = compile(neg);
    out.push(p === null ? fail : (v) => !p(v));
  }
}

const ipList =
  (pick: (v: RequestView) => IpAddress | null): ListCompiler =>
  (values) => {
    const list = compileIpBlocks(values);
    return list.invalid.length > 0 ? null : (v) => matchIpBlocks(list, pick(v));
  };

function serviceAccount(policyNamespace: string): ValueCompiler {
  return (value) => {
    const parts = value.split("/");
    if (parts.length > 2) return null;
    const [ns, sa] = parts.length === 2 ? [parts[0], parts[1]] : [policyNamespace, parts[0]];
    return (v) => v.identity !== null && v.identity.namespace === ns && v.identity.serviceAccount === sa;
  };
}

const port: ValueCompiler = (value) =>
  /^\d{1,5}$/.test(value) ? (v) => v.attrs.port !== undefined && v.attrs.port === Number(value) : null;

function all(preds: Predicate[]): Predicate {
  return preds.length === 0 ? TRUE : (v) => preds.every((p) => p(v));
}

/** Istio string matching of one request fact against each value. */
const stringField = (pick: (v: RequestView) => string | undefined | null): ListCompiler =>
  eachValue((p) => (v) => matchIstioString(p, pick(v)));

const requestPrincipalField = eachValue(
  (p) => (v) => matchRequestPrincipal(p, v.attrs.auth?.issuer, v.attrs.auth?.subject),
);

/** A positive field, its negation, and how their values compile. */
type FieldSpec<K> = readonly [K, K, (ctx: RuleContext) => ListCompiler];

const SOURCE_FIELDS: ReadonlyArray<FieldSpec<keyof AuthzSourceModel>> = [
  ["principals", "notPrincipals", () => stringField((v) => v.attrs.sourcePrincipal)],
  ["requestPrincipals", "notRequestPrincipals", () => requestPrincipalField],
  ["namespaces", "notNamespaces", () => stringField((v) => v.identity?.namespace)],
  ["serviceAccounts", "notServiceAccounts", (ctx) => eachValue(serviceAccount(ctx.policyNamespace))],
  ["ipBlocks", "notIpBlocks", () => ipList((v) => v.sourceIp)],
  ["remoteIpBlocks", "notRemoteIpBlocks", () => ipList((v) => v.remoteIp)],
];

const hostField = eachValue((p) => {
  const m = compileIstioHost(p);
  return (v) => m(v.authority, v.hostOnly);
});

const pathField = eachValue((p) => {
  const m = compileIstioPath(p);
  return m === null ? null : (v) => m(v.attrs.path);
});

const OPERATION_FIELDS: ReadonlyArray<FieldSpec<keyof AuthzOperationModel>> = [
  ["hosts", "notHosts", () => hostField],
  ["ports", "notPorts", () => eachValue(port)],
  ["methods", "notMethods", () => stringField((v) => v.attrs.method)],
  ["paths", "notPaths", () => pathField],
];

/**
 * A `source` or `operation`: its fields are AND-ed. Istio refuses an empty one; should one get here, it
 * is "not understood" rather than "anyone".
 */
function compileFields<K extends string>(
  obj: Partial<Record<K, string[]>>,
  fields: ReadonlyArray<FieldSpec<K>>,
  ctx: RuleContext,
): Predicate {
  const out: Predicate[] = [];
  for (const [pos, neg, compiler] of fields) constraint(obj[pos], obj[neg], compiler(ctx), ctx, out);
  return out.length === 0 ? () => ctx.unsupported : all(out);
}

/** A claim at a nested path; strings and lists of strings take part in matching, nothing else does. */
function claimStrings(claims: Record<string, unknown> | undefined, path: string[]): string[] {
  let cur: unknown = claims;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return [];
    cur = Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  if (typeof cur === "string") return [cur];
  if (Array.isArray(cur)) return cur.filter((x): x is string => typeof x === "string");
  return [];
}

/** Header values match whole, or per comma-separated element (how repeated headers are joined). */
function headerMatches(pattern: string, value: string | null): boolean {
  if (value === null) return false;
  if (pattern === "*") return true; // presence, even when empty
  if (matchIstioString(pattern, value)) return true;
  return value.includes(",") && value.split(",").some((part) => matchIstioString(pattern, part.trim()));
}

const CLAIMS_KEY = /^request\.auth\.claims((?:\[[^[\]]+\])+)$/;
const HEADER_KEY = /^request\.headers\[([^[\]]+)\]$/;

/** The compiler for a `when` key, or null for keys flaremesh does not evaluate (e.g. experimental.*). */
export function conditionCompiler(key: string, ctx: RuleContext): ListCompiler | null {
  const claims = CLAIMS_KEY.exec(key);
  if (claims !== null) {
    const path = [...(claims[1] ?? "").matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1] ?? "");
    return eachValue((p) => (v) => claimStrings(v.attrs.auth?.claims, path).some((c) => matchIstioString(p, c)));
  }
  const header = HEADER_KEY.exec(key);
  if (header !== null) {
    const name = (header[1] ?? "").toLowerCase();
    return eachValue((p) => (v) => headerMatches(p, v.attrs.headers.get(name)));
  }
  switch (key) {
    case "source.ip":
      return ipList((v) => v.sourceIp);
    case "remote.ip":
      return ipList((v) => v.remoteIp);
    case "destination.ip":
      return ipList((v) => v.destinationIp);
    case "destination.port":
      return eachValue(port);
    case "source.namespace":
      return stringField((v) => v.identity?.namespace);
    case "source.principal":
      return stringField((v) => v.attrs.sourcePrincipal);
    case "source.serviceAccount":
      return eachValue(serviceAccount(ctx.policyNamespace));
    case "request.auth.principal":
      return requestPrincipalField;
    case "request.auth.audiences":
      return eachValue((p) => (v) => (v.attrs.auth?.audiences ?? []).some((a) => matchIstioString(p, a)));
    case "request.auth.presenter":
      return stringField((v) => v.attrs.auth?.presenter);
    case "connection.sni":
      return stringField((v) => v.attrs.sni);
    default:
      return null;
  }
}

/** Whether flaremesh evaluates this `when` key (validation can warn about the others). */
export function isSupportedConditionKey(key: string): boolean {
  return conditionCompiler(key, { policyNamespace: "default", unsupported: false }) !== null;
}

function compileCondition(c: AuthzConditionModel, ctx: RuleContext): Predicate {
  const compiler = conditionCompiler(c.key, ctx);
  const hasValues = (c.values?.length ?? 0) > 0 || (c.notValues?.length ?? 0) > 0;
  if (compiler === null || !hasValues) return () => ctx.unsupported;
  const out: Predicate[] = [];
  constraint(c.values, c.notValues, compiler, ctx, out);
  return all(out);
}

export function compileRule(rule: AuthzRuleModel, ctx: RuleContext): Predicate {
  const from = rule.from.map((s) => compileFields(s, SOURCE_FIELDS, ctx));
  const to = rule.to.map((o) => compileFields(o, OPERATION_FIELDS, ctx));
  const when = rule.when.map((c) => compileCondition(c, ctx));
  const fromOk: Predicate = from.length === 0 ? TRUE : (v) => from.some((p) => p(v));
  const toOk: Predicate = to.length === 0 ? TRUE : (v) => to.some((p) => p(v));
  return (v) => fromOk(v) && toOk(v) && when.every((p) => p(v));
}
