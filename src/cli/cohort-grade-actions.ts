// cohort grade and cohort report: grade every learner's namespace from the cluster,
// and turn the stored runs into a report. Shared flags, --cohort and error mapping:
// cohort-context.ts.
import { resolve } from 'node:path';
import { writeFileAtomically } from '../core/atomic-file.ts';
import { cohortGradable } from '../core/cohort/gradable.ts';
import { type GradeRun, readRuns } from '../core/cohort/store.ts';
import type { LoadedExercise } from '../core/content/exercise-loader.ts';
import { buildCohortReport } from '../core/report/cohort-report.ts';
import {
  CELL_SYMBOL,
  reportToCsv,
  reportToJson,
  reportToJunit,
  reportToText,
} from '../core/report/formats.ts';
import { reportToHtml } from '../core/report/html.ts';
import { printable } from '../core/text-safety.ts';
import { type ClusterFlags, type CohortIo, clusterOptions, shown, withCohort } from './cohort-context.ts';
import { allLabs, findLab } from './lab-actions.ts';
import { EXIT, palette, UserError, write } from './output.ts';

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
  return withCohort(flags.cohort, io, async (record, home) => {
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
  return withCohort(flags.cohort, io, async (record, home) => {
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
