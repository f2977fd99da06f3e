// The cohort report as text, JSON, CSV and JUnit XML (HTML: html.ts).
import { printable } from '../text-safety.ts';
import type { CohortReport, ReportCell } from './cohort-report.ts';

type Paint = (s: string) => string;
export interface TextStyle {
  green: Paint;
  red: Paint;
  yellow: Paint;
  dim: Paint;
  bold: Paint;
}
const id: Paint = (s) => s;
export const PLAIN: TextStyle = { green: id, red: id, yellow: id, dim: id, bold: id };

export const CELL_SYMBOL = { passed: '✓', failed: '✗', 'not-started': '·' } as const;

export function cellText(cell: ReportCell): string {
  if (cell.status === 'not-started') return CELL_SYMBOL['not-started'];
  return `${CELL_SYMBOL[cell.status]}${cell.attempts}`;
}

function pct(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((100 * n) / d);
}

function date(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '-';
}

export function reportToText(r: CohortReport, style: TextStyle = PLAIN): string {
  const out: string[] = [];
  const n = r.learners.length;
  out.push(
    style.bold(`Cohort ${r.cohort}`) +
      `: ${n} learner${n === 1 ? '' : 's'}, ${r.labs.length} lab${r.labs.length === 1 ? '' : 's'}, ${r.runs} grading run${r.runs === 1 ? '' : 's'}` +
      (r.lastRunAt ? ` (last ${date(r.lastRunAt)})` : ''),
  );
  if (r.runs === 0) {
    out.push('', 'No grading runs yet: run `ica-trainer cohort grade` first.');
    return `${out.join('\n')}\n`;
  }
  if (r.alerts.length) {
    out.push(
      '',
      style.bold(`Alerts (latest run): learner resources reaching into another learner's traffic`),
    );
    for (const a of r.alerts) out.push(style.red(`  alert: ${printable(a)}`));
  }
  out.push('');
  const nameWidth = Math.max(7, ...r.learners.map((l) => l.id.length + (l.removed ? 10 : 0)));
  const colWidth = Math.max(4, String(r.labs.length).length + 2);
  const header = `${'learner'.padEnd(nameWidth)}  ${r.labs.map((_, i) => `#${i + 1}`.padStart(colWidth)).join(' ')}  passed`;
  out.push(style.bold(header));
  for (const l of r.learners) {
    const cells = r.labs.map((lab) => {
      const cell = l.cells[lab.id];
      const t = cell ? cellText(cell) : CELL_SYMBOL['not-started'];
      const padded = t.padStart(colWidth);
      if (!cell || cell.status === 'not-started') return style.dim(padded);
      return cell.status === 'passed' ? style.green(padded) : style.red(padded);
    });
    const name = `${l.id}${l.removed ? ' (removed)' : ''}`.padEnd(nameWidth);
    out.push(`${name}  ${cells.join(' ')}  ${l.passed}/${r.labs.length}`);
  }
  out.push(
    style.dim(
      '✓ passed, ✗ failed, · not started; the number is the attempts (distinct configurations graded)',
    ),
  );
  out.push('', style.bold('Completion per lab'));
  const idWidth = Math.max(...r.labs.map((l) => l.id.length));
  r.labs.forEach((lab, i) => {
    const p = pct(lab.passed, n);
    const bar = '█'.repeat(Math.round(p / 5)).padEnd(20, '░');
    out.push(
      `${`#${i + 1}`.padStart(3)} ${lab.id.padEnd(idWidth)}  ${bar} ${String(p).padStart(3)}%  ${lab.passed}/${n} passed, ${lab.attempted} tried  ${style.dim(lab.title)}`,
    );
  });
  out.push('', style.bold('Teach next: the most frequent findings in failing labs'));
  const failing = r.learners.some((l) => Object.values(l.cells).some((c) => c.current === 'fail'));
  if (r.topCodes.length === 0) {
    out.push(
      failing
        ? '  no finding codes: the failing criteria below are about behaviour'
        : '  none: no lab is failing',
    );
  }
  for (const c of r.topCodes) {
    out.push(
      `  ${c.code.padEnd(8)} ${c.name}: ${c.learners} learner${c.learners === 1 ? '' : 's'}, ${c.occurrences} failing lab${c.occurrences === 1 ? '' : 's'} (${c.labs.join(', ')})`,
    );
    if (c.description) out.push(`           ${style.dim(c.description)}`);
  }
  if (r.topCriteria.length) {
    out.push('', style.bold('Most failed criteria'));
    for (const c of r.topCriteria) {
      out.push(
        `  ${`${c.lab} ${c.criterion}`.padEnd(34)} ${c.learners} learner${c.learners === 1 ? '' : 's'}  ${style.dim(printable(c.example.length > 100 ? `${c.example.slice(0, 99)}…` : c.example))}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function reportToJson(r: CohortReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function csvField(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = [
  'learner',
  'namespace',
  'removed',
  'lab',
  'status',
  'attempts',
  'first_passed_at',
  'last_graded_at',
  'current',
  'failing_criteria',
  'codes',
] as const;

/** One row per learner × lab (RFC 4180, CRLF line ends). */
export function reportToCsv(r: CohortReport): string {
  const rows: string[] = [CSV_HEADER.join(',')];
  for (const l of r.learners) {
    for (const lab of r.labs) {
      const c = l.cells[lab.id];
      rows.push(
        [
          l.id,
          l.namespace,
          l.removed ? 'yes' : 'no',
          lab.id,
          c?.status ?? 'not-started',
          c?.attempts ?? 0,
          c?.firstPassedAt,
          c?.lastGradedAt,
          c?.current,
          c?.failing.join(' '),
          c?.codes.join(' '),
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

export function xmlEscape(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .split('')
    .filter((ch) => {
      // XML 1.0 allows tab, newline and carriage return among the control characters.
      const code = ch.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .join('');
}

/** One <testsuite> per learner, one <testcase> per lab: failure, skipped (not started) or pass. */
export function reportToJunit(r: CohortReport): string {
  const lines: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const l of r.learners) {
    const cases: string[] = [];
    let f = 0;
    let s = 0;
    for (const lab of r.labs) {
      const c = l.cells[lab.id];
      const name = `name="${xmlEscape(lab.id)}" classname="${xmlEscape(`${r.cohort}.${l.id}`)}"`;
      if (!c || c.status === 'not-started') {
        s++;
        cases.push(`    <testcase ${name}>\n      <skipped message="not started"/>\n    </testcase>`);
      } else if (c.status === 'failed') {
        f++;
        const message = `${c.failing.length} criteria failing after ${c.attempts} attempt${c.attempts === 1 ? '' : 's'}${c.codes.length ? ` (${c.codes.join(', ')})` : ''}`;
        cases.push(
          `    <testcase ${name}>\n      <failure message="${xmlEscape(message)}" type="${xmlEscape(c.codes[0] ?? 'failed')}">${xmlEscape(c.reasons.join('\n'))}</failure>\n    </testcase>`,
        );
      } else {
        cases.push(
          `    <testcase ${name}>\n      <system-out>${xmlEscape(`passed at ${c.firstPassedAt ?? ''} after ${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`)}</system-out>\n    </testcase>`,
        );
      }
    }
    tests += r.labs.length;
    failures += f;
    skipped += s;
    suites.push(
      `  <testsuite name="${xmlEscape(l.id)}" tests="${r.labs.length}" failures="${f}" errors="0" skipped="${s}"${r.lastRunAt ? ` timestamp="${xmlEscape(r.lastRunAt.replace(/Z$/, ''))}"` : ''}>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(
    `<testsuites name="${xmlEscape(`cohort ${r.cohort}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
  );
  lines.push(...suites);
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
