// Cohort state in the state directory ($ICA_TRAINER_HOME or the platform's data dir):
//
//   cohorts/<name>/cohort.json           the roster as init/add/remove left it
//   cohorts/<name>/runs/<time>.json      one file per `cohort grade`, never overwritten
//
// Every write is atomic (temp file + rename). A run file is only ever created: a name
// already taken gets a suffix, so the history is kept whole.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../atomic-file.ts';
import { pathExists } from '../path-exists.ts';
import { stateHome } from '../progress/store.ts';

export const COHORT_VERSION = 1;

const iso = z.iso.datetime({ offset: true });

export const cohortRecordSchema = z.object({
  version: z.literal(COHORT_VERSION),
  name: z.string(),
  createdAt: iso,
  updatedAt: iso,
  context: z.string().describe('the instructor context the cohort was made in'),
  server: z.string().describe('the API server URL written into learner kubeconfigs'),
  kubeconfigDir: z.string().describe('where the learner kubeconfigs were written (absolute)'),
  learners: z.array(z.object({ id: z.string(), namespace: z.string(), addedAt: iso })),
  removed: z
    .array(z.object({ id: z.string(), namespace: z.string(), removedAt: iso }))
    .default([])
    .describe('learners removed; their results stay in runs/'),
});
export type CohortRecord = z.infer<typeof cohortRecordSchema>;

const criterionSchema = z.object({
  id: z.string(),
  pass: z.boolean(),
  reason: z.string(),
  codes: z.array(z.string()),
});

const findingSchema = z.object({
  code: z.string(),
  level: z.enum(['Error', 'Warning', 'Info']),
  origin: z.string().optional(),
  message: z.string(),
});

export const labOutcomeSchema = z.object({
  lab: z.string(),
  /** false: the namespace held nothing this lab configures (not graded; footprint.ts) */
  attempted: z.boolean(),
  pass: z.boolean(),
  criteria: z.array(criterionSchema),
  /** Error and Warning findings of the analyzer */
  findings: z.array(findingSchema),
  /** a grading failure (grader crashed): counted as a fail */
  error: z.string().optional(),
});
export type LabOutcome = z.infer<typeof labOutcomeSchema>;

export const learnerRunSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  /** hash of the learner's Istio resources: a new value is a new attempt */
  fingerprint: z.string(),
  istioResources: z.number().int().min(0),
  results: z.array(labOutcomeSchema),
});
export type LearnerRun = z.infer<typeof learnerRunSchema>;

export const runSchema = z.object({
  version: z.literal(COHORT_VERSION),
  cohort: z.string(),
  startedAt: iso,
  finishedAt: iso,
  context: z.string(),
  server: z.string(),
  labs: z.array(z.object({ id: z.string(), title: z.string() })),
  /** API requests made to read the cluster */
  requests: z.number().int().min(0),
  /** what could not be read, and what follows */
  notes: z.array(z.string()),
  /** resources of one learner that reach into another learner's namespace (cohort alerts) */
  alerts: z.array(z.string()).optional(),
  learners: z.array(learnerRunSchema),
});
export type GradeRun = z.infer<typeof runSchema>;

export class CohortStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CohortStoreError';
  }
}

export interface CohortStoreOptions {
  /** the state directory (default: stateHome()) */
  home?: string;
}

export function cohortsDir(options: CohortStoreOptions = {}): string {
  return join(options.home ?? stateHome(), 'cohorts');
}

export function cohortDir(name: string, options: CohortStoreOptions = {}): string {
  return join(cohortsDir(options), name);
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

/** Names of the cohorts with a cohort.json, sorted. */
export async function listCohorts(options: CohortStoreOptions = {}): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(cohortsDir(options));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.sort())
    if (await pathExists(join(cohortsDir(options), n, 'cohort.json'))) out.push(n);
  return out;
}

export async function readCohort(
  name: string,
  options: CohortStoreOptions = {},
): Promise<CohortRecord | undefined> {
  const path = join(cohortDir(name, options), 'cohort.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CohortStoreError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CohortStoreError(`${path} is not valid JSON (${(e as Error).message}); fix or remove it`);
  }
  const parsed = cohortRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CohortStoreError(
      `${path} is not a cohort record (${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}); fix or remove it`,
    );
  }
  return parsed.data;
}

/** Writes cohort.json when its content changed (updatedAt aside); returns whether it wrote. */
export async function saveCohort(record: CohortRecord, options: CohortStoreOptions = {}): Promise<boolean> {
  const dir = cohortDir(record.name, options);
  const before = await readCohort(record.name, options).catch(() => undefined);
  const strip = (r: CohortRecord) => JSON.stringify({ ...r, updatedAt: '' });
  if (before && strip(before) === strip(record)) return false;
  await mkdir(dir, { recursive: true });
  await writeJson(join(dir, 'cohort.json'), cohortRecordSchema.parse(record));
  return true;
}

function stampOf(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Stores a grade run as a new file; returns its path. */
export async function saveRun(run: GradeRun, options: CohortStoreOptions = {}): Promise<string> {
  const dir = join(cohortDir(run.cohort, options), 'runs');
  await mkdir(dir, { recursive: true });
  const checked = runSchema.parse(run);
  const stamp = stampOf(new Date(run.startedAt));
  let path = join(dir, `${stamp}.json`);
  for (let i = 1; await pathExists(path); i++) path = join(dir, `${stamp}-${i}.json`);
  await writeJson(path, checked);
  return path;
}

export interface LoadedRuns {
  runs: GradeRun[];
  /** files that could not be used (reported, left alone) */
  problems: string[];
}

/** Every stored run of a cohort, oldest first. */
export async function readRuns(name: string, options: CohortStoreOptions = {}): Promise<LoadedRuns> {
  const dir = join(cohortDir(name, options), 'runs');
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  } catch {
    return { runs: [], problems: [] };
  }
  const runs: GradeRun[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const path = join(dir, f);
    try {
      const parsed = runSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success) runs.push(parsed.data);
      else problems.push(`${path}: ${parsed.error.issues[0]?.message ?? 'invalid'} (skipped)`);
    } catch (e) {
      problems.push(`${path}: ${(e as Error).message} (skipped)`);
    }
  }
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { runs, problems };
}
