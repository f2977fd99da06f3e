// Atomic file writes (a temp file renamed over the target) whose temp files can be
// told apart: `<file>.tmp-<pid>-<random>`. A write killed half-way leaves its temp
// file behind; the next write beside it removes temp files whose process is gone
// (at once) or that are older than a minute (a pid reused meanwhile).
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_MAX_AGE_MS = 60_000;

/** Whether a process with this pid exists on this machine (EPERM: it does, not ours). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function writeFileAtomically(
  path: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  await sweepTempFiles(path);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o666);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Removes temp files of `path` left by killed writers. Never throws. */
export async function sweepTempFiles(path: string, now: number = Date.now()): Promise<string[]> {
  const dir = dirname(path);
  const base = basename(path);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const ours = new RegExp(`^${escapeRegExp(base)}\\.tmp-(\\d+)-[0-9a-f]+$`).exec(name);
    // write-file-atomic's names (`<file>.<number>`), from releases before this one
    const legacy = new RegExp(`^${escapeRegExp(base)}\\.\\d+$`).test(name);
    if (!ours && !legacy) continue;
    const full = join(dir, name);
    const age = await stat(full).then(
      (s) => now - s.mtimeMs,
      () => undefined,
    );
    if (age === undefined) continue;
    const gone = ours ? !processAlive(Number(ours[1])) : false;
    if (gone || age > TEMP_MAX_AGE_MS) {
      if (
        await unlink(full).then(
          () => true,
          () => false,
        )
      )
        removed.push(full);
    }
  }
  return removed;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
