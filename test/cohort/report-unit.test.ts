// The report from stored runs: statuses, attempts, what to teach next, every format;
// the run history on disk (never overwritten).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GradeRun, LabOutcome } from '../../src/core/cohort/store.ts';
import { readRuns, saveRun } from '../../src/core/cohort/store.ts';
import { buildCohortReport } from '../../src/core/report/cohort-report.ts';
import { reportToCsv, reportToJson, reportToJunit, reportToText } from '../../src/core/report/formats.ts';
import { reportToHtml } from '../../src/core/report/html.ts';

const LABS = [
  { id: 'route-all-v1', title: 'Pin every Bookinfo service to v1' },
  { id: 'canary-20', title: 'Canary: 20% to v2' },
];

function outcome(lab: string, state: 'pass' | 'fail' | 'none', codes: string[] = []): LabOutcome {
  if (state === 'none') return { lab, attempted: false, pass: false, criteria: [], findings: [] };
  return {
    lab,
    attempted: true,
    pass: state === 'pass',
    criteria: [
      { id: 'valid', pass: state === 'pass', reason: state === 'pass' ? 'ok' : 'broken, "quoted"', codes },
    ],
    findings: codes.map((code) => ({ code, level: 'Error' as const, message: `${code} found` })),
  };
}

function run(at: string, learners: [string, string, LabOutcome[]][]): GradeRun {
  return {
    version: 1,
    cohort: 'spring',
    startedAt: at,
    finishedAt: at,
    context: 'ctx',
    server: 'https://k',
    labs: LABS,
    requests: 11,
    notes: [],
    learners: learners.map(([id, fp, results]) => ({
      id,
      namespace: `spring-${id}`,
      fingerprint: fp,
      istioResources: fp === 'empty' ? 0 : 1,
      results,
    })),
  };
}

const RUNS: GradeRun[] = [
  run('2025-03-01T10:00:00.000Z', [
    [
      'alice',
      'a1',
      [outcome('route-all-v1', 'fail', ['IST0101']), outcome('canary-20', 'fail', ['IST0101'])],
    ],
    ['bob', 'b1', [outcome('route-all-v1', 'fail', ['IST0101']), outcome('canary-20', 'fail', ['IST0101'])]],
    ['carol', 'empty', [outcome('route-all-v1', 'none'), outcome('canary-20', 'none')]],
  ]),
  // bob regrades the same configuration: not a new attempt
  run('2025-03-01T10:05:00.000Z', [
    ['alice', 'a2', [outcome('route-all-v1', 'pass'), outcome('canary-20', 'fail', ['ICA0201'])]],
    ['bob', 'b1', [outcome('route-all-v1', 'fail', ['IST0101']), outcome('canary-20', 'fail', ['IST0101'])]],
    ['carol', 'empty', [outcome('route-all-v1', 'none'), outcome('canary-20', 'none')]],
  ]),
  // alice moves on: route-all-v1 fails now, but it was passed (attempts frozen at 2)
  run('2025-03-01T10:10:00.000Z', [
    ['alice', 'a3', [outcome('route-all-v1', 'fail', ['ICA0201']), outcome('canary-20', 'pass')]],
    [
      'bob',
      'b2',
      [outcome('route-all-v1', 'fail', ['IST0101', 'ICA0201']), outcome('canary-20', 'fail', ['IST0101'])],
    ],
    ['carol', 'empty', [outcome('route-all-v1', 'none'), outcome('canary-20', 'none')]],
  ]),
];

describe('cohort report', () => {
  const report = buildCohortReport('spring', RUNS, { now: new Date('2025-03-02T00:00:00Z') });
  const cell = (l: string, lab: string) => report.learners.find((x) => x.id === l)?.cells[lab];

  it('marks each cell passed, failed or not started, counting distinct configurations as attempts', () => {
    expect(cell('alice', 'route-all-v1')).toMatchObject({
      status: 'passed',
      attempts: 2,
      firstPassedAt: '2025-03-01T10:05:00.000Z',
      current: 'fail',
    });
    expect(cell('alice', 'canary-20')).toMatchObject({ status: 'passed', attempts: 3 });
    expect(cell('bob', 'route-all-v1')).toMatchObject({ status: 'failed', attempts: 2, failing: ['valid'] });
    expect(cell('carol', 'canary-20')).toMatchObject({ status: 'not-started', attempts: 0 });
    expect(report.labs).toEqual([
      { ...LABS[0], passed: 1, attempted: 2 },
      { ...LABS[1], passed: 1, attempted: 2 },
    ]);
    expect(report.learners.map((l) => [l.id, l.passed])).toEqual([
      ['alice', 2],
      ['bob', 0],
      ['carol', 0],
    ]);
  });

  it('ranks the finding codes of the latest failing outcomes by learners affected', () => {
    expect(report.topCodes.map((c) => [c.code, c.learners, c.occurrences, c.labs])).toEqual([
      ['ICA0201', 2, 2, ['route-all-v1']],
      ['IST0101', 1, 2, ['canary-20', 'route-all-v1']],
    ]);
    expect(report.topCodes[1]?.name).toBe('ReferencedResourceNotFound');
  });

  it('lists the criteria most learners fail, with an example reason', () => {
    expect(report.topCriteria).toEqual([
      { lab: 'route-all-v1', criterion: 'valid', learners: 2, example: 'broken, "quoted"' },
      { lab: 'canary-20', criterion: 'valid', learners: 1, example: 'broken, "quoted"' },
    ]);
  });

  it('prints a text matrix', () => {
    const text = reportToText(report);
    expect(text).toContain('Cohort spring: 3 learners, 2 labs, 3 grading runs');
    expect(text).toMatch(/^alice\s+✓2\s+✓3\s+2\/2$/m);
    expect(text).toMatch(/^bob\s+✗2\s+✗2\s+0\/2$/m);
    expect(text).toMatch(/^carol\s+·\s+·\s+0\/2$/m);
    expect(text).toMatch(/#1 route-all-v1 +█{7}░{13} + 33%/);
  });

  it('writes CSV with one quoted-as-needed row per cell', () => {
    const rows = reportToCsv(report).trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'learner,namespace,removed,lab,status,attempts,first_passed_at,last_graded_at,current,failing_criteria,codes',
    );
    expect(rows).toHaveLength(1 + 3 * 2);
    expect(rows).toContain(
      'bob,spring-bob,no,route-all-v1,failed,2,,2025-03-01T10:10:00.000Z,fail,valid,ICA0201 IST0101',
    );
    expect(rows).toContain('carol,spring-carol,no,canary-20,not-started,0,,,,,');
  });

  it('writes JUnit: a suite per learner, failures and skips counted', () => {
    const xml = reportToJunit(report);
    expect(xml).toContain('<testsuites name="cohort spring" tests="6" failures="2" errors="0" skipped="2">');
    expect(xml).toContain('<testsuite name="bob" tests="2" failures="2" errors="0" skipped="0"');
    expect(xml).toContain('broken, &quot;quoted&quot;');
    expect(xml).toContain('<skipped message="not started"/>');
  });

  it('writes one self-contained HTML file', () => {
    const html = reportToHtml(report);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|url\(/);
    expect(html).toContain('<svg');
    expect(html).toContain(
      'data-learner="bob" data-lab="route-all-v1" data-status="failed" data-attempts="2"',
    );
  });
});

describe('alerts in the report', () => {
  const withAlerts = (r: GradeRun, alerts: string[]): GradeRun => ({ ...r, alerts });
  const earlier =
    "Gateway spring-bob/all of bob claims every host (*) on the shared gateway istio=ingressgateway, other learners' hosts too";
  const latest =
    "VirtualService spring-alice/hijack of alice is exported to spring-bob, in bob's namespace spring-bob";
  const runs = [
    withAlerts(RUNS[0] as GradeRun, [earlier]),
    RUNS[1] as GradeRun,
    withAlerts(RUNS[2] as GradeRun, [latest, '<b>x</b>']),
  ];
  const report = buildCohortReport('spring', runs, { now: new Date('2025-03-02T00:00:00Z') });

  it("carries the latest run's alerts only (an earlier one may have been fixed since)", () => {
    expect(report.alerts).toEqual([latest, '<b>x</b>']);
    expect(buildCohortReport('spring', runs.slice(0, 2)).alerts).toEqual([]);
    expect(JSON.parse(reportToJson(report)).alerts).toEqual([latest, '<b>x</b>']);
  });
  it('shows them in text and HTML, escaped; a report without alerts has no such section', () => {
    const text = reportToText(report);
    expect(text).toContain(`  alert: ${latest}`);
    expect(text).not.toContain(earlier);
    const html = reportToHtml(report);
    expect(html).toContain('<section id="alerts"');
    expect(html).toContain('<li>&lt;b&gt;x&lt;/b&gt;</li>');
    const quiet = buildCohortReport('spring', RUNS);
    expect(reportToText(quiet)).not.toContain('alert');
    expect(reportToHtml(quiet)).not.toContain('id="alerts"');
  });
});

describe('run history', () => {
  const home = mkdtempSync(join(tmpdir(), 'ica-cohort-store-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('stores each run as a new file, even with the same time, and reads them back in order', async () => {
    const a = await saveRun(RUNS[1] as GradeRun, { home });
    const b = await saveRun(RUNS[1] as GradeRun, { home });
    await saveRun(RUNS[0] as GradeRun, { home });
    expect(a).not.toBe(b);
    expect(readdirSync(join(home, 'cohorts', 'spring', 'runs'))).toHaveLength(3);
    expect(JSON.parse(readFileSync(a, 'utf8'))).toEqual(RUNS[1]);
    const { runs, problems } = await readRuns('spring', { home });
    expect(problems).toEqual([]);
    expect(runs.map((r) => r.startedAt)).toEqual([
      RUNS[0]?.startedAt,
      RUNS[1]?.startedAt,
      RUNS[1]?.startedAt,
    ]);
  });
});
