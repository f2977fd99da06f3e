// Text a learner or instructor reads: YAML values are shown escaped (never obeyed by
// the terminal), and a flood of one finding is printed as a few plus a count.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameHostYaml } from '../../bench/generate.ts';
import type { GradeRun } from '../../src/core/cohort/store.ts';
import { buildCohortReport } from '../../src/core/report/cohort-report.ts';
import { reportToText } from '../../src/core/report/formats.ts';
import { runCli } from '../helpers/cli.ts';

const ESC = '\u001b';
let cwd: string;
const env = () => ({ ICA_TRAINER_HOME: join(cwd, 'home') });
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ica-out-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

// a subset name that would clear the screen and rewrite the line, were it printed raw
const HOSTILE_VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: "v9\\e[2J\\rPASS"}
`;

describe('control characters from YAML', () => {
  it('analyze text shows them escaped', () => {
    const file = join(cwd, 'vs.yaml');
    writeFileSync(file, HOSTILE_VS);
    const r = runCli(['analyze', file], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('v9\\x1b[2J\\rPASS');
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('\r');
  });

  it('lab check text shows them escaped', () => {
    expect(runCli(['lab', 'start', 'canary-20'], { cwd, env: env() }).code).toBe(0);
    writeFileSync(join(cwd, 'ica-labs', 'canary-20', 'reviews.yaml'), HOSTILE_VS);
    const r = runCli(['lab', 'check', 'canary-20'], { cwd, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\\x1b[2J\\rPASS');
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('\r');
  });

  it('the cohort report text shows them escaped', () => {
    const run: GradeRun = {
      version: 1,
      cohort: 'spring',
      startedAt: '2025-03-01T10:00:00.000Z',
      finishedAt: '2025-03-01T10:00:00.000Z',
      context: 'ctx',
      server: 'https://k',
      labs: [{ id: 'canary-20', title: 'Canary' }],
      requests: 1,
      notes: [],
      learners: [
        {
          id: 'alice',
          namespace: 'spring-alice',
          fingerprint: 'a',
          istioResources: 1,
          results: [
            {
              lab: 'canary-20',
              attempted: true,
              pass: false,
              criteria: [{ id: 'split', pass: false, reason: `subset "v9${ESC}[2J" not found`, codes: [] }],
              findings: [],
            },
          ],
        },
      ],
    };
    const text = reportToText(buildCohortReport('spring', [run]));
    expect(text).toContain('subset "v9\\x1b[2J" not found');
    expect(text).not.toContain(ESC);
  });
});

describe('a flood of one finding', () => {
  it('analyze prints 20 of 5,000 IST0109 in full and counts the rest; JSON keeps them all', () => {
    const file = join(cwd, 'flood.yaml');
    writeFileSync(file, sameHostYaml(5000));
    const text = runCli(['analyze', file], { env: env() });
    expect(text.code).toBe(1);
    expect(text.stdout.match(/IST0109 The VirtualServices/g)).toHaveLength(20);
    expect(text.stdout).toMatch(
      /… and 4,980 more IST0109 findings \(5,000 in all; -o json lists every one\)/,
    );
    expect(text.stdout).toMatch(/10000 errors/); // and as many IST0101 (no DestinationRule), capped alike
    expect(text.stdout).toMatch(/… and 4,980 more IST0101 findings/);
    expect(text.stdout.length).toBeLessThan(200_000);
    const json = runCli(['analyze', '-o', 'json', file], { env: env() });
    const codes = (JSON.parse(json.stdout) as { code: string }[]).filter((f) => f.code === 'IST0109');
    expect(codes).toHaveLength(5000);
  });

  it('lab check with 5,000 VirtualServices for one host fails with a short report instead of crashing', () => {
    expect(runCli(['lab', 'start', 'canary-20'], { cwd, env: env() }).code).toBe(0);
    writeFileSync(join(cwd, 'ica-labs', 'canary-20', 'flood.yaml'), sameHostYaml(5000));
    const r = runCli(['lab', 'check', 'canary-20'], { cwd, env: env() });
    expect(r.stderr).not.toMatch(/unexpected error|Invalid string length/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/more IST0109 findings/);
    expect(r.stdout.length).toBeLessThan(500_000);
  });
});
