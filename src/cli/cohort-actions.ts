// The cohort commands' implementations: options to core calls, results to text or JSON,
// cluster and state failures to one-line UserErrors (exit 2).
import { basename, extname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { writeFileAtomically } from '../core/atomic-file.ts';
import { ClusterError } from '../core/cluster/errors.ts';
import { ApiStatusError } from '../core/cluster/http.ts';
import { cohortGradable } from '../core/cohort/gradable.ts';
import { parseRoster, RosterError, validateCohortName, validateIds } from '../core/cohort/roster.ts';
import { CohortError, type SetupResult } from '../core/cohort/setup.ts';
import type { GradeRun } from '../core/cohort/store.ts';
import {
  type CohortRecord,
  CohortStoreError,
  listCohorts,
  readCohort,
  readRuns,
} from '../core/cohort/store.ts';
import { parseDurationMs } from '../core/config/duration.ts';
import type { LoadedExercise } from '../core/content/exercise-loader.ts';
import { stateHome } from '../core/progress/store.ts';
import { buildCohortReport } from '../core/report/cohort-report.ts';
import {
  CELL_SYMBOL,
  reportToCsv,
  reportToJson,
  reportToJunit,
  reportToText,
} from '../core/report/formats.ts';
import { reportToHtml } from '../core/report/html.ts';
import { printable, shellQuote } from '../core/text-safety.ts';
import { allLabs, findLab } from './lab-actions.ts';
import { EXIT, palette, UserError, write } from './output.ts';

/** a roster is a list of learner ids: a megabyte is thousands of learners */
const ROSTER_MAX_BYTES = 1024 * 1024;

export interface CohortIo {
  write?: (text: string) => Promise<void>;
  /** KUBECONFIG, HOME and ICA_TRAINER_HOME come from here (default: process.env) */
  env?: NodeJS.ProcessEnv;
  color?: boolean;
  /** answers the confirmation of `remove` (default: a prompt on a terminal) */
  confirm?: (question: string) => Promise<boolean>;
}

interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
}

function clusterOptions(flags: ClusterFlags, io: CohortIo) {
  let timeoutMs: number | undefined;
  if (flags.requestTimeout) {
    const t = flags.requestTimeout;
    timeoutMs = /^\d+$/.test(t) ? Number(t) * 1000 : parseDurationMs(t);
    if (timeoutMs === undefined || !(timeoutMs > 0)) {
      throw new UserError(`--request-timeout "${t}" is not a positive duration (for example 10s or 500ms)`);
    }
  }
  return {
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(io.env ? { env: io.env } : {}),
  };
}

function ttlSeconds(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 600_000) {
    throw new UserError(`--token-ttl "${text}" is not a duration of at least 10m (for example 720h)`);
  }
  return Math.round(ms / 1000);
}

/** Core failures as UserErrors; anything else is a bug and goes up. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (e instanceof ClusterError || e instanceof RosterError || e instanceof CohortError) {
      throw new UserError(e.message);
    }
    if (e instanceof CohortStoreError) throw new UserError(e.message);
    if (e instanceof ApiStatusError) {
      const what = e.status === 403 ? 'forbidden' : `refused (${e.status})`;
      throw new UserError(`the API server ${what}: ${e.method} ${e.path}: ${e.message}`);
    }
    throw e;
  }
}

function homeOf(io: CohortIo): string {
  return stateHome(io.env ?? process.env);
}

/** --cohort, else the only cohort recorded. */
async function pickCohort(name: string | undefined, home: string): Promise<CohortRecord> {
  const known = await listCohorts({ home });
  if (name) {
    const record = await readCohort(name, { home });
    if (!record) {
      throw new UserError(
        `no cohort "${name}" in ${home}${known.length ? ` (known: ${known.join(', ')})` : ''}; create it with \`ica-trainer cohort init ROSTER --name ${shellQuote(name)}\``,
      );
    }
    return record;
  }
  if (known.length === 0) {
    throw new UserError(`no cohort yet in ${home}: create one with \`ica-trainer cohort init ROSTER\``);
  }
  if (known.length > 1)
    throw new UserError(`several cohorts (${known.join(', ')}): choose one with --cohort NAME`);
  const record = await readCohort(known[0] as string, { home });
  if (!record) throw new UserError(`cohort ${known[0]} has no record`);
  return record;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function setupText(r: SetupResult, color: boolean | undefined): string {
  const c = palette(color);
  const lines: string[] = [];
  const width = Math.max(...r.learners.map((l) => l.namespace.length), 9);
  const total = { created: r.shared.created, updated: r.shared.updated, unchanged: r.shared.unchanged };
  for (const l of r.learners) {
    total.created += l.objects.created;
    total.updated += l.objects.updated;
    total.unchanged += l.objects.unchanged;
    const changed = l.objects.created + l.objects.updated;
    const what = changed
      ? c.green(`${l.objects.created} created, ${l.objects.updated} updated`)
      : c.dim('unchanged');
    const kc =
      l.kubeconfigAction === 'written'
        ? `wrote ${shown(l.kubeconfig)}`
        : c.dim(`kept ${shown(l.kubeconfig)}`);
    lines.push(`  ${l.id.padEnd(12)} ${l.namespace.padEnd(width)}  ${what}; ${kc}`);
  }
  const head = `Cohort ${c.bold(r.cohort)} in context ${r.context} (learners connect to ${r.server}):`;
  const changed = total.created + total.updated;
  const summary = changed
    ? `${total.created} objects created, ${total.updated} updated, ${total.unchanged} already right.`
    : `Nothing to change: all ${total.unchanged} objects were already right.`;
  const grader = `Grading access: ${r.graderKubeconfigAction === 'written' ? 'wrote' : 'kept'} ${shown(r.graderKubeconfig)} (read-only).`;
  const extra = r.notInRoster.length
    ? [
        `Not in this roster, kept: ${r.notInRoster.join(', ')} (\`ica-trainer cohort remove ID...\` removes them).`,
      ]
    : [];
  const warned = r.warnings.map((w) => c.yellow(`warning: ${w}`));
  return `${[head, ...lines, '', summary, grader, ...warned, ...extra, 'Hand each learner their <id>.kubeconfig: `KUBECONFIG=<id>.kubeconfig ica-trainer ...`.'].join('\n')}\n`;
}

function setupJson(r: SetupResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

interface InitFlags extends ClusterFlags {
  name?: string;
  dir: string;
  server?: string;
  tokenTtl: string;
  output: 'text' | 'json';
}

export async function runCohortInit(roster: string, flags: InitFlags, io: CohortIo = {}): Promise<number> {
  return userErrors(async () => {
    const name = flags.name ?? basename(roster, extname(roster)).toLowerCase();
    try {
      validateCohortName(name);
    } catch (e) {
      if (e instanceof RosterError && !flags.name) throw new UserError(`${e.message}: pass --name NAME`);
      throw e;
    }
    const { readRegularFile } = await import('../core/config/bounded-read.ts');
    const read = await readRegularFile(roster, ROSTER_MAX_BYTES);
    if (!read.ok) throw new UserError(`cannot read the roster ${roster}: ${read.detail}`);
    const text = read.text;
    const ids = parseRoster(text, name, roster);
    const { setupCohort } = await import('../core/cohort/setup.ts');
    const result = await setupCohort({
      ...clusterOptions(flags, io),
      name,
      ids,
      dir: flags.dir,
      ...(flags.server ? { server: flags.server } : {}),
      tokenTtlSeconds: ttlSeconds(flags.tokenTtl),
      home: homeOf(io),
    });
    await (io.write ?? write)(flags.output === 'json' ? setupJson(result) : setupText(result, io.color));
    return EXIT.ok;
  });
}

interface AddFlags extends ClusterFlags {
  cohort?: string;
  server?: string;
  tokenTtl: string;
  output: 'text' | 'json';
}

export async function runCohortAdd(ids: string[], flags: AddFlags, io: CohortIo = {}): Promise<number> {
  return userErrors(async () => {
    const home = homeOf(io);
    const record = await pickCohort(flags.cohort, home);
    const valid = validateIds(record.name, ids);
    const { setupCohort } = await import('../core/cohort/setup.ts');
    const result = await setupCohort({
      ...clusterOptions(flags, io),
      name: record.name,
      ids: valid,
      dir: record.kubeconfigDir,
      server: flags.server ?? record.server,
      tokenTtlSeconds: ttlSeconds(flags.tokenTtl),
      home,
    });
    result.notInRoster = [];
    await (io.write ?? write)(flags.output === 'json' ? setupJson(result) : setupText(result, io.color));
    return EXIT.ok;
  });
}

async function promptYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

interface RemoveFlags extends ClusterFlags {
  cohort?: string;
  yes?: boolean;
}

export async function runCohortRemove(ids: string[], flags: RemoveFlags, io: CohortIo = {}): Promise<number> {
  return userErrors(async () => {
    const home = homeOf(io);
    const record = await pickCohort(flags.cohort, home);
    const valid = validateIds(record.name, ids);
    const out = io.write ?? write;
    const unknown = valid.filter((id) => !record.learners.some((l) => l.id === id));
    if (unknown.length === valid.length) {
      throw new UserError(
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in cohort ${record.name} (learners: ${record.learners.map((l) => l.id).join(', ') || 'none'})`,
      );
    }
    const targets = valid.filter((id) => !unknown.includes(id));
    const namespaces = targets.map((id) => `${record.name}-${id}`).join(', ');
    if (!flags.yes) {
      const question = `Remove ${targets.join(', ')} from cohort ${record.name}: delete namespace${targets.length === 1 ? '' : 's'} ${namespaces} and the kubeconfig${targets.length === 1 ? '' : 's'}? (grading results are kept)`;
      let ok: boolean;
      if (io.confirm) ok = await io.confirm(question);
      else if (process.stdin.isTTY) ok = await promptYesNo(question);
      else {
        throw new UserError(
          `removing deletes namespace${targets.length === 1 ? '' : 's'} ${namespaces}; run again with --yes to confirm`,
        );
      }
      if (!ok) {
        await out('Nothing changed.\n');
        return EXIT.ok;
      }
    }
    const { removeLearners } = await import('../core/cohort/setup.ts');
    const { removals } = await removeLearners({ ...clusterOptions(flags, io), record, ids: targets, home });
    const lines = removals.map((r) =>
      r.deleted
        ? `Removed ${r.id}: access revoked, namespace ${r.namespace} deleted.`
        : `Removed ${r.id}: namespace ${r.namespace} was already gone.`,
    );
    if (unknown.length) lines.push(`Not in the cohort (nothing done): ${unknown.join(', ')}.`);
    lines.push('Their grading results are kept in the report.');
    await out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}

interface GradeFlags extends ClusterFlags {
  cohort?: string;
  lab?: string[];
  concurrency: number;
  output: 'text' | 'json';
}

function gradeText(
  run: GradeRun,
  extra: { path?: string; terminating: string[]; readMs: number; gradeMs: number },
  color?: boolean,
): string {
  const c = palette(color);
  const lines: string[] = [];
  const width = Math.max(...run.learners.map((l) => l.id.length), 7);
  lines.push(c.bold(`Cohort ${run.cohort}: ${run.learners.length} learners × ${run.labs.length} labs`));
  for (const l of run.learners) {
    const passed = l.results.filter((r) => r.pass).length;
    const marks = l.results
      .map((r) =>
        !r.attempted
          ? c.dim(CELL_SYMBOL['not-started'])
          : r.pass
            ? c.green(CELL_SYMBOL.passed)
            : c.red(CELL_SYMBOL.failed),
      )
      .join('');
    const failing = l.results.filter((r) => r.attempted && !r.pass).map((r) => r.lab);
    const note =
      l.istioResources === 0
        ? c.dim('no Istio resources yet')
        : `${passed}/${l.results.length} passed${failing.length && failing.length <= 3 ? `; failing: ${failing.join(', ')}` : ''}`;
    lines.push(`  ${l.id.padEnd(width)}  ${marks}  ${note}`);
  }
  for (const n of run.notes) lines.push(c.yellow(`note: ${n}`));
  for (const a of run.alerts ?? []) lines.push(c.red(`alert: ${printable(a)}`));
  if (extra.terminating.length)
    lines.push(c.dim(`being deleted, not graded: ${extra.terminating.join(', ')}`));
  lines.push(
    '',
    `Read the cluster in ${run.requests} API requests (${Math.round(extra.readMs)} ms), graded in ${Math.round(extra.gradeMs)} ms.`,
    extra.path ? `Stored as ${shown(extra.path)}; see \`ica-trainer cohort report\`.` : '',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A lab named with --lab that cohort grading cannot do is one line, exit 2. */
function cohortLab(lab: LoadedExercise): LoadedExercise {
  if (!lab.modes.includes('live'))
    throw new UserError(
      `lab ${lab.id} is graded from files only (modes: ${lab.modes.join(', ')}): cohort grade reads the cluster and cannot grade it`,
    );
  if (!cohortGradable(lab))
    throw new UserError(
      `lab ${lab.id} needs more than a learner's namespace (mesh-wide policies, istio-system or the legacy namespace): cohort grade cannot grade it per learner`,
    );
  return lab;
}

export async function runCohortGrade(flags: GradeFlags, io: CohortIo = {}): Promise<number> {
  return userErrors(async () => {
    const home = homeOf(io);
    const record = await pickCohort(flags.cohort, home);
    // labs graded from files only, or needing more than a learner's namespace, cannot be graded per learner
    const labs = allLabs();
    const chosen = flags.lab?.length
      ? [...new Set(flags.lab)].map((id) => cohortLab(findLab(id, labs)))
      : labs.filter(cohortGradable);
    const { gradeCohort } = await import('../core/cohort/grade.ts');
    const result = await gradeCohort({
      ...clusterOptions(flags, io),
      cohort: record.name,
      labs: chosen,
      concurrency: flags.concurrency,
      home,
    });
    const out = io.write ?? write;
    if (flags.output === 'json') {
      await out(
        `${JSON.stringify({ ...result.run, storedAs: result.path, terminating: result.terminating }, null, 2)}\n`,
      );
    } else await out(gradeText(result.run, result, io.color));
    return EXIT.ok;
  });
}

interface ReportFlags {
  cohort?: string;
  output: 'text' | 'json' | 'csv' | 'junit' | 'html';
  out?: string;
  top: number;
}

export async function runCohortReport(flags: ReportFlags, io: CohortIo = {}): Promise<number> {
  return userErrors(async () => {
    const home = homeOf(io);
    const record = await pickCohort(flags.cohort, home);
    const { runs, problems } = await readRuns(record.name, { home });
    for (const p of problems) process.stderr.write(`ica-trainer: ${p}\n`);
    const report = buildCohortReport(record.name, runs, { record, top: flags.top });
    const toFile = Boolean(flags.out);
    const text =
      flags.output === 'json'
        ? reportToJson(report)
        : flags.output === 'csv'
          ? reportToCsv(report)
          : flags.output === 'junit'
            ? reportToJunit(report)
            : flags.output === 'html'
              ? reportToHtml(report)
              : reportToText(report, toFile ? undefined : palette(io.color));
    if (flags.out) {
      const path = resolve(flags.out);
      try {
        await writeFileAtomically(path, text);
      } catch (e) {
        throw new UserError(
          `cannot write ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      await (io.write ?? write)(
        `Wrote the ${flags.output} report of cohort ${record.name} to ${shown(path)}.\n`,
      );
    } else await (io.write ?? write)(text);
    return EXIT.ok;
  });
}
