// Terminal output helpers: colour (honouring NO_COLOR / FORCE_COLOR), exit codes
// and user-facing errors that never print a stack trace.

import { isAbsolute, relative } from 'node:path';

export const EXIT = {
  ok: 0,
  /** findings at or above the threshold, a failed lab, a wrong answer */
  fail: 1,
  /** usage errors, or no input could be read */
  usage: 2,
} as const;

/** An error meant for the user: printed as one message, exits with `code`. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(stream.isTTY);
}

type Paint = (s: string) => string;
export interface Palette {
  red: Paint;
  yellow: Paint;
  green: Paint;
  cyan: Paint;
  dim: Paint;
  bold: Paint;
}

const wrap =
  (open: number, close: number): Paint =>
  (s) =>
    `\u001b[${open}m${s}\u001b[${close}m`;
const plain: Paint = (s) => s;

export function palette(enabled: boolean = colorEnabled()): Palette {
  if (!enabled) return { red: plain, yellow: plain, green: plain, cyan: plain, dim: plain, bold: plain };
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** A one-line notice on stderr, named as every message of the trainer is. */
export function notice(message: string): void {
  process.stderr.write(`ica-trainer: ${message}\n`);
}

/** Writes to stdout and waits for it to drain (so piping to `head` or a file loses nothing). */
export function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

/** Writes text for a person: wrapped at the terminal's width (see wrap-text.ts). */
export async function writeText(text: string): Promise<void> {
  const { wrapText } = await import('./wrap-text.ts');
  return write(wrapText(text));
}

/**
 * A path as the learner should see it: relative to the current folder when it is
 * inside it (`ica-labs/x`; the folder itself `.`, or its full path with `here: 'full'`),
 * else as it is (`/tmp/x`, never `../../../tmp/x`).
 */
export function shownPath(path: string, here: '.' | 'full' = '.'): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return here === '.' ? '.' : path;
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
