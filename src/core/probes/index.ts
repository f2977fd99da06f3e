// Live traffic probes: real requests from the fortio client, in the simulator's SimResult shape.
export {
  countStars,
  flagsFromResponse,
  parseProductPage,
  parseReviewsBody,
  type ReviewsAnswer,
  versionFromPod,
  versionFromStars,
} from './bodies.ts';
export {
  type CurlResponse,
  FortioOutputError,
  type LoadOutcome,
  parseFortioCurl,
  parseFortioLoad,
} from './fortio.ts';
export {
  FORTIO_TARGET,
  LiveProbe,
  type LiveProbeOptions,
  PROBE_DEFAULTS,
  ProbeError,
  type ProbeRequest,
} from './live-probe.ts';
