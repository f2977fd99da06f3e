// The grading API that lab graders (graders/<id>.ts) are written against.
import type { Finding } from '../analysis/finding.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import type { SimResult, SimulateOptions } from '../sim/index.ts';

export type GradeMode = 'offline' | 'live';

export interface GradeContext {
  exercise: LoadedExercise;
  snapshot: Snapshot;
  /** the analyzer's findings for the learner's resources */
  findings: Finding[];
  mode: GradeMode;
  /** the namespace graded: short hosts (`reviews`) resolve here ("default" offline) */
  namespace: string;
  /** offline: the folder graded, for a lab whose answer is not only YAML (a script of helm commands) */
  dir?: string;
  /** behaviour: the simulator offline (seeded, deterministic), probes live */
  simulate(options: SimulateOptions): SimResult;
}

export interface CheckResult {
  pass: boolean;
  /** why it passed or failed, in the learner's terms */
  reason: string;
  /** finding codes behind a failure */
  codes?: string[];
  /** the findings behind a failure (they carry file:line) */
  findings?: Finding[];
}

export type Check = (ctx: GradeContext) => CheckResult | Promise<CheckResult>;

/** A grader: one check per criterion id of the lab's exercise.yaml. */
export interface Grader {
  checks: Record<string, Check>;
}

export function defineGrader(checks: Record<string, Check>): Grader {
  return { checks };
}

export interface CriterionResult {
  id: string;
  text: string;
  pass: boolean;
  reason: string;
  codes: string[];
  findings: Finding[];
  /** Errors shown but not held against the answer ("valid": off the lab's path, or reaching no traffic) */
  notCounted?: Finding[];
}

export interface LabResult {
  lab: string;
  title: string;
  mode: GradeMode;
  pass: boolean;
  criteria: CriterionResult[];
  /** every finding of the analyzer (Info included) */
  findings: Finding[];
  /** YAML files that were graded */
  files: string[];
}

/** The criterion every lab has: the configuration would be accepted and has no Errors on the lab's traffic (validity.ts). */
export const VALID_CRITERION = {
  id: 'valid',
  // "istioctl," not "istioctl ": wrap-text keeps a line naming a command whole, unwrapped
  text: "The configuration is valid: Istio would accept it as written (the API server, istiod or istioctl, whichever reads it), and the analyzer reports no Error on what this lab's traffic uses",
};
