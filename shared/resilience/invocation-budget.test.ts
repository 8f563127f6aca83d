// The 32-invocations-per-request budget: reading it, splitting it between tries, and chains of proxies.
import { describe, expect, it } from "vitest";
import { INVOCATION_LIMIT, planTries, readInvocationBudget } from "./invocation-budget";

describe("readInvocationBudget", () => {
  it.each([
    [null, "ingress", 32],
    ["3", "ingress", 32],
    [null, "egress", 31],
    ["10", "egress", 9],
    [" 10 ", "egress", 9],
    ["0", "egress", 0],
    ["1", "egress", 0],
    ["999", "egress", 31],
    ["-4", "egress", 31],
    ["abc", "egress", 31],
    ["", "egress", 31],
  ] as const)("%j on %s → %d", (header, origin, expected) =>
    expect(readInvocationBudget(header, origin)).toBe(expected),
  );
});

describe("planTries", () => {
  it.each([
    [32, 2, { maxTries: 3, childBudget: 10 }],
    [32, 0, { maxTries: 1, childBudget: 31 }],
    [32, 100, { maxTries: 6, childBudget: 5 }],
    [11, 2, { maxTries: 2, childBudget: 5 }],
    [9, 2, { maxTries: 1, childBudget: 8 }],
    [3, 2, { maxTries: 1, childBudget: 2 }],
    [1, 2, { maxTries: 1, childBudget: 0 }],
    [0, 2, { maxTries: 1, childBudget: 0 }],
  ])("budget %d, attempts %d → %j", (budget, attempts, expected) =>
    expect(planTries(budget, attempts)).toEqual(expected),
  );

  it("does not cap tries to URL endpoints (subrequests are not Worker invocations)", () => {
    expect(planTries(1, 4, false)).toEqual({ maxTries: 5, childBudget: 0 });
  });

  // Worst case: every try at every level fails after its subtree did as much as it may, and every proxy
  // retries as much as it may. Counts invocations: each proxy 1, each Worker endpoint 1; `depth` is the
  // number of service hops below the first proxy.
  const worstCase = (budget: number, depth: number, attempts: number): number => {
    const { maxTries, childBudget } = planTries(budget, attempts);
    if (depth === 0) return 1 + maxTries; // the last proxy's tries reach leaf Workers
    // Each try: the Worker (1) plus the next proxy, reached through that Worker's egress call.
    return 1 + maxTries * (1 + worstCase(readInvocationBudget(String(childBudget), "egress"), depth - 1, attempts));
  };

  it.each([[1], [2], [3], [5], [30], [1000]])(
    "keeps chains of three services within 32 invocations (attempts %d everywhere)",
    (attempts) => {
      for (const depth of [0, 1, 2])
        expect(worstCase(INVOCATION_LIMIT, depth, attempts)).toBeLessThanOrEqual(INVOCATION_LIMIT);
    },
  );

  it("retries at one level: the edge keeps Istio's default, a nested proxy retries only if the edge did not", () => {
    const nested = (edgeAttempts: number) =>
      planTries(readInvocationBudget(String(planTries(INVOCATION_LIMIT, edgeAttempts).childBudget), "egress"), 2)
        .maxTries;
    expect(planTries(INVOCATION_LIMIT, 2).maxTries).toBe(3);
    expect(nested(2)).toBe(1);
    expect(nested(0)).toBe(3);
  });
});
