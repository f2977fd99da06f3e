// Reading user-named inputs without trusting them: only regular files are opened for
// reading (a FIFO would block forever, /dev/zero never ends), and every read stops as
// soon as it passes the limit or meets a NUL byte, whatever `stat` said the size was.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type BoundedRead =
  | { ok: true; text: string }
  | { ok: false; reason: 'not-regular' | 'too-large' | 'binary' | 'error'; detail: string };

const CHUNK = 1 << 20;

/** What a non-regular file is, for messages ("a FIFO (named pipe)"). */
function kindOf(info: import('node:fs').Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function tooLarge(limit: number, what: string): BoundedRead {
  return {
    ok: false,
    reason: 'too-large',
    detail: `${what} is larger than the ${limit / 1048576} MiB limit`,
  };
}

const binary = (what: string): BoundedRead => ({
  ok: false,
  reason: 'binary',
  detail: `${what} is binary, not YAML text`,
});

function decode(chunks: Buffer[]): BoundedRead {
  const buf = Buffer.concat(chunks);
  return { ok: true, text: buf.toString('utf8') };
}

/** Reads a regular file of at most `limit` bytes as UTF-8 text. Never throws. */
export async function readRegularFile(path: string, limit: number): Promise<BoundedRead> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait; the type is checked next
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, reason: 'error', detail: errnoText(e) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      return {
        ok: false,
        reason: 'not-regular',
        detail: `${kindOf(info)}, not a regular file: only regular files are read`,
      };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const part = buf.subarray(0, bytesRead);
      if (part.indexOf(0) !== -1) return binary('this file');
      total += bytesRead;
      if (total > limit) return tooLarge(limit, 'the file');
      chunks.push(part);
    }
    return decode(chunks);
  } catch (e) {
    return { ok: false, reason: 'error', detail: errnoText(e) };
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Reads a stream (standard input) up to `limit` bytes; more is an error, never a cut. */
export async function readStreamBounded(stream: NodeJS.ReadableStream, limit: number): Promise<BoundedRead> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stop = (r: BoundedRead): BoundedRead => {
    // stop reading what is left (a /dev/zero would never end)
    (stream as NodeJS.ReadStream).destroy?.();
    return r;
  };
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (b.indexOf(0) !== -1) return stop(binary('standard input'));
      total += b.length;
      if (total > limit) return stop(tooLarge(limit, 'standard input'));
      chunks.push(b);
    }
  } catch (e) {
    return { ok: false, reason: 'error', detail: errnoText(e) };
  }
  return decode(chunks);
}

export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err.message ?? String(e);
  }
}
