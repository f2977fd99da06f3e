// The HTML report in a real browser (Debian's chromium, headless): it renders from the
// file alone, the matrix has the right cells, the chart one bar per lab; a screenshot is saved.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { GradeRun } from '../../src/core/cohort/store.ts';
import { buildCohortReport } from '../../src/core/report/cohort-report.ts';
import { reportToHtml } from '../../src/core/report/html.ts';
import { describeBrowser, renderReport } from './browser.ts';

const labs = [
  { id: 'route-all-v1', title: 'Pin every Bookinfo service to v1' },
  { id: 'fix-missing-subset', title: 'Fix: a route to a subset no DestinationRule defines' },
  { id: 'canary-20', title: 'Canary: 20% of reviews traffic to v2' },
];
const pass = (lab: string) => ({ lab, attempted: true, pass: true, criteria: [], findings: [] });
const fail = (lab: string, code: string) => ({
  lab,
  attempted: true,
  pass: false,
  criteria: [{ id: 'valid', pass: false, reason: `1 Error finding: ${code} <b>not bold</b>`, codes: [code] }],
  findings: [{ code, level: 'Error' as const, message: 'x' }],
});
const none = (lab: string) => ({ lab, attempted: false, pass: false, criteria: [], findings: [] });

const run: GradeRun = {
  version: 1,
  cohort: 'spring',
  startedAt: '2025-03-01T10:00:00.000Z',
  finishedAt: '2025-03-01T10:00:01.000Z',
  context: 'ctx',
  server: 'https://k',
  labs,
  requests: 11,
  notes: [],
  learners: [
    {
      id: 'alice',
      namespace: 'spring-alice',
      fingerprint: 'a',
      istioResources: 8,
      results: [pass('route-all-v1'), fail('fix-missing-subset', 'IST0101'), pass('canary-20')],
    },
    {
      id: 'bob',
      namespace: 'spring-bob',
      fingerprint: 'b',
      istioResources: 1,
      results: [
        fail('route-all-v1', 'IST0101'),
        fail('fix-missing-subset', 'IST0101'),
        fail('canary-20', 'ICA0201'),
      ],
    },
    {
      id: 'carol',
      namespace: 'spring-carol',
      fingerprint: 'c',
      istioResources: 0,
      results: [none('route-all-v1'), none('fix-missing-subset'), none('canary-20')],
    },
  ],
};

describeBrowser('HTML report in headless chromium', () => {
  it('renders the matrix, the chart and what to teach next, with no request but the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ica-cohort-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, reportToHtml(buildCohortReport('spring', [run])));
    const shot = join(dir, 'report.png');
    const r = await renderReport(file, shot);
    expect(r.title).toBe('Cohort spring: ica-trainer report');
    expect(r.requests).toEqual([]);
    const grid = Object.fromEntries(
      r.cells.map((c) => [`${c.learner}/${c.lab}`, `${c.status}:${c.attempts}`]),
    );
    expect(grid).toEqual({
      'alice/route-all-v1': 'passed:1',
      'alice/fix-missing-subset': 'failed:1',
      'alice/canary-20': 'passed:1',
      'bob/route-all-v1': 'failed:1',
      'bob/fix-missing-subset': 'failed:1',
      'bob/canary-20': 'failed:1',
      'carol/route-all-v1': 'not-started:0',
      'carol/fix-missing-subset': 'not-started:0',
      'carol/canary-20': 'not-started:0',
    });
    expect(r.cells.find((c) => c.learner === 'alice' && c.lab === 'route-all-v1')?.text).toBe('✓1 attempt');
    expect(r.bars).toEqual({ 'route-all-v1': 33, 'fix-missing-subset': 0, 'canary-20': 33 });
    expect(r.teachNext).toEqual(['IST0101', 'ICA0201']);
    expect(r.size.width).toBeLessThanOrEqual(1280);
    expect(existsSync(shot) && statSync(shot).size).toBeGreaterThan(10_000);
    console.info(`[cohort] HTML report screenshot: ${shot}`);
  }, 90_000);
});
