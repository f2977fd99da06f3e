// The learner's editor ($VISUAL, then $EDITOR, then vi) on a file, with the
// terminal handed over while it runs, and YAML answers written through it.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Question } from '../../core/content/quiz-schema.ts';

export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs the editor on `file` with the terminal (stdio inherited); rejects with a readable message. */
export function spawnEditor(file: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const command = editorCommand(env);
  return new Promise((resolve, reject) => {
    // through the shell, so that EDITOR="code --wait" works
    const child = spawn(`${command} ${shellQuote(file)}`, { shell: true, stdio: 'inherit' });
    child.on('error', (e) => reject(new Error(`could not start the editor "${command}": ${e.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else if (code === 127)
        reject(new Error(`the editor "${command}" was not found: set $VISUAL or $EDITOR`));
      else reject(new Error(`the editor "${command}" exited with ${signal ?? `code ${code}`}`));
    });
  });
}

/** The commented header of a YAML answer file: the question (not its id), what exists, the hint. */
export function answerTemplate(q: Question): string {
  const comment = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((l) => (l ? `# ${l}` : '#'))
      .join('\n');
  const parts = [comment(q.prompt.trim())];
  if (q.type === 'yaml' && q.setup)
    parts.push(
      '#',
      comment('Already in the cluster (besides Bookinfo):'),
      comment(q.setup.replace(/^/gm, '  ')),
    );
  if (q.type === 'yaml' && q.hint) parts.push('#', comment(`Hint: ${q.hint}`));
  parts.push('#', '# Write your YAML below, save, and quit the editor to grade it.', '');
  return `${parts.join('\n')}\n`;
}

/** Where a question's answer is drafted (kept between edits of one run). */
export async function answerFile(q: Question): Promise<string> {
  const dir = join(tmpdir(), `ica-trainer-${process.pid}`);
  await mkdir(dir, { recursive: true });
  return join(dir, `${q.id}.yaml`);
}

/**
 * Opens the editor on the question's answer file (created from the template the
 * first time) through `run` (which hands the terminal over). Resolves to the
 * text, or undefined when nothing was written.
 */
export async function editAnswer(
  q: Question,
  run: (file: string) => Promise<void>,
): Promise<{ text: string; file: string } | undefined> {
  const file = await answerFile(q);
  const template = answerTemplate(q);
  let current: string | undefined;
  try {
    current = await readFile(file, 'utf8');
  } catch {
    await writeFile(file, template, 'utf8');
  }
  await run(file);
  const text = await readFile(file, 'utf8');
  const body = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .trim();
  if (!body) return undefined;
  if (current === undefined && text === template) return undefined;
  return { text, file };
}
