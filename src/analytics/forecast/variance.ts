/**
 * h-step forecast variances of the additive ETS models as multiples of the
 * one-step variance σ²: v_h / σ² = 1 + Σ_{j=1}^{h−1} c_j², written in closed form
 * (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed.,
 * Table 8.8; Hyndman et al. 2008, Table 6.1, class 1).
 */

/**
 * ETS(A,A,N), c_j = α + βj: 1 + (h−1)[α² + αβh + β²h(2h−1)/6].
 * @example holtVarianceFactor(2, 0.5, 0.25) // 1 + 0.75² = 1.5625
 * @complexity O(1)
 */
export function holtVarianceFactor(h: number, alpha: number, beta: number): number {
  return 1 + (h - 1) * (alpha * alpha + alpha * beta * h + (beta * beta * h * (2 * h - 1)) / 6);
}

/**
 * ETS(A,A,A), c_j = α + βj + γ·[j ≡ 0 mod m]: the ETS(A,A,N) factor plus
 * γk(2α + γ + βm(k + 1)), k = ⌊(h − 1)/m⌋ the number of whole seasons inside
 * the horizon (the steps at which the seasonal state has been updated again).
 * @example holtWintersVarianceFactor(5, 0.5, 0.1, 0.2, 4) // 1 + Σ_{j=1}^{4} c_j² with c_4 += γ
 * @complexity O(1)
 */
export function holtWintersVarianceFactor(
  h: number,
  alpha: number,
  beta: number,
  gamma: number,
  m: number,
): number {
  const k = Math.floor((h - 1) / m);
  return holtVarianceFactor(h, alpha, beta) + gamma * k * (2 * alpha + gamma + beta * m * (k + 1));
}
