/** Anomaly detection: causal events (what the API and alerts use), and the whole-series robust, seasonal, multivariate and AUTO detectors. */
export { autoAnomalies, autoMethod, seasonalPeriod, type AutoResult, type UnivariateMethod } from './auto.ts';
export { type CausalOptions, CausalScorer, type CausalStep, causalScores } from './causal.ts';
export { robustDecomposition, type Decomposition } from './decompose.ts';
export {
  type AnomalyEvent,
  anomalyEvents,
  type EventOptions,
  type EventPoint,
  type EventResult,
} from './events.ts';
export { averagePathLength, isolationForest, type IsolationForestOptions } from './isolation-forest.ts';
export { multivariateAnomalies, type MultivariateOptions } from './multivariate.ts';
export { detectPeriod } from './period.ts';
export { mulberry32 } from '../random.ts';
export { robustAnomalies, type RobustOptions } from './robust.ts';
export { seasonalAnomalies, type SeasonalOptions } from './seasonal.ts';
export {
  type AnomalyPoint,
  type Direction,
  type Severity,
  DEFAULT_SENSITIVITY,
  severityOf,
} from './types.ts';
