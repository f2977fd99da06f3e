// The lab screen's panes as rows for a width: the task (README), the grade
// (criteria ✓/✗ with reasons and findings at file:line), the traffic picture
// (where requests went, status codes, what the page showed) and the hints.
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import type { Finding } from '../../core/grading/grade.ts';
import { VALID_CRITERION } from '../../core/grading/types.ts';
import { plural } from '../../core/plural.ts';
import { barText } from '../components/bar.ts';
import type { LabGrade, Share, TrafficPicture } from '../services/lab.ts';
import type { LabViewState } from '../state/lab.ts';
import { type Line, span, truncate, wrapLine, wrapText } from '../text/lines.ts';
import { inline, renderMarkdown } from '../text/markdown.ts';

/** `reviews.yaml:12:5`, relative to the workspace when the file is in it. */
export function where(f: Pick<Finding, 'file' | 'line' | 'column'>, dir?: string): string {
  if (!f.file) return '';
  const file = dir && f.file.startsWith(`${dir}/`) ? f.file.slice(dir.length + 1) : f.file;
  return f.line ? `${file}:${f.line}:${f.column ?? 1}` : file;
}

export function taskLines(lab: LoadedExercise, width: number): Line[] {
  const lines = renderMarkdown(lab.readme, width);
  lines.push([], [span('What is checked', 'accent', { bold: true })]);
  // the same list, and count, as the grade: the validity gate first, then the lab's own
  for (const c of [VALID_CRITERION, ...lab.criteria])
    lines.push(...wrapLine([span('  • '), ...inline(c.text)], width, { hang: 4 }));
  lines.push(
    [],
    ...wrapText(
      `${lab.difficulty} · about ${plural(lab.minutes, 'minute')} · ${lab.domain} · ${lab.competency}`,
      width,
      'muted',
    ),
  );
  if (lab.docs) lines.push(...wrapLine([span(`Docs: ${lab.docs}`, 'muted')], width));
  return lines;
}

function findingLines(f: Finding, width: number, dir?: string): Line[] {
  const loc = where(f, dir);
  const rows: Line[] = [
    ...wrapLine(
      [
        span('      '),
        span(f.code, 'warn'),
        span(` ${f.message}`),
        ...(loc ? [span(`  ${loc}`, 'muted')] : []),
      ],
      width,
      {
        hang: 8,
      },
    ),
  ];
  if (f.path) rows.push(...wrapLine([span(`        field ${f.path}`, 'muted')], width, { hang: 14 }));
  rows.push(...wrapText(`why: ${f.explanation}`, width - 8, 'muted').map((l) => [span('        '), ...l]));
  rows.push(...wrapText(`fix: ${f.fix}`, width - 8).map((l) => [span('        '), ...l]));
  if (f.docs) rows.push(...wrapLine([span(`        docs: ${f.docs}`, 'muted')], width, { hang: 14 }));
  return rows;
}

export function gradeLines(
  s: Pick<LabViewState, 'grade' | 'gradeError' | 'grading'>,
  width: number,
  dir?: string,
): Line[] {
  const lines: Line[] = [];
  if (s.gradeError) lines.push(...wrapText(s.gradeError, width, 'bad'), []);
  const g = s.grade;
  if (!g) {
    lines.push([span(s.grading ? 'Grading your workspace…' : 'Not graded yet: press r.', 'muted')]);
    return lines;
  }
  const r = g.result;
  for (const c of r.criteria) {
    lines.push(
      ...wrapLine(
        [span(c.pass ? '  ✓ ' : '  ✗ ', c.pass ? 'good' : 'bad', { bold: true }), ...inline(c.text)],
        width,
        { hang: 4 },
      ),
    );
    lines.push(...wrapText(c.reason, width - 6, 'muted').map((l) => [span('      '), ...l]));
    if (!c.pass) for (const f of c.findings) lines.push(...findingLines(f, width, dir));
  }
  const met = r.criteria.filter((c) => c.pass).length;
  lines.push([]);
  lines.push(
    r.pass
      ? [span(`PASS: all ${plural(r.criteria.length, 'criterion')} met.`, 'good', { bold: true })]
      : [span(`FAIL: ${met} of ${plural(r.criteria.length, 'criterion')} met.`, 'bad', { bold: true })],
  );
  const others = r.findings.filter((f) => f.level === 'Warning');
  if (others.length) {
    lines.push([], [span('Warnings', 'warn', { bold: true })]);
    for (const f of others) lines.push(...findingLines(f, width, dir));
  }
  const files = r.files.map((f) => (dir && f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : f));
  lines.push([], ...wrapText(`Graded files: ${files.length ? files.join(', ') : 'none'}`, width, 'muted'));
  return lines;
}

function shareLines(shares: readonly Share[], width: number): Line[] {
  const labelWidth = Math.min(34, Math.max(8, ...shares.map((s) => s.label.length)));
  const barWidth = Math.max(6, Math.min(30, width - labelWidth - 14));
  return shares.map((s) => [
    span(`  ${truncate(s.label, labelWidth).padEnd(labelWidth)} `),
    span(barText(s.percent / 100, barWidth), 'good'),
    span(` ${s.percent.toFixed(1).padStart(5)}%`),
  ]);
}

export function trafficLines(traffic: TrafficPicture | undefined, grading: boolean, width: number): Line[] {
  if (!traffic) return [[span(grading ? 'Simulating…' : 'No picture yet.', 'muted')]];
  if (traffic.error)
    return wrapText(`The simulator could not play this configuration: ${traffic.error}`, width, 'bad');
  const lines: Line[] = [
    ...wrapText(`The simulator's picture: ${traffic.target} (offline, seeded).`, width, 'muted'),
    [],
    [span('Where the requests went', 'accent', { bold: true })],
    ...shareLines(traffic.destinations, width),
    [],
    [span('Status codes', 'accent', { bold: true })],
    ...shareLines(traffic.statuses, width),
  ];
  if (traffic.latency)
    lines.push([
      span(
        `  latency p50 ${Math.round(traffic.latency.p50)} ms · p99 ${Math.round(traffic.latency.p99)} ms`,
        'muted',
      ),
    ]);
  if (traffic.pages.length) {
    lines.push(
      [],
      [span('What /productpage showed', 'accent', { bold: true })],
      ...shareLines(traffic.pages, width),
    );
  }
  return lines;
}

export function hintLines(
  lab: LoadedExercise,
  s: Pick<LabViewState, 'hintsShown' | 'solution'>,
  width: number,
): Line[] {
  const lines: Line[] = [];
  if (s.hintsShown === 0)
    lines.push(...wrapText(`${plural(lab.hints.length, 'hint')}: press h for the first.`, width, 'muted'));
  for (let i = 0; i < Math.min(s.hintsShown, lab.hints.length); i++) {
    lines.push(
      ...wrapLine(
        [
          span(`Hint ${i + 1} of ${lab.hints.length}: `, undefined, { bold: true }),
          ...inline(lab.hints[i] ?? ''),
        ],
        width,
        {
          hang: 2,
        },
      ),
      [],
    );
  }
  if (s.hintsShown >= lab.hints.length && !s.solution)
    lines.push(...wrapText('That was the last hint; s shows the reference solution.', width, 'muted'));
  if (s.solution) {
    lines.push([
      span('Reference solution', 'accent', { bold: true }),
      span(' (the lab is now marked as revealed)', 'muted'),
    ]);
    for (const f of s.solution) {
      lines.push([], [span(`# ${f.file}`, undefined, { bold: true })]);
      for (const l of f.text.trimEnd().split('\n')) lines.push([span(truncate(`  ${l}`, width), 'code')]);
    }
    lines.push(
      [],
      ...wrapText(
        'Other correct answers pass too: the grader checks what the configuration does, not how it is written.',
        width,
        'muted',
      ),
    );
  }
  return lines;
}

export function verdictText(grade: LabGrade | undefined): { text: string; tone: 'good' | 'bad' | 'muted' } {
  if (!grade) return { text: 'not graded yet', tone: 'muted' };
  const r = grade.result;
  const met = r.criteria.filter((c) => c.pass).length;
  return r.pass
    ? { text: `✓ PASS ${met}/${r.criteria.length}`, tone: 'good' }
    : { text: `✗ ${met}/${plural(r.criteria.length, 'criterion')}`, tone: 'bad' };
}
