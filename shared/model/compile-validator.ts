// A validator compiled from a zod schema into plain closures: zod's parse semantics, a fraction of its cost in workerd.
import type * as z from "zod";

/** Returns the parsed value (defaults filled in, a new object as zod returns), or FAIL. */
type Check = (value: unknown) => unknown;
const FAIL: unique symbol = Symbol("invalid");

/** Zod 4 internals this reads: every schema's `_zod.def` (type, shape, checks, innerType…) and `_zod.optin/optout`. */
interface Def {
  type: string;
  [field: string]: unknown;
}
interface Internals {
  def: Def;
  optin?: "optional" | "defaulted";
  optout?: "optional";
}
const internals = (schema: unknown): Internals => (schema as { _zod: Internals })._zod;

/**
 * Compiles `schema` once into a tree of closures with zod's parse semantics for JSON input (the shapes the proxy
 * receives). zod cannot compile its own fast path inside workerd (it needs `eval`); its generic path there cost
 * ~10 ms per validation of a 200-route service and ~20 ms cold. Only the schema kinds and checks the snapshot
 * model uses are supported: anything else throws here, at compile time, rather than being checked loosely.
 * `validate-service.test.ts` holds it equal to zod's parse on a corpus and on random mutations of it.
 */
export function compileValidator<T>(schema: z.ZodType<T>): (value: unknown) => T | null {
  const check = compile(schema);
  return (value) => {
    const out = check(value);
    return out === FAIL ? null : (out as T);
  };
}

const compiled = new WeakMap<object, Check>();

function compile(schema: unknown): Check {
  const known = compiled.get(schema as object);
  if (known !== undefined) return known;
  // Recursive schemas resolve through this indirection; the real check replaces it below.
  let real: Check | null = null;
  compiled.set(schema as object, (v) => real!(v));
  try {
    real = build(internals(schema).def);
  } catch (err) {
    compiled.delete(schema as object);
    throw err;
  }
  compiled.set(schema as object, real);
  return real;
}

function build(def: Def): Check {
  switch (def.type) {
    case "string":
      return scalar("string", def);
    case "number":
      return scalar("number", def);
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : FAIL);
    case "literal": {
      const values = def.values as unknown[];
      return (v) => (values.includes(v) ? v : FAIL);
    }
    case "enum": {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => (values.has(v) ? v : FAIL);
    }
    case "unknown":
      return (v) => v;
    case "never":
      return () => FAIL;
    case "optional": {
      const inner = compile(def.innerType);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case "nullable": {
      const inner = compile(def.innerType);
      return (v) => (v === null ? null : inner(v));
    }
    case "default": {
      // zod returns the default as is (its getter hands out a copy), without validating it.
      const inner = compile(def.innerType);
      return (v) => {
        if (v === undefined) return def.defaultValue;
        const out = inner(v);
        return out === undefined ? def.defaultValue : out;
      };
    }
    case "prefault": {
      // The default goes through the inner schema, like a value that was sent.
      const inner = compile(def.innerType);
      return (v) => inner(v === undefined ? def.defaultValue : v);
    }
    case "array":
      return array(def);
    case "object":
      return object(def);
    case "record":
      return record(def);
    case "union": {
      const options = (def.options as unknown[]).map(compile);
      return (v) => {
        for (const option of options) {
          const out = option(v);
          if (out !== FAIL) return out;
        }
        return FAIL;
      };
    }
    default:
      throw new Error(`compileValidator: unsupported schema type ${def.type}`);
  }
}

/** A string or number with its checks (zod: a number is finite; `int()` is a safe integer). */
function scalar(type: "string" | "number", def: Def): Check {
  const tests = ((def.checks as unknown[] | undefined) ?? []).map((c) => scalarCheck(type, internals(c).def));
  const isType =
    type === "string"
      ? (v: unknown) => typeof v === "string"
      : (v: unknown) => typeof v === "number" && Number.isFinite(v);
  if (tests.length === 0) return (v) => (isType(v) ? v : FAIL);
  return (v) => {
    if (!isType(v)) return FAIL;
    for (const test of tests) if (!test(v)) return FAIL;
    return v;
  };
}

function scalarCheck(type: string, check: Def): (v: unknown) => boolean {
  const kind = `${type}:${String(check.check)}${check.format ? `/${String(check.format)}` : ""}`;
  switch (kind) {
    case "string:min_length":
      return (v) => (v as string).length >= (check.minimum as number);
    case "string:max_length":
      return (v) => (v as string).length <= (check.maximum as number);
    case "string:string_format/regex": {
      const pattern = check.pattern as RegExp;
      return (v) => {
        pattern.lastIndex = 0;
        return pattern.test(v as string);
      };
    }
    case "string:string_format/starts_with":
      return (v) => (v as string).startsWith(check.prefix as string);
    case "number:number_format/safeint":
      return (v) => Number.isSafeInteger(v);
    case "number:greater_than":
      return check.inclusive
        ? (v) => (v as number) >= (check.value as number)
        : (v) => (v as number) > (check.value as number);
    case "number:less_than":
      return check.inclusive
        ? (v) => (v as number) <= (check.value as number)
        : (v) => (v as number) < (check.value as number);
    default:
      throw new Error(`compileValidator: unsupported check ${kind}`);
  }
}

function array(def: Def): Check {
  if (((def.checks as unknown[] | undefined) ?? []).length > 0)
    throw new Error("compileValidator: array checks are not supported");
  const element = compile(def.element);
  return (v) => {
    if (!Array.isArray(v)) return FAIL;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = element(v[i]);
      if (item === FAIL) return FAIL;
      out[i] = item;
    }
    return out;
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

interface Field {
  key: string;
  check: Check;
  /** Absent keys: "optional" leaves them out, "defaulted" runs the check on undefined, undefined fails. */
  optin: Internals["optin"];
  optionalOut: boolean;
}

function object(def: Def): Check {
  const shape = def.shape as Record<string, unknown>;
  const fields: Field[] = Object.keys(shape).map((key) => {
    const zod = internals(shape[key]);
    return { key, check: compile(shape[key]), optin: zod.optin, optionalOut: zod.optout === "optional" };
  });
  const keys = new Set(Object.keys(shape));
  // Unknown keys: a strict object (catchall never) refuses them, a loose one keeps them (checked by the catchall),
  // a plain one drops them.
  const catchall = def.catchall === undefined ? null : compile(def.catchall);
  const strict = def.catchall !== undefined && internals(def.catchall).def.type === "never";
  return (v) => {
    if (!isPlainObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const present = field.key in v;
      if (!present) {
        if (field.optin === undefined) return FAIL;
        if (field.optin === "optional" && field.optionalOut) continue;
      }
      const value = field.check(present ? v[field.key] : undefined);
      if (value === FAIL) {
        if (!present && field.optionalOut) continue;
        return FAIL;
      }
      if (value !== undefined || present || (field.optin === "defaulted" && !field.optionalOut)) out[field.key] = value;
    }
    if (catchall !== null)
      for (const key in v) {
        if (keys.has(key)) continue;
        if (strict) return FAIL;
        // Never copied: assigning it would replace the result's prototype.
        if (key === "__proto__") continue;
        const value = catchall(v[key]);
        if (value === FAIL) return FAIL;
        out[key] = value;
      }
    return out;
  };
}

function record(def: Def): Check {
  const keyType = internals(def.keyType).def;
  if (keyType.type !== "string" || ((keyType.checks as unknown[] | undefined) ?? []).length > 0)
    throw new Error("compileValidator: only records keyed by plain strings are supported");
  const value = compile(def.valueType);
  return (v) => {
    if (!isPlainObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      // zod drops a `__proto__` key from a record (assigning it would replace the result's prototype).
      if (key === "__proto__") continue;
      const item = value(v[key]);
      if (item === FAIL) return FAIL;
      out[key] = item;
    }
    return out;
  };
}
