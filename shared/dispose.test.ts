import { describe, expect, it } from "vitest";
import { releaseRpcResult } from "./dispose";

describe("releaseRpcResult", () => {
  it("calls the result's disposer once, and ignores values without one", () => {
    let calls = 0;
    const result = { jwks: [], [Symbol.dispose]: () => void calls++ };
    releaseRpcResult(result);
    expect(calls).toBe(1);
    for (const value of [null, undefined, 3, "text", {}, []]) expect(() => releaseRpcResult(value)).not.toThrow();
  });
});
