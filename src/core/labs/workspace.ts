// A learner's lab workspace: created from the starter files, never overwriting
// what the learner wrote; reset keeps a backup.
import { cp, lstat, mkdir, readdir, readlink, realpath, rename, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { UserFacingError } from '../errors.ts';
import { pathExists } from '../path-exists.ts';

/** A workspace folder that cannot be used, in words the learner can act on. */
export class WorkspaceError extends UserFacingError {}

/** Kernel filesystems: mkdir there fails oddly (Node's recursive mkdir spins under /proc). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? '';
}

function why(e: unknown): string {
  switch (errnoOf(e)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'the folder above it does not accept new entries';
    default:
      return (e as Error).message;
  }
}

/**
 * Makes sure `dir` is a folder the learner can write to, creating the missing levels
 * one at a time (never `mkdir -p`, which spins on /proc). Throws WorkspaceError.
 */
export async function prepareWorkspaceDir(dir: string): Promise<void> {
  // the nearest part of the path that exists says what the path is
  let existing = dir;
  const missing: string[] = [];
  for (;;) {
    const info = await lstat(existing).catch((e: unknown) => e as NodeJS.ErrnoException);
    if (!(info instanceof Error)) {
      const target = info.isSymbolicLink() ? await stat(existing).catch(() => undefined) : info;
      if (!target)
        throw new WorkspaceError(`cannot use ${dir}: ${existing} is a symbolic link to a missing place`);
      if (!target.isDirectory()) {
        throw new WorkspaceError(
          existing === dir
            ? `cannot use ${dir} as the lab folder: it is a file, not a folder`
            : `cannot create ${dir}: ${existing} is a file, not a folder`,
        );
      }
      break;
    }
    // ENOTDIR: a file further up; found (and named) when the walk reaches it
    if (errnoOf(info) !== 'ENOENT' && errnoOf(info) !== 'ENOTDIR')
      throw new WorkspaceError(`cannot use ${dir}: ${why(info)}`);
    const parent = dirname(existing);
    if (parent === existing) break;
    missing.unshift(existing);
    existing = parent;
  }
  const real = await realpath(existing).catch(() => existing);
  const virtual = VIRTUAL_ROOTS.find((r) => real === r || real.startsWith(`${r}${sep}`));
  if (virtual) {
    throw new WorkspaceError(
      `cannot use ${dir}: ${virtual} is a kernel filesystem, not a place for files; choose a folder under your home or project`,
    );
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (e) {
      if (errnoOf(e) === 'EEXIST') continue; // made meanwhile by someone else
      throw new WorkspaceError(`cannot create ${dir}: ${why(e)}`);
    }
  }
}

export const DEFAULT_WORKSPACE_ROOT = 'ica-labs';

/** `./ica-labs/<id>` unless a folder is given. */
export function workspaceDir(
  exercise: Pick<LoadedExercise, 'id'>,
  dir?: string,
  cwd: string = process.cwd(),
): string {
  return resolve(cwd, dir ?? join(DEFAULT_WORKSPACE_ROOT, exercise.id));
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!(await pathExists(dir))) return [];
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
  await prepareWorkspaceDir(dir);
  const created: string[] = [];
  const kept: string[] = [];
  for (const file of (await filesUnder(exercise.starterDir)).sort()) {
    const target = join(dir, file);
    if (await pathExists(target)) {
      kept.push(file);
      continue;
    }
    const link = await lstat(target).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      // a dangling link: copying would write wherever it points; the learner decides
      const to = await readlink(target).catch(() => '?');
      throw new WorkspaceError(
        `${join(relative(process.cwd(), dir) || '.', file)} is a symbolic link to ${to}, which does not exist: remove the link or restore its target, then start again`,
      );
    }
    try {
      await mkdir(dirname(target), { recursive: true });
      await cp(join(exercise.starterDir, file), target, { errorOnExist: true, force: false });
    } catch (e) {
      throw new WorkspaceError(`cannot write ${target}: ${why(e)}`);
    }
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
