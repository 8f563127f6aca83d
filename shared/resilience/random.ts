// Guards the caller-supplied randomness: every module takes `random01` as an argument, never Math.random.

/** A source of uniform numbers in [0, 1); the proxy passes `Math.random`, tests a seeded PRNG. */
export type Random01 = () => number;

/** Draws once and clamps into [0, 1) so a faulty source (NaN, 1, -0.1) cannot produce out-of-range picks. */
export function draw(random01: Random01): number {
  const r = random01();
  if (!(r >= 0)) return 0;
  return r < 1 ? r : 1 - Number.EPSILON;
}
