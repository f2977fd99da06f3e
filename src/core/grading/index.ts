// The public API for lab graders (graders/<id>.ts): import from here only.
export type { Finding } from '../analysis/finding.ts';
export type { SimResult, SimulateOptions } from '../sim/index.ts';
export * from './checks.ts';
export * from './checks-config.ts';
export * from './checks-edge.ts';
export * from './checks-measures.ts';
export * from './checks-resilience.ts';
export * from './checks-routing.ts';
export * from './margin.ts';
export type { Check, CheckResult, GradeContext, Grader } from './types.ts';
export { defineGrader } from './types.ts';
