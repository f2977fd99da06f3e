// Grades a learner's workspace against a lab: each criterion's check from the lab's
// grader, then the validity gate (validity.ts) over the analyzer's findings.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeLoaded } from '../analysis/analyze.ts';
import type { Finding } from '../analysis/finding.ts';
import { type LoadResult, loadPaths } from '../config/load.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { packageRoot, runningFromSource } from '../paths.ts';
import {
  notAppliedNote,
  type SimResult,
  type SimulateOptions,
  simulate,
  TrafficTrace,
} from '../sim/index.ts';
import type {
  Check,
  CheckResult,
  CriterionResult,
  GradeContext,
  GradeMode,
  Grader,
  LabResult,
} from './types.ts';
import { VALID_CRITERION } from './types.ts';
import { gateFindings, type LabPath, labHosts, labPath } from './validity.ts';

const graders = new Map<string, Grader>();

export const GATEWAY_API_UNKNOWN =
  'your credentials may not list the Gateway API kinds: waypoints, Gateways and HTTPRoutes on the cluster are unknown here, so what depends on them cannot be judged';

/** Loads graders/<id>.ts (or the compiled .js next to dist/). */
export async function loadGrader(id: string): Promise<Grader> {
  const cached = graders.get(id);
  if (cached) return cached;
  const file = runningFromSource()
    ? join(packageRoot(), 'graders', `${id}.ts`)
    : join(packageRoot(), 'dist', 'graders', `${id}.js`);
  const mod = (await import(pathToFileURL(file).href)) as { default?: Grader };
  if (!mod.default?.checks)
    throw new Error(`graders/${id} does not export a grader (export default defineGrader({...}))`);
  graders.set(id, mod.default);
  return mod.default;
}

export interface GradeOptions {
  /** the learner's workspace (YAML files, recursively) */
  dir: string;
  mode?: GradeMode;
  /** a loaded input instead of reading `dir` (tests, live mode) */
  load?: LoadResult;
  /** the namespace graded (default "default") */
  namespace?: string;
  /** replaces the simulator for behaviour criteria (live probes): the snapshot graded and the request */
  simulate?: (snapshot: Snapshot, options: SimulateOptions) => SimResult;
  /** seed of the simulator (default 1: grading is deterministic) */
  seed?: number;
  /** live: what the cluster read could not see (liveReadGaps), added to every failing criterion */
  readGaps?: string;
}

export async function gradeLab(exercise: LoadedExercise, options: GradeOptions): Promise<LabResult> {
  const mode = options.mode ?? 'offline';
  const load = options.load ?? (await loadPaths([options.dir]));
  const files = [...new Set(load.resources.map((r) => r.origin.file).filter((f): f is string => !!f))];
  // Offline, the lab's mesh settings stand in for the cluster's; live, the cluster's own mesh config counts.
  const analysis = analyzeLoaded(load, {
    bookinfo: mode === 'offline',
    ...(mode === 'offline' && exercise.outboundMode ? { outboundMode: exercise.outboundMode } : {}),
  });
  const { snapshot } = analysis;
  // Live, the graded namespace is the subject and the others are context (the ingress
  // gateway in istio-system, someone else's lab), as in `analyze --live -n`; offline,
  // every file given is the learner's.
  const namespace = options.namespace ?? 'default';
  const findings =
    mode === 'live'
      ? analysis.findings.filter((f) => !f.resource || f.resource.namespace === namespace)
      : analysis.findings;
  const noInput = load.resources.length === 0;
  const grader = await loadGrader(exercise.grader);
  // how the current criterion's traffic was measured, when a live probe says (notes)
  let notes = new Set<string>();
  // what the grader's requests traverse: the lab's path, for the validity gate
  const trace = new TrafficTrace();
  const ctx: GradeContext = {
    exercise,
    // what a cluster would run: a resource the API server would refuse is not applied
    snapshot: snapshot.applied(),
    findings,
    mode,
    namespace,
    ...(mode === 'offline' && !options.load ? { dir: options.dir } : {}),
    simulate: (o) => {
      const request = { seed: options.seed ?? 1, namespace, ...o };
      if (options.simulate) traceOffline(snapshot, request, trace);
      const result = options.simulate
        ? options.simulate(snapshot, request)
        : simulate(snapshot, { ...request, trace });
      for (const note of result.summary.notes ?? []) notes.add(note);
      return result;
    },
  };
  const criteria: CriterionResult[] = [];
  for (const c of exercise.criteria) {
    const check: Check | undefined = grader.checks[c.id];
    notes = new Set();
    let r: CheckResult;
    if (!check) r = { pass: false, reason: `grader ${exercise.grader} has no check "${c.id}"` };
    else if (noInput) r = { pass: false, reason: 'nothing to grade yet' };
    else {
      try {
        r = await check(ctx);
      } catch (e) {
        r = { pass: false, reason: `could not be checked: ${(e as Error).message}` };
      }
    }
    // A failure may come from a resource that is not applied: say so, once.
    const refused = r.pass ? undefined : notAppliedNote(ctx.snapshot);
    if (refused) notes.add(refused);
    // waypoints and HTTPRoutes a cluster would not let us list: the failure may be theirs
    if (!r.pass && ctx.snapshot.gatewayApiUnknown) notes.add(GATEWAY_API_UNKNOWN);
    if (!r.pass && options.readGaps) notes.add(options.readGaps);
    // several control planes' mesh configs, one taken for every proxy: say which
    if (!r.pass && ctx.snapshot.meshChoice?.why) notes.add(ctx.snapshot.meshChoice.why);
    criteria.push({
      id: c.id,
      text: c.text,
      pass: r.pass,
      reason: notes.size ? `${r.reason} [${[...notes].join('; ')}]` : r.reason,
      codes: r.codes ?? [],
      findings: r.findings ?? [],
    });
  }
  // the validity gate runs last: the lab's path is what the checks' traffic traversed
  const path = labPath(trace, await labHosts(exercise), namespace);
  criteria.unshift(validity(findings, snapshot, path, noInput ? options.dir : undefined));
  return {
    lab: exercise.id,
    title: exercise.title,
    mode,
    pass: criteria.every((c) => c.pass),
    criteria,
    findings,
    files,
  };
}

/**
 * The "valid" criterion: an Error fails it when the API server would refuse its resource
 * or the lab's traffic passes through what it is about; the others are named in the
 * reason as not counted (the learner still sees them among the findings).
 */
function validity(
  findings: readonly Finding[],
  snapshot: Snapshot,
  path: LabPath,
  emptyDir?: string,
): CriterionResult {
  const { counted, offPath, latent } = gateFindings(findings, snapshot, path);
  const named = (fs: readonly Finding[]) =>
    someOf([...new Set(fs.map((f) => `${f.code} ${f.origin ?? ''}`.trim()))]);
  const notCounted = [
    ...(offPath.length ? [`${named(offPath)} not counted: does not touch this lab's traffic`] : []),
    ...(latent.length ? [`${named(latent)} not counted: no traffic reaches it today`] : []),
  ].join('; ');
  const reason = emptyDir
    ? `no resources found in ${emptyDir} (write your YAML files there)`
    : counted.length === 0
      ? notCounted
        ? `no Error finding on this lab's traffic (${notCounted})`
        : 'no Error findings'
      : `${counted.length} Error finding${counted.length === 1 ? '' : 's'}: ${someOf(counted.map((f) => `${f.code} ${f.message}`))}${notCounted ? ` (${notCounted})` : ''}`;
  return {
    ...VALID_CRITERION,
    pass: counted.length === 0 && !emptyDir,
    reason,
    codes: [...new Set(counted.map((f) => f.code))],
    findings: [...counted, ...warningsBehind(counted, findings)],
    ...(offPath.length || latent.length ? { notCounted: [...offPath, ...latent] } : {}),
  };
}

/**
 * Live probes measure the traffic; the simulator on the cluster's configuration says
 * which hops it takes (every weighted destination counts, so a thousand requests do).
 */
function traceOffline(snapshot: Snapshot, request: SimulateOptions, trace: TrafficTrace): void {
  try {
    simulate(snapshot, { ...request, requests: Math.min(request.requests ?? 1000, 1000), trace });
  } catch {
    // the probe's own run reports the problem; its target is already on the path
  }
}

/**
 * The Warnings that name the real cause of these Errors: a subset "not found" (IST0101
 * host+subset) because the DestinationRule that defines it attaches to nothing
 * (IST0174 for a host that is no service, ICA1010 for a name inside a wildcard entry).
 */
function warningsBehind(errors: readonly Finding[], findings: readonly Finding[]): Finding[] {
  if (!errors.some((f) => f.code === 'IST0101' && f.message.includes('host+subset'))) return [];
  return findings.filter((f) => f.level === 'Warning' && (f.code === 'IST0174' || f.code === 'ICA1010'));
}

/** YAML files directly or recursively under a folder (for listing a workspace). */
export function workspaceFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/i.test(f));
  } catch {
    return [];
  }
}

export type { Finding };

/** The first few items joined with "; ", then a count: a reason stays one readable line. */
function someOf(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join('; ');
  return `${items.slice(0, max).join('; ')}; and ${items.length - max} more`;
}
