// Fault injection: independent delay/abort draws, absent percentage = 100, convergence to the percentage.
import { describe, expect, it } from "vitest";
import { decideFault } from "./fault";
import { fixedRandom, seededRandom } from "./testing/prng";

describe("decideFault", () => {
  it.each([
    [undefined, [0], {}],
    [{}, [0], {}],
    [{ delay: { ms: 7000 } }, [0.999], { delayMs: 7000 }],
    [{ abort: { status: 500 } }, [0.999], { abortStatus: 500 }],
    [{ delay: { ms: 5, percent: 50 } }, [0.49], { delayMs: 5 }],
    [{ delay: { ms: 5, percent: 50 } }, [0.5], {}],
    [{ abort: { status: 503, percent: 0 } }, [0], {}],
    [{ delay: { ms: 5, percent: 10 }, abort: { status: 503, percent: 10 } }, [0.05, 0.5], { delayMs: 5 }],
    [{ delay: { ms: 5, percent: 10 }, abort: { status: 503, percent: 10 } }, [0.5, 0.05], { abortStatus: 503 }],
    [
      { delay: { ms: 5, percent: 10 }, abort: { status: 503, percent: 10 } },
      [0.01, 0.01],
      { delayMs: 5, abortStatus: 503 },
    ],
  ])("%j with draws %j → %j", (fault, draws, expected) =>
    expect(decideFault(fault, fixedRandom(...draws))).toEqual(expected),
  );

  it.each([[50], [10], [0.1], [33.3], [99.5]])("%d %% of 10 000 requests are aborted, within ±1 point", (percent) => {
    const random = seededRandom(7);
    let hits = 0;
    for (let i = 0; i < 10_000; i++)
      if (decideFault({ abort: { status: 503, percent } }, random).abortStatus !== undefined) hits++;
    expect(Math.abs((hits / 10_000) * 100 - percent)).toBeLessThanOrEqual(1);
  });

  it("delay and abort are independent: 50 % × 50 % → about 25 % get both", () => {
    const random = seededRandom(11);
    let both = 0;
    for (let i = 0; i < 10_000; i++) {
      const d = decideFault({ delay: { ms: 1, percent: 50 }, abort: { status: 500, percent: 50 } }, random);
      if (d.delayMs !== undefined && d.abortStatus !== undefined) both++;
    }
    expect(Math.abs(both / 100 - 25)).toBeLessThanOrEqual(1);
  });
});
