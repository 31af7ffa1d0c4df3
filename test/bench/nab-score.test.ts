import { describe, expect, it } from 'vitest';
import {
  bestThreshold,
  fileScore,
  normalise,
  probationLength,
  rowValues,
  scaledSigmoid,
} from '../../bench/nab-score.ts';

// A 20-row file worked by hand. Probation: ⌊0.15·20⌋ = 3 rows (0–2) unscored.
// Windows [5, 8] (width 4) and [14, 15] (width 2).
//   σ(y) = 2/(1 + e^{5y}) − 1; σ(−1) = 2/(1 + e^{−5}) − 1 = 0.9866143
//   row 4, before any window ended:         −0.11
//   row 5, window start y = −4/4 = −1:        σ(−1)/σ(−1) = 1
//   row 7, y = −(8 − 7 + 1)/4 = −0.5:         σ(−0.5) = 2/(1 + e^{−2.5}) − 1 = 0.8483204, /σ(−1) = 0.8597926
//   row 10, past window 1: y = |10 − 8|/(4 − 1) = 2/3: σ(2/3) = 2/(1 + e^{10/3}) − 1 = −0.9311096, ·0.11 = −0.1024221
//   row 14, start of window 2:               1
const file = {
  values: rowValues(20, [
    [5, 8],
    [14, 15],
  ]),
  windows: 2,
};
const detect = (...rows: number[]) => Array.from({ length: 20 }, (_, i) => rows.includes(i));

describe('NAB standard-profile scoring', () => {
  it('weights rows by the scaled sigmoid as worked by hand', () => {
    expect(probationLength(20)).toBe(3);
    expect(probationLength(10_000)).toBe(750);
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866143, 7);
    expect(scaledSigmoid(3.5)).toBe(-1);
    expect(file.values[1]).toBeNull();
    expect(file.values[4]).toEqual({ value: -0.11, window: null });
    expect(file.values[5]!.value).toBeCloseTo(1, 12);
    expect(file.values[7]!.value).toBeCloseTo(0.8597926, 7);
    expect(file.values[10]!.value).toBeCloseTo(-0.1024221, 7);
    expect(file.values[14]).toEqual({ value: 1, window: 1 });
  });

  it('counts the best detection per window, −1 per missed window and every false positive', () => {
    // Rows 1 (probation, ignored), 4 and 10 (false), 7 (window 1, beats nothing earlier); window 2 missed.
    // raw = 0.8597926 − 1 − 0.11 − 0.1024221 = −0.3526295; normalised 100·(−0.3526295 + 2)/4 = 41.18426
    const s = fileScore(file, detect(1, 4, 7, 10));
    expect(s.raw).toBeCloseTo(-0.3526295, 7);
    expect(s).toMatchObject({ truePositives: 1, falsePositives: 2, falseNegatives: 1 });
    expect(normalise(s.raw, 2)).toBeCloseTo(41.18426, 5);
    // A later detection in the same window neither adds nor subtracts.
    expect(fileScore(file, detect(5, 7)).raw).toBeCloseTo(1 - 1, 12);
    expect(fileScore(file, detect()).raw).toBe(-2);
  });

  it('normalises against the null and perfect detectors as NAB does (Numenta HTM: raw 46.634 over 116 windows → 70.10)', () => {
    expect(normalise(46.6344501971, 116)).toBeCloseTo(70.101, 3);
    expect(normalise(-116, 116)).toBe(0);
    expect(normalise(116, 116)).toBe(100);
  });

  it('sweeps one threshold over all files and keeps the best summed score', () => {
    // Scores: row 7 0.9, row 4 0.5, row 10 0.3, row 14 0.2. Raw at each threshold:
    // 0.9 → −2 + 1.8597926 = −0.1402074; 0.5 → −0.2502074; 0.3 → −0.3526295; 0.2 → +2 → 1.6473705.
    const scores = new Array<number>(20).fill(0);
    Object.assign(scores, { 7: 0.9, 4: 0.5, 10: 0.3, 14: 0.2 });
    const best = bestThreshold([file], [scores]);
    expect(best.threshold).toBe(0.2);
    expect(best.raw).toBeCloseTo(1.6473705, 7);
    // Only false positives: never detecting (threshold +∞, the null score) is best.
    const onlyFalse = new Array<number>(20).fill(0);
    onlyFalse[4] = 0.7;
    expect(bestThreshold([file], [onlyFalse])).toEqual({ threshold: Number.POSITIVE_INFINITY, raw: -2 });
  });
});
