// The lab commands' implementations.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { trainerCommand } from '../core/command-name.ts';
import { closest } from '../core/config/schemas/index.ts';
import { type LoadedExercise, loadExercises } from '../core/content/exercise-loader.ts';
import { taskDir } from '../core/exam/folders.ts';
import { examLock, examTaskFolder, lockedText } from '../core/exam/lock.ts';
import { gradeLab } from '../core/grading/grade.ts';
import type { LabResult } from '../core/grading/types.ts';
import {
  resetWorkspace,
  solutionFiles,
  startWorkspace,
  workspaceDir,
  workspaceFiles,
} from '../core/labs/workspace.ts';
import { plural } from '../core/plural.ts';
import { type ActiveExam, readExams } from '../core/progress/exams.ts';
import { type LabEvent, type LabProgress, readLabsProgress, recordLabEvent } from '../core/progress/labs.ts';
import { StateError } from '../core/progress/store.ts';
import { shellQuote } from '../core/text-safety.ts';
import { labResultToJson, labResultToText } from './format-lab.ts';
import type { LiveFlags } from './lab.ts';
import { gradeLive } from './lab-grade-live.ts';
import { EXIT, notice as note, palette, shownPath, UserError, write, writeText } from './output.ts';

/** All labs; content problems are reported on stderr and the other labs still load. */
export function allLabs(): LoadedExercise[] {
  const { exercises, problems } = loadExercises();
  for (const p of problems) note(`skipped a lab: ${p.path}: ${p.message}`);
  return exercises;
}

/**
 * Lab ids a mistyped or shortened id probably meant: those it begins ("canary"
 * -> canary-20, "delay" -> delay-3s, delay-jason-only), else those it is part
 * of, else the nearest by spelling.
 */
export function labSuggestions(id: string, ids: readonly string[]): string[] {
  const word = id.toLowerCase();
  if (word.length >= 3) {
    // ids that begin with it first (canary -> canary-20, not header-canary-v3)
    const starting = ids.filter((c) => c.toLowerCase().startsWith(word));
    if (starting.length > 0 && starting.length <= 4) return starting;
    const containing = ids.filter((c) => c.toLowerCase().includes(word));
    if (containing.length > 0 && containing.length <= 4) return containing;
  }
  const guess = closest(id, ids);
  return guess ? [guess] : [];
}

export function findLab(id: string, labs: LoadedExercise[] = allLabs()): LoadedExercise {
  const lab = labs.find((e) => e.id === id);
  if (lab) return lab;
  const guesses = labSuggestions(
    id,
    labs.map((e) => e.id),
  ).map((g) => `"${g}"`);
  const hint = guesses.length
    ? `: did you mean ${guesses.slice(0, -1).join(', ')}${guesses.length > 1 ? ' or ' : ''}${guesses.at(-1)}?`
    : '';
  throw new UserError(`no lab "${id}"${hint} (see \`${trainerCommand()} lab list\`)`);
}

async function record(id: string, event: LabEvent): Promise<LabProgress | undefined> {
  try {
    const { progress, notices } = await recordLabEvent(id, event);
    for (const n of notices) note(n);
    return progress;
  } catch (e) {
    if (e instanceof StateError) {
      note(`progress not saved: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}

async function progressOf(): Promise<Record<string, LabProgress>> {
  try {
    const { labs, notices } = await readLabsProgress();
    for (const n of notices) note(n);
    return labs;
  } catch (e) {
    if (e instanceof StateError) {
      note(e.message);
      return {};
    }
    throw e;
  }
}

/** The exam in progress, if the progress file can be read (its labs are locked). */
export async function activeExam(): Promise<ActiveExam | undefined> {
  try {
    const { active, notices } = await readExams();
    for (const n of notices) note(n);
    return active;
  } catch (e) {
    if (e instanceof StateError) {
      note(e.message);
      return undefined;
    }
    throw e;
  }
}

export async function runLabList(opts: { output: 'text' | 'json' }): Promise<number> {
  const labs = allLabs();
  const progress = await progressOf();
  const rows = labs.map((e) => {
    const p = progress[e.id];
    return {
      id: e.id,
      title: e.title,
      topic: e.topic,
      domain: e.domain,
      difficulty: e.difficulty,
      minutes: e.minutes,
      status: p?.status ?? 'not started',
      attempts: p?.attempts ?? 0,
      hintsUsed: p?.hintsUsed ?? 0,
      timeSpentMinutes: Math.round((p?.timeSpentMs ?? 0) / 60000),
    };
  });
  if (opts.output === 'json') {
    await write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const c = palette();
  let topic = '';
  const width = Math.max(...rows.map((r) => r.id.length), 4);
  const lines: string[] = [];
  for (const r of rows) {
    if (r.topic !== topic) {
      topic = r.topic;
      lines.push(c.bold(topic));
    }
    const status =
      r.status === 'passed'
        ? c.green('passed')
        : r.status === 'revealed'
          ? c.yellow('revealed')
          : r.status === 'attempted'
            ? c.cyan('attempted')
            : c.dim('not started');
    lines.push(
      `  ${r.id.padEnd(width)}  ${status.padEnd(11 + (status.length - r.status.length))}  ${r.difficulty.padEnd(12)} ${String(r.minutes).padStart(3)} min  ${r.title}`,
    );
  }
  const passed = rows.filter((r) => r.status === 'passed').length;
  lines.push(
    '',
    `${passed} of ${plural(rows.length, 'lab')} passed. Start one with \`${trainerCommand()} lab start ID\`.`,
  );
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function runLabStart(id: string, opts: { dir?: string }): Promise<number> {
  const lab = findLab(id);
  const dir = workspaceDir(lab, opts.dir);
  const started = await startWorkspace(lab, dir);
  await record(lab.id, 'start');
  const c = palette();
  const shown = shownPath(dir);
  // the task reflows to the terminal's width (a pipe gets it as written)
  const { outputWidth, reflowMarkdown } = await import('./wrap-text.ts');
  const lines = [(outputWidth() ? reflowMarkdown(lab.readme) : lab.readme).trimEnd(), ''];
  if (lab.docs) lines.push(`Docs: ${lab.docs}`, '');
  lines.push(c.bold(`Workspace: ${shown}`));
  for (const f of started.created) lines.push(`  created ${f}`);
  for (const f of started.kept) lines.push(`  kept your ${f} (not overwritten)`);
  if (started.created.length + started.kept.length === 0) lines.push('  (empty: write your YAML files here)');
  lines.push(
    '',
    `Check your work: ${trainerCommand()} lab check ${lab.id}${opts.dir ? ` --dir ${shellQuote(opts.dir)}` : ''}`,
    `Re-grade on every save: ${trainerCommand()} lab watch ${lab.id}${opts.dir ? ` --dir ${shellQuote(opts.dir)}` : ''}`,
    ...(lab.modes.includes('live') ? [onClusterLine(lab, shown)] : []),
  );
  await writeText(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * How to grade the workspace on a cluster: apply it, then check --live. The files `cluster up`
 * already provides are left out (a mesh-config.yaml applied would replace the cluster's istio ConfigMap).
 */
function onClusterLine(lab: LoadedExercise, shown: string): string {
  const given = lab.clusterProvides ?? [];
  const check = `${trainerCommand()} lab check ${lab.id} --live`;
  // an IstioOperator is read by istioctl, which installs what it describes
  if (lab.applyWith === 'istioctl') {
    const install = (lab.files ?? []).map((f) => `-f ${shellQuote(join(shown, f))}`).join(' ');
    return `On a cluster: istioctl install ${install} -y, then ${check}`;
  }
  if (given.length === 0) return `On a cluster: kubectl apply -f ${shellQuote(shown)}, then ${check}`;
  const mine = (lab.files ?? []).filter((f) => !given.includes(f));
  const apply = mine.map((f) => `kubectl apply -f ${shellQuote(join(shown, f))}`).join(' && ');
  return `On the trainer's cluster (\`${trainerCommand()} cluster up\` already provides ${given.join(' and ')}): ${apply}, then ${check}`;
}

/** Grades a workspace; the error for a missing workspace names the command that creates it. */
export async function gradeWorkspace(lab: LoadedExercise, dir: string, given?: string): Promise<LabResult> {
  const files = await workspaceFiles(dir).catch(() => []);
  if (files.length === 0) {
    // a folder outside the current one is named as given (/tmp/x, not ../../tmp/x)
    const shown = shownPath(dir, 'full');
    const start = `${trainerCommand()} lab start ${lab.id}${given ? ` --dir ${shellQuote(given)}` : ''}`;
    throw new UserError(`no YAML files in ${shown}: run \`${start}\` first${given ? '' : ', or pass --dir'}`);
  }
  return gradeLab(lab, { dir });
}

export async function runLabCheck(
  id: string,
  opts: { dir?: string; output: 'text' | 'json' } & LiveFlags,
): Promise<number> {
  const lab = findLab(id);
  if (
    !opts.live &&
    (opts.context || opts.kubeconfig || opts.namespace || opts.requestTimeout || opts.probe)
  ) {
    throw new UserError('--context, --kubeconfig, --namespace, --request-timeout and --probe go with --live');
  }
  const exam = await activeExam();
  const lock = examLock(exam, lab.id);
  // inside an exam's folder, `lab check` grades that task's folder
  const examDir = opts.dir || opts.live ? undefined : examTaskFolder(exam, lab.id, process.cwd());
  const dir = examDir ?? workspaceDir(lab, opts.dir);
  if (exam && lock && !examDir && !opts.live && !opts.dir) {
    const folders = lock.tasks.map((n) => shownPath(taskDir(exam.workspace, exam.plan, n - 1)));
    note(
      `${lab.id} is exam task ${lock.tasks.join(', ')}; this grades ${shownPath(dir)}, not the exam's folder (${folders.join(', ')}): run it there, or \`${trainerCommand()} exam check ${lock.tasks[0]}\``,
    );
  }
  const result = opts.live
    ? await gradeLive(lab, opts)
    : await gradeWorkspace(lab, dir, examDir ? undefined : opts.dir);
  // an exam task's grading is the exam's business, not the lab's progress
  const progress = examDir ? undefined : await record(lab.id, result.pass ? 'pass' : 'fail');
  const hint =
    result.pass || lock ? undefined : lab.hints[Math.min(progress?.hintsUsed ?? 0, lab.hints.length - 1)];
  if (opts.output === 'json') await write(labResultToJson(result, hint));
  else await writeText(labResultToText(result, palette(), hint));
  return result.pass ? EXIT.ok : EXIT.fail;
}

export async function runLabHint(id: string): Promise<number> {
  const lab = findLab(id);
  const lock = examLock(await activeExam(), lab.id);
  if (lock) throw new UserError(lockedText(lab.id, lock, 'hints'));
  const before = (await progressOf())[lab.id]?.hintsUsed ?? 0;
  const index = Math.min(before, lab.hints.length - 1);
  if (before < lab.hints.length) await record(lab.id, 'hint');
  const c = palette();
  const last = index === lab.hints.length - 1;
  await writeText(
    `${c.bold(`Hint ${index + 1} of ${lab.hints.length}:`)} ${lab.hints[index]}\n${
      last
        ? c.dim(
            `That was the last hint; \`${trainerCommand()} lab solution ${lab.id}\` shows the reference answer.`,
          )
        : ''
    }\n`,
  );
  return EXIT.ok;
}

export async function runLabSolution(id: string): Promise<number> {
  const lab = findLab(id);
  const lock = examLock(await activeExam(), lab.id);
  if (lock) throw new UserError(lockedText(lab.id, lock, 'solution'));
  const files = await solutionFiles(lab);
  await record(lab.id, 'reveal');
  const c = palette();
  const parts: string[] = [c.dim(`Reference solution for ${lab.id} (the lab is now marked as revealed):`)];
  for (const f of files) parts.push('', c.bold(`# ${f.file}`), (await readFile(f.path, 'utf8')).trimEnd());
  parts.push(
    '',
    c.dim(
      'Other correct answers pass too: the grader checks what the configuration does, not how it is written.',
    ),
  );
  await write(`${parts.join('\n')}\n`);
  return EXIT.ok;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runLabReset(id: string, opts: { dir?: string; yes?: boolean }): Promise<number> {
  const lab = findLab(id);
  const dir = workspaceDir(lab, opts.dir);
  const shown = shownPath(dir, 'full');
  const files = await workspaceFiles(dir).catch(() => []);
  if (files.length > 0 && !opts.yes) {
    if (!process.stdin.isTTY) {
      throw new UserError(
        `reset would move your files in ${shown} to a backup; run again with --yes to confirm`,
      );
    }
    if (!(await confirm(`Move your ${files.length} file(s) in ${shown} to a backup and start again?`))) {
      await write('Nothing changed.\n');
      return EXIT.ok;
    }
  }
  const result = await resetWorkspace(lab, dir);
  const lines = result.backup
    ? [`Your files were moved to ${shownPath(result.backup, 'full')}.`]
    : ['There were no files to back up.'];
  lines.push(
    `Started ${shown} again from the starter files${result.created.length ? `: ${result.created.join(', ')}` : ''}.`,
  );
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
