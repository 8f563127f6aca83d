// The proxy's compiled ServiceModel validator agrees with zod's: on every service the test corpora compile
// to, and on random mutations of them (wrong types, missing and unknown fields, out-of-range values).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSnapshot } from "../compile/index";
import * as B from "../validate/testing/bookinfo";
import * as G from "../validate/testing/gamma";
import { loadResources } from "../validate/testing/load";
import { parseServiceModel } from "./snapshot";
import { validateService } from "./validate-service";

const CORPUS = join(__dirname, "../../test/cli/corpus/good");
const DEMO_TASKS = join(__dirname, "../../infra/demo/tasks");
const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => readFileSync(join(dir, f), "utf8"));

/** Every service model the corpora compile to, as a proxy receives it (JSON). */
function corpusServices(): unknown[] {
  const sets = [
    [B.BOOKINFO_SERVICES, B.DESTINATION_RULE_ALL, B.VIRTUAL_SERVICE_ALL_V1],
    [B.BOOKINFO_SERVICES, G.REVIEWS_VERSION_SERVICES, G.HTTPROUTE_REVIEWS_JASON],
    ...[
      B.VIRTUAL_SERVICE_REVIEWS_TEST_V2,
      B.VIRTUAL_SERVICE_REVIEWS_50_V3,
      B.VIRTUAL_SERVICE_RATINGS_TEST_DELAY,
      B.VIRTUAL_SERVICE_RATINGS_TEST_ABORT,
    ].map((vs) => [B.BOOKINFO_SERVICES, B.DESTINATION_RULE_ALL, vs]),
    ...[...yamlFiles(CORPUS), ...yamlFiles(DEMO_TASKS)].map((text) => [B.BOOKINFO_SERVICES, text]),
  ];
  const out: unknown[] = [];
  for (const texts of sets) {
    let resources;
    try {
      resources = loadResources(...texts);
    } catch {
      continue; // a corpus file that needs other services than Bookinfo's
    }
    const snapshot = JSON.parse(JSON.stringify(compileSnapshot(resources, 1, "2026-11-27T00:00:00.000Z")));
    out.push(...Object.values(snapshot.services as Record<string, unknown>));
  }
  return out;
}

const services = corpusServices();
const copy = <T>(v: T): T => structuredClone(v);

/** Both validators on their own copy: zod's result and the AOT one (which edits its copy in place). */
function both(value: unknown): { zod: unknown; aot: unknown } {
  return { zod: parseServiceModel(copy(value)), aot: validateService(copy(value)) };
}

/** Every [parent, key] inside a JSON value, for mutations. */
function slots(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push([value, i]);
      slots(v, out);
    });
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      slots(v, out);
    }
  return out;
}

describe("validateService (compiled from the zod model)", () => {
  it("accepts every corpus service and returns what zod returns", () => {
    expect(services.length).toBeGreaterThan(30);
    for (const service of services) {
      const { zod, aot } = both(service);
      expect(zod).not.toBeNull();
      expect(aot).toEqual(zod);
    }
  });

  it("fills in defaults as zod does when optional fields are left out", () => {
    const minimal = { name: "reviews", namespace: "default" };
    const { zod, aot } = both(minimal);
    expect(zod).not.toBeNull();
    expect(aot).toEqual(zod);
  });

  it("agrees with zod on random mutations: accepted or refused alike, and equal when accepted", () => {
    const mutation = fc.record({
      service: fc.integer({ min: 0, max: services.length - 1 }),
      slot: fc.nat(),
      action: fc.constantFrom("delete", "replace", "unknown-key", "negate", "stringify", "empty", "integer"),
      value: fc.jsonValue({ maxDepth: 2 }),
    });
    fc.assert(
      fc.property(mutation, ({ service, slot, action, value }) => {
        const target = copy(services[service]);
        const all = slots(target);
        if (all.length === 0) return;
        const [parent, key] = all[slot % all.length]!;
        const current = (parent as Record<string | number, unknown>)[key];
        const set = (v: unknown) => ((parent as Record<string | number, unknown>)[key] = v);
        if (action === "delete") {
          if (Array.isArray(parent)) parent.splice(key as number, 1);
          else delete (parent as Record<string, unknown>)[key as string];
        } else if (action === "replace") set(value);
        else if (action === "unknown-key") {
          if (current !== null && typeof current === "object" && !Array.isArray(current))
            (current as Record<string, unknown>).unexpectedField = value;
          else set(value);
        } else if (action === "negate") set(typeof current === "number" ? -current - 0.5 : value);
        else if (action === "empty")
          set(
            typeof current === "string"
              ? ""
              : typeof current === "number"
                ? 0
                : Array.isArray(current)
                  ? []
                  : typeof current === "object" && current !== null
                    ? {}
                    : null,
          );
        else if (action === "integer") set(typeof current === "number" ? current + 0.5 : 2 ** 53);
        else set(typeof current === "string" ? current : JSON.stringify(current ?? null));
        const { zod, aot } = both(target);
        expect(aot === null, JSON.stringify({ action, key, value })).toBe(zod === null);
        if (zod !== null) expect(aot).toEqual(zod);
      }),
      { numRuns: 3000, seed: 20261127 },
    );
  });

  it("refuses what is not an object", () => {
    for (const v of [null, 1, "service", [], true]) expect(validateService(v)).toBeNull();
  });
});
