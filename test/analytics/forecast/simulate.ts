/**
 * Seeded random series for the forecasting tests: a 32-bit linear
 * congruential generator (Numerical Recipes' a = 1664525, c = 1013904223),
 * Box–Muller normals, and simulators that follow the model equations literally.
 */

export interface Rng {
  /** Uniform on (0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

export function lcg(seed: number): Rng {
  let state = seed >>> 0;
  let spare: number | null = null;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  return {
    uniform,
    normal() {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      const r = Math.sqrt(-2 * Math.log(uniform()));
      const theta = 2 * Math.PI * uniform();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
  };
}

/** ETS(A,A,N): y_t = ℓ + b + e_t; ℓ ← ℓ + b + αe_t; b ← b + βe_t. */
export function simulateHolt(
  rng: Rng,
  n: number,
  alpha: number,
  beta: number,
  sigma: number,
  level = 10,
  trend = 0.5,
): number[] {
  const y: number[] = [];
  let l = level;
  let b = trend;
  for (let t = 0; t < n; t++) {
    const e = sigma * rng.normal();
    y.push(l + b + e);
    l += b + alpha * e;
    b += beta * e;
  }
  return y;
}

/** ETS(A,A,A) with initial seasonal states `season` (length m): y_t = ℓ + b + s_{t−m} + e_t. */
export function simulateHoltWinters(
  rng: Rng,
  n: number,
  alpha: number,
  beta: number,
  gamma: number,
  sigma: number,
  season: readonly number[],
  level = 50,
  trend = 0.2,
): number[] {
  const s = [...season];
  const m = s.length;
  const y: number[] = [];
  let l = level;
  let b = trend;
  for (let t = 0; t < n; t++) {
    const e = sigma * rng.normal();
    y.push(l + b + s[t % m]! + e);
    l += b + alpha * e;
    b += beta * e;
    s[t % m]! += gamma * e;
  }
  return y;
}

/** a + b·t + N(0, σ²) noise. */
export function simulateLine(rng: Rng, n: number, a: number, b: number, sigma: number): number[] {
  return Array.from({ length: n }, (_, t) => a + b * t + sigma * rng.normal());
}
