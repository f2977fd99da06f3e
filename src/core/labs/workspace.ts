// A learner's lab workspace: created from the starter files, never overwriting
// what the learner wrote; reset keeps a backup.
import { cp, mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { LoadedExercise } from '../content/exercise-loader.ts';

export const DEFAULT_WORKSPACE_ROOT = 'ica-labs';

/** `./ica-labs/<id>` unless a folder is given. */
export function workspaceDir(
  exercise: Pick<LoadedExercise, 'id'>,
  dir?: string,
  cwd: string = process.cwd(),
): string {
  return resolve(cwd, dir ?? join(DEFAULT_WORKSPACE_ROOT, exercise.id));
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

export interface StartResult {
  dir: string;
  created: string[];
  /** starter files the learner already has: left untouched */
  kept: string[];
}

/** Copies the starter files into the workspace; existing files are never overwritten. */
export async function startWorkspace(exercise: LoadedExercise, dir: string): Promise<StartResult> {
  await mkdir(dir, { recursive: true });
  const created: string[] = [];
  const kept: string[] = [];
  for (const file of (await filesUnder(exercise.starterDir)).sort()) {
    const target = join(dir, file);
    if (await exists(target)) {
      kept.push(file);
      continue;
    }
    await cp(join(exercise.starterDir, file), target, { errorOnExist: true, force: false });
    created.push(file);
  }
  return { dir, created, kept };
}

export interface ResetResult extends StartResult {
  /** where the learner's previous files were moved (undefined if there were none) */
  backup?: string;
}

/** Moves the workspace aside (a timestamped backup) and starts afresh from the starter. */
export async function resetWorkspace(
  exercise: LoadedExercise,
  dir: string,
  now: Date = new Date(),
): Promise<ResetResult> {
  let backup: string | undefined;
  if ((await filesUnder(dir)).length > 0) {
    backup = `${dir}.backup-${now.toISOString().replace(/[:.]/g, '-')}`;
    await rename(dir, backup);
  }
  const started = await startWorkspace(exercise, dir);
  return backup ? { ...started, backup } : started;
}

export async function workspaceFiles(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
}

export async function solutionFiles(exercise: LoadedExercise): Promise<{ file: string; path: string }[]> {
  return (await filesUnder(exercise.solutionDir))
    .sort()
    .map((file) => ({ file, path: join(exercise.solutionDir, file) }));
}
