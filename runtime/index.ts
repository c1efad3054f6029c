/**
 * The runtime's library API, called by the CLI: `probe` for `audit --probe [--verify]`, `serve` for
 * `blockcheck serve`, `parseRuntimeArgs` for their flags, `recommendFromMeasurements` for the
 * recommendation math shared with the static estimate.
 */
export { probe, type ProbeOptions, type ProbeTarget } from './probe.js';
export { recommendFromMeasurements, type RecommendationInput, type RouteBlocking, type MeasuredRecommendation, type RoutePrediction } from './recommend.js';
export { ProbeError, type ProbeErrorCode } from './errors.js';
export type * from './report.js';
