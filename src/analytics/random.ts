/**
 * A small seeded PRNG so that randomised methods (isolation forest) are
 * reproducible: same seed, same numbers, on every platform. Shared by the
 * isolation forest, Sen's slope sampling, tests and the bench.
 */

/**
 * mulberry32 (Tommy Ettinger, 2017): 32-bit state, period 2³², passes
 * gjrand/PractRand for the sample sizes used here. Returns a generator of
 * uniform numbers in [0, 1).
 * @example const next = mulberry32(1); next() // 0.6270739405881613
 * @complexity O(1) per number
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
