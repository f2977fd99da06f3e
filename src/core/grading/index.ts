// The public API for lab graders (graders/<id>.ts): import from here only.
export type { Finding } from '../analysis/finding.ts';
export { mirrorPercentOf } from '../config/schemas/index.ts';
export type { SimResult, SimulateOptions } from '../sim/index.ts';
export * from './checks.ts';
export * from './checks-config.ts';
export * from './checks-edge.ts';
export * from './checks-egress.ts';
export * from './checks-egress-tls.ts';
export * from './checks-faults.ts';
// checks-findings.ts: not explain, the checks' own helper
export { allOf, attach, dedupeFindings, findingsOn } from './checks-findings.ts';
export * from './checks-gateways.ts';
export * from './checks-install.ts';
export * from './checks-install-live.ts';
export * from './checks-measures.ts';
export * from './checks-pages.ts';
export * from './checks-resilience.ts';
export * from './checks-route-taken.ts';
export * from './checks-routing.ts';
export * from './checks-security.ts';
export * from './checks-sidecar.ts';
export * from './checks-telemetry.ts';
export * from './checks-timeouts.ts';
export * from './margin.ts';
export * from './near-miss.ts';
export type { Check, CheckResult, GradeContext, Grader } from './types.ts';
export { defineGrader } from './types.ts';
