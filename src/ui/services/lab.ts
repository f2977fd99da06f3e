// Labs over the core: the workspace, grading with the simulator's picture of the
// lab's traffic, hints, the solution, and the lab's progress.
//
// The LabResult does not carry the snapshot it graded, so this adapter loads the
// workspace once, hands the loaded input to gradeLab, and builds the same
// snapshot again (analyzeLoaded) for the traffic picture. (Preferred core change:
// gradeLab returning its snapshot, or a GradeOptions callback receiving it.)
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import type { ExamLock } from '../../core/exam/lock.ts';
import type { LabResult } from '../../core/grading/types.ts';
import type { LabEvent, LabProgress } from '../../core/progress/labs.ts';
import type { SolutionFile } from '../state/lab.ts';
import { loadLabs } from './content.ts';
import { errorText, type TuiEnv } from './env.ts';
import { serialized, storeOptions } from './state.ts';

export interface Share {
  label: string;
  percent: number;
}

export interface TrafficPicture {
  /** what was sent: "1000 requests to reviews" */
  target: string;
  destinations: Share[];
  statuses: Share[];
  latency?: { p50: number; p99: number };
  /** what /productpage showed */
  pages: Share[];
  /** why there is no picture */
  error?: string;
}

export interface LabGrade {
  result: LabResult;
  traffic: TrafficPicture;
  /** when it was graded (ISO) */
  at: string;
}

export interface OpenedLab {
  lab: LoadedExercise;
  /** set while the lab is a task of the exam in progress: its hints and solution are locked */
  lock?: ExamLock;
  dir: string;
  created: string[];
  kept: string[];
  progress?: LabProgress;
  notices: string[];
}

export async function findLab(env: TuiEnv, id: string): Promise<LoadedExercise> {
  const set = await loadLabs(env);
  const lab = set.exercises.find((e) => e.id === id);
  if (lab) return lab;
  const problem = set.problems.find((p) => p.path.includes(`/${id}/`));
  throw new Error(problem ? `lab ${id} cannot be used: ${problem.message}` : `there is no lab "${id}"`);
}

/** Creates the workspace from the starter files (never overwriting the learner's) and records the start. */
export async function openLab(env: TuiEnv, id: string): Promise<OpenedLab> {
  const lab = await findLab(env, id);
  const ws = await import('../../core/labs/workspace.ts');
  const dir = ws.workspaceDir(lab, undefined, env.cwd);
  const started = await ws.startWorkspace(lab, dir);
  const rec = await recordLab(env, id, 'start');
  const lock = await labLock(env, lab.id);
  return {
    lab,
    ...(lock ? { lock } : {}),
    dir,
    created: started.created,
    kept: started.kept,
    ...(rec.progress ? { progress: rec.progress } : {}),
    notices: rec.unsaved ? [`progress not saved: ${rec.unsaved}`, ...rec.notices] : rec.notices,
  };
}

/** The exam lock on a lab, if an exam is in progress and has it as a task. */
export async function labLock(env: TuiEnv, id: string): Promise<ExamLock | undefined> {
  const [{ readExams }, { examLock }] = await Promise.all([
    import('../../core/progress/exams.ts'),
    import('../../core/exam/lock.ts'),
  ]);
  // an unreadable progress file is reported by recordLab; no exam is known then
  const active = await readExams(storeOptions(env)).then(
    (r) => r.active,
    () => undefined,
  );
  return examLock(active, id);
}

export async function recordLab(
  env: TuiEnv,
  id: string,
  event: LabEvent,
): Promise<{ progress?: LabProgress; notices: string[]; unsaved?: string }> {
  try {
    const { recordLabEvent } = await import('../../core/progress/labs.ts');
    return await serialized(() => recordLabEvent(id, event, storeOptions(env)));
  } catch (e) {
    return { notices: [], unsaved: errorText(e) };
  }
}

const BOOKINFO = ['productpage', 'details', 'reviews', 'ratings'];

/** The service whose traffic the lab is about: a host of the learner's VirtualService, else the lab's file name. */
export function trafficTarget(
  lab: Pick<LoadedExercise, 'files'>,
  resources: readonly { kind: string; spec: Record<string, unknown>; origin: { builtin?: boolean } }[],
): string {
  for (const r of resources) {
    if (r.kind !== 'VirtualService' || r.origin.builtin) continue;
    const hosts = Array.isArray(r.spec.hosts) ? (r.spec.hosts as unknown[]) : [];
    for (const h of hosts) {
      const short = String(h).split('.')[0] ?? '';
      if (BOOKINFO.includes(short)) return short;
    }
  }
  for (const f of lab.files ?? []) {
    const stem = basename(f).replace(/\.ya?ml$/i, '');
    if (BOOKINFO.includes(stem)) return stem;
  }
  return 'reviews';
}

const PICTURE_REQUESTS = 1000;

export async function gradeWithTraffic(env: TuiEnv, lab: LoadedExercise, dir: string): Promise<LabGrade> {
  const { loadPaths } = await import('../../core/config/load.ts');
  const { gradeLab } = await import('../../core/grading/grade.ts');
  const load = await loadPaths([dir]);
  const result = await gradeLab(lab, { dir, load });
  return { result, traffic: await safePicture(lab, load), at: env.now().toISOString() };
}

/** Where the snapshot comes from: files with the Bookinfo model (offline), or a cluster's namespace. */
export interface PictureSource {
  live?: { namespace: string };
}

export async function safePicture(
  lab: LoadedExercise,
  load: import('../../core/config/load.ts').LoadResult,
  source: PictureSource = {},
): Promise<TrafficPicture> {
  try {
    return await picture(lab, load, source);
  } catch (e) {
    return { target: '', destinations: [], statuses: [], pages: [], error: errorText(e) };
  }
}

async function picture(
  lab: LoadedExercise,
  load: import('../../core/config/load.ts').LoadResult,
  source: PictureSource,
): Promise<TrafficPicture> {
  const { analyzeLoaded } = await import('../../core/analysis/analyze.ts');
  const { simulate } = await import('../../core/sim/index.ts');
  // live, the cluster's pods and mesh config stand in for the Bookinfo model and the lab's mode
  const { snapshot } = analyzeLoaded(load, {
    bookinfo: !source.live,
    ...(!source.live && lab.outboundMode ? { outboundMode: lab.outboundMode } : {}),
  });
  const namespace = source.live?.namespace ?? 'default';
  const to = trafficTarget(lab, load.resources);
  const main = simulate(snapshot, { to, path: `/${to}/0`, requests: PICTURE_REQUESTS, seed: 1, namespace });
  const s = main.summary;
  const pages = simulate(snapshot, {
    to: 'productpage',
    path: '/productpage',
    requests: 400,
    seed: 1,
    namespace,
  }).summary.pages;
  return {
    target: `${PICTURE_REQUESTS} requests to ${to}`,
    destinations: s.destinations.map((d) => ({
      label: d.reachedPod
        ? `${d.service} ${d.version}${d.subset ? ` (subset ${d.subset})` : ''}`
        : `${d.service}: answered by the proxy`,
      percent: d.percent,
    })),
    statuses: s.statuses.map((x) => ({
      label: `${x.status}${x.flags && x.flags !== '-' ? ` ${x.flags}` : ''}`,
      percent: x.percent,
    })),
    latency: { p50: s.latencyMs.p50, p99: s.latencyMs.p99 },
    pages: (pages ?? []).map((p) => ({ label: p.view, percent: p.percent })),
  };
}

export async function readSolution(lab: LoadedExercise): Promise<SolutionFile[]> {
  const { solutionFiles } = await import('../../core/labs/workspace.ts');
  const out: SolutionFile[] = [];
  for (const f of await solutionFiles(lab)) out.push({ file: f.file, text: await readFile(f.path, 'utf8') });
  return out;
}

/** The file an editor should open: the lab's first named file, else the first YAML file there. */
export async function mainFile(lab: LoadedExercise, dir: string): Promise<string> {
  const { join } = await import('node:path');
  const first = lab.files?.[0];
  if (first) return join(dir, first);
  const { workspaceFiles } = await import('../../core/labs/workspace.ts');
  const files = await workspaceFiles(dir).catch(() => []);
  return join(dir, files[0] ?? 'answer.yaml');
}
