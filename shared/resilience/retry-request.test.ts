// Body replay plans and endpoint choice for retries.
import { describe, expect, it } from "vitest";
import { bodyReplayPlan, retryCandidates, RETRY_BODY_LIMIT_BYTES } from "./retry-request";

describe("bodyReplayPlan", () => {
  it("uses a 64 KiB bound by default", () => expect(RETRY_BODY_LIMIT_BYTES).toBe(65_536));

  it.each([
    [{ hasBody: false, contentLength: null }, 2, "none"],
    [{ hasBody: true, contentLength: 0 }, 2, "none"],
    [{ hasBody: true, contentLength: 10 }, 2, "buffer"],
    [{ hasBody: true, contentLength: 65_536 }, 2, "buffer"],
    [{ hasBody: true, contentLength: 65_537 }, 2, "stream"],
    [{ hasBody: true, contentLength: null }, 2, "buffer-if-fits"],
    [{ hasBody: true, contentLength: 10 }, 0, "stream"],
    [{ hasBody: true, contentLength: null }, 0, "stream"],
  ] as const)("%j with %d retries → %s", (body, retries, expected) =>
    expect(bodyReplayPlan(body, retries)).toBe(expected),
  );

  it("accepts another bound", () => expect(bodyReplayPlan({ hasBody: true, contentLength: 11 }, 1, 10)).toBe("stream"));
});

describe("retryCandidates", () => {
  it.each([
    [["a", "b", "c"], ["a"], ["b", "c"]],
    [["a", "b", "c"], ["a", "c"], ["b"]],
    [
      ["a", "b"],
      ["a", "b"],
      ["a", "b"],
    ],
    [["a"], ["a"], ["a"]],
    [["a", "b"], [], ["a", "b"]],
  ])("%j minus tried %j → %j", (ids, tried, expected) =>
    expect(retryCandidates(ids, new Set(tried))).toEqual(expected),
  );
});
