// Learner state on disk: one JSON file in the user's data directory (or
// $ICA_TRAINER_HOME), written atomically (temp file + rename), versioned and
// validated. A file that cannot be read or parsed is moved aside
// (`state.json.corrupt-<timestamp>`) and reported, never overwritten; a file
// from a newer release is left alone and reported.
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import envPaths from 'env-paths';
import { processAlive, writeFileAtomically } from '../atomic-file.ts';
import { UserFacingError } from '../errors.ts';
import { pathExists } from '../path-exists.ts';
import { migrateQuestionIds } from './migrate-ids.ts';
import { emptyState, type LearnerState, STATE_VERSION, stateSchema } from './state.ts';

export const STATE_FILE = 'state.json';

/** Errors the learner must act on (the caller prints the message; no stack trace). */
export class StateError extends UserFacingError {}

export interface StoreOptions {
  /** folder of the state file (default: stateHome()) */
  home?: string;
  /** clock, for tests */
  now?: () => Date;
}

export interface LoadedState {
  state: LearnerState;
  path: string;
  /** things the learner should be told (a corrupt file moved aside) */
  notices: string[];
}

/** $ICA_TRAINER_HOME, or the platform's data directory for ica-trainer. */
export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.ICA_TRAINER_HOME;
  if (override) return override;
  return envPaths('ica-trainer', { suffix: '' }).data;
}

export function statePath(options: StoreOptions = {}): string {
  return join(options.home ?? stateHome(), STATE_FILE);
}

/**
 * Migrations from older format versions: MIGRATIONS[n] turns a version-n object
 * into a version-(n+1) object. None yet: version 1 is the first format.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

export async function loadState(options: StoreOptions = {}): Promise<LoadedState> {
  const path = statePath(options);
  const now = options.now?.() ?? new Date();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: emptyState(now), path, notices: [] };
    return moveAside(path, `it could not be read (${code ?? (e as Error).message})`, now);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return moveAside(path, `it is not valid JSON (${(e as Error).message})`, now);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return moveAside(path, 'it does not hold a JSON object', now);
  }
  let obj = raw as Record<string, unknown>;
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return moveAside(path, 'it has no format version', now);
  }
  if (version > STATE_VERSION || version < 1) {
    throw new StateError(
      `${path} has format version ${version}, but this ica-trainer reads version ${STATE_VERSION}` +
        (version > STATE_VERSION ? ' (it was written by a newer release): upgrade ica-trainer.' : '.') +
        ' The file was left untouched.',
    );
  }
  for (let v = version; v < STATE_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate)
      throw new StateError(`${path}: no migration from format version ${v}. The file was left untouched.`);
    obj = migrate(obj);
  }
  // old question ids (they named the answer) follow their question
  migrateQuestionIds(obj);
  const parsed = stateSchema.safeParse(obj);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.map(String).join('.') : '';
    return moveAside(
      path,
      `its content is invalid (${where ? `${where}: ` : ''}${first?.message ?? 'unknown'})`,
      now,
    );
  }
  return { state: parsed.data, path, notices: [] };
}

/** Renames a bad file to `<name>.corrupt-<timestamp>` and starts from an empty state. */
async function moveAside(path: string, reason: string, now: Date): Promise<LoadedState> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let i = 1; await pathExists(target); i++) target = `${path}.corrupt-${stamp}-${i}`;
  try {
    await rename(path, target);
  } catch (e) {
    throw new StateError(
      `${path} is unusable: ${reason}, and it could not be moved aside (${(e as Error).message}). ` +
        'Move or fix it by hand; nothing was changed.',
    );
  }
  return {
    state: emptyState(now),
    path,
    notices: [
      `Your progress file ${path} was unusable: ${reason}. It was kept as ${target} and a fresh one was started.`,
    ],
  };
}

/** Writes the state atomically (a temp file renamed over the old one). */
export async function saveState(state: LearnerState, options: StoreOptions = {}): Promise<string> {
  const path = statePath(options);
  const now = options.now?.() ?? new Date();
  const checked = stateSchema.parse({ ...state, version: STATE_VERSION, updatedAt: now.toISOString() });
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomically(path, `${JSON.stringify(checked, null, 2)}\n`);
  } catch (e) {
    throw new StateError(`cannot save progress to ${path}: ${(e as Error).message}`);
  }
  return path;
}

/** A lock older than this is left over from a killed process. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/**
 * Runs `fn` while holding `state.json.lock`, so that two processes (the TUI and a
 * CLI command, say) never load the same state and overwrite each other's change.
 */
export async function withStateLock<T>(fn: () => Promise<T>, options: StoreOptions = {}): Promise<T> {
  const lock = `${statePath(options)}.lock`;
  await mkdir(dirname(lock), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StateError(`cannot lock the progress file (${lock}): ${(e as Error).message}`);
      }
      if (await takeOverStaleLock(lock)) continue;
      if (Date.now() > deadline) {
        throw new StateError(`the progress file is busy (${lock} is held by another ica-trainer); try again`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/**
 * Removes a lock left by a process that is gone (its pid no longer runs: at once) or
 * one older than STALE_LOCK_MS (a pid reused since). The lock is first renamed to a
 * private name, so that two processes taking over at once cannot remove the lock the
 * other one has just made; a live lock taken by mistake is put back.
 */
async function takeOverStaleLock(lock: string): Promise<boolean> {
  let info: { age: number; pid: number };
  try {
    const [st, text] = await Promise.all([stat(lock), readFile(lock, 'utf8')]);
    info = { age: Date.now() - st.mtimeMs, pid: Number.parseInt(text, 10) };
  } catch {
    return true; // released meanwhile: try again at once
  }
  // an empty lock is one being written right now, unless it is old
  const dead = Number.isInteger(info.pid) && info.pid !== process.pid && !processAlive(info.pid);
  if (!dead && info.age <= STALE_LOCK_MS) return false;
  const aside = `${lock}.stale-${process.pid}`;
  try {
    await rename(lock, aside);
  } catch {
    return true;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (Number.parseInt(moved, 10) !== info.pid) {
    // another process took the stale lock over and made its own lock meanwhile: give it back
    await link(aside, lock).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

/** Load, change, save (under the lock): the usual way to record something. Returns the change's result and any notices. */
export async function updateState<T>(
  change: (state: LearnerState) => T,
  options: StoreOptions = {},
): Promise<{ result: T; path: string; notices: string[] }> {
  return withStateLock(async () => {
    const loaded = await loadState(options);
    const result = change(loaded.state);
    await saveState(loaded.state, options);
    return { result, path: loaded.path, notices: loaded.notices };
  }, options);
}
