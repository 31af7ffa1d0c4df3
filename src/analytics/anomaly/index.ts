/** Anomaly detection: causal events (what the API and alerts use), and the whole-series robust, seasonal, multivariate and AUTO detectors. */
export { type AnomalyEvent, anomalyEvents, type EventPoint } from './events.ts';
export { multivariateAnomalies } from './multivariate.ts';
export { severityOf } from './types.ts';
