// The cohort commands without a cluster: help on every command, and the failures a user
// can make, each one line (UserError, exit 2) that says what to do.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCohort } from '../../src/cli/cohort.ts';
import { runCohortInit, runCohortRemove } from '../../src/cli/cohort-actions.ts';
import { runCohortGrade, runCohortReport } from '../../src/cli/cohort-grade-actions.ts';
import { UserError } from '../../src/cli/output.ts';
import { saveCohort } from '../../src/core/cohort/store.ts';

const work = mkdtempSync(join(tmpdir(), 'ica-cohort-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function program(): Command {
  const p = new Command('ica-trainer').exitOverride();
  registerCohort(p);
  return p;
}

function help(...path: string[]): string {
  let cmd: Command | undefined = program();
  for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
  if (!cmd) throw new Error(`no command ${path.join(' ')}`);
  return cmd.helpInformation();
}

describe('cohort --help', () => {
  it('describes every subcommand', () => {
    const top = help('cohort');
    for (const sub of ['init', 'add', 'remove', 'grade', 'report']) expect(top).toContain(sub);
    expect(help('cohort', 'init')).toContain('--server <url>');
    expect(help('cohort', 'init')).toContain('--dir <dir>');
    expect(help('cohort', 'remove')).toContain('--yes');
    expect(help('cohort', 'grade')).toContain('--lab <id>');
    expect(help('cohort', 'report')).toMatch(/choices: "text", "json", "csv", "junit",\s+"html"/);
  });

  it('rejects a bad --concurrency before anything runs', async () => {
    await expect(
      program().parseAsync(['node', 'x', 'cohort', 'grade', '--concurrency', '0'], { from: 'node' }),
    ).rejects.toThrow(/expected a whole number from 1 to 64/);
  });
});

describe('user errors', () => {
  const env = { ICA_TRAINER_HOME: join(work, 'state'), KUBECONFIG: join(work, 'none') };
  const initFlags = { dir: join(work, 'kc'), tokenTtl: '720h', output: 'text' as const };

  it('names the roster line of a bad id, before touching a cluster', async () => {
    const roster = join(work, 'spring.txt');
    writeFileSync(roster, 'alice\nBob\n');
    await expect(runCohortInit(roster, initFlags, { env })).rejects.toThrow(
      new UserError(
        `${roster}:2: learner id "Bob" is not a DNS label: it has upper-case letters (use lower case)`,
      ),
    );
  });

  it('asks for --name when the roster file name is no cohort name', async () => {
    const roster = join(work, 'Class List.txt');
    writeFileSync(roster, 'alice\n');
    await expect(runCohortInit(roster, initFlags, { env })).rejects.toThrow(/pass --name NAME/);
  });

  it('says there is no kubeconfig', async () => {
    const roster = join(work, 'spring.txt');
    writeFileSync(roster, 'alice\n');
    await expect(runCohortInit(roster, initFlags, { env })).rejects.toThrow(/no kubeconfig/);
  });

  it('says when the API server cannot be reached', async () => {
    const port = await closedPort();
    const kc = join(work, 'closed.kubeconfig');
    writeFileSync(
      kc,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    const roster = join(work, 'spring.txt');
    writeFileSync(roster, 'alice\n');
    await expect(runCohortInit(roster, { ...initFlags, kubeconfig: kc }, { env })).rejects.toThrow(
      new RegExp(
        `cannot reach the API server at https://127\\.0\\.0\\.1:${port} \\(context c\\): connection refused`,
      ),
    );
  });

  it('needs a cohort for grade and report, and names the known ones', async () => {
    await expect(runCohortReport({ output: 'text', top: 10 }, { env })).rejects.toThrow(
      /no cohort yet in .*: create one with `ica-trainer cohort init ROSTER`/,
    );
    const home = env.ICA_TRAINER_HOME;
    for (const name of ['autumn', 'spring']) {
      await saveCohort(
        {
          version: 1,
          name,
          createdAt: '2025-01-01T00:00:00.000Z',
          updatedAt: '2025-01-01T00:00:00.000Z',
          context: 'c',
          server: 'https://k',
          kubeconfigDir: work,
          learners: [{ id: 'alice', namespace: `${name}-alice`, addedAt: '2025-01-01T00:00:00.000Z' }],
          removed: [],
        },
        { home },
      );
    }
    await expect(runCohortGrade({ concurrency: 8, output: 'text' }, { env })).rejects.toThrow(
      'several cohorts (autumn, spring): choose one with --cohort NAME',
    );
    await expect(runCohortReport({ cohort: 'winter', output: 'text', top: 10 }, { env })).rejects.toThrow(
      /no cohort "winter" .*\(known: autumn, spring\)/,
    );
    await expect(
      runCohortGrade({ cohort: 'spring', lab: ['route-all-1'], concurrency: 8, output: 'text' }, { env }),
    ).rejects.toThrow('no lab "route-all-1": did you mean "route-all-v1"?');
    // a security lab's policies are mesh-wide: it cannot be graded per learner namespace
    await expect(
      runCohortGrade(
        { cohort: 'spring', lab: ['mtls-strict-legacy'], concurrency: 8, output: 'text' },
        { env },
      ),
    ).rejects.toThrow(
      /lab mtls-strict-legacy needs more than a learner's namespace \(mesh-wide policies, istio-system or the legacy namespace\): cohort grade cannot grade it per learner/,
    );
    const out: string[] = [];
    await runCohortReport(
      { cohort: 'spring', output: 'text', top: 10 },
      { env, write: async (t) => void out.push(t) },
    );
    expect(out.join('')).toContain('No grading runs yet: run `ica-trainer cohort grade` first.');
  });

  it('asks before removing, and refuses without a terminal or --yes', async () => {
    await expect(runCohortRemove(['alice'], { cohort: 'spring' }, { env })).rejects.toThrow(
      'removing deletes namespace spring-alice; run again with --yes to confirm',
    );
    await expect(runCohortRemove(['zed'], { cohort: 'spring', yes: true }, { env })).rejects.toThrow(
      'zed is not in cohort spring (learners: alice)',
    );
  });
});
