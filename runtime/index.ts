/**
 * The runtime's library API, called by the CLI: `probe` for `audit --probe [--verify]`, `serve` for
 * `blockcheck serve`, their flag parsing, and `recommendFromMeasurements`, the recommendation math
 * shared with the static estimate.
 */
export { probe, type ProbeOptions, type ProbeTarget } from './probe.js';
export { serve, type ServeOptions, type ServeHandle } from './serve.js';
export { PROBE_FLAGS, probeOptionsFromFlags, parseServeArgs, type ProbeFlagValues } from './options.js';
export {
  recommendFromMeasurements,
  type MeasuredRecommendationInput,
  type RouteBlocking,
  type MeasuredRecommendation,
  type RoutePrediction,
} from './recommend.js';
export { measureUnder, type MeasureOptions } from './measure.js';
export { ProbeError, type ProbeErrorCode } from './errors.js';
export type { LoadSettings } from './load.js';
export type { Route } from './routes.js';
export type * from './report.js';
