// Mistakes that are the user's: one line on stderr, exit 2, nothing changed, and
// never "unexpected error" (exit 70). Each case is one found by attacking the trainer.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

let cwd: string;
let home: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { cwd, env });

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ica-usererr-'));
  home = join(cwd, 'home');
  env = { ICA_TRAINER_HOME: home };
});
afterEach(() => {
  chmodSync(cwd, 0o755);
  rmSync(cwd, { recursive: true, force: true });
});

function expectUserError(r: ReturnType<typeof runCli>, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/unexpected error/);
  const ours = r.stderr.split('\n').filter((l) => l);
  expect(ours).toHaveLength(1);
  expect(r.code).toBe(2);
}

describe('lab start --dir that cannot be a workspace', () => {
  it('a file, a path under a file', () => {
    writeFileSync(join(cwd, 'notes'), 'mine\n');
    expectUserError(
      cli('lab', 'start', 'canary-20', '--dir', 'notes'),
      /notes as the lab folder: it is a file/,
    );
    expectUserError(
      cli('lab', 'start', 'canary-20', '--dir', 'notes/sub/deeper'),
      /cannot create .*notes\/sub\/deeper: .*notes is a file, not a folder/,
    );
    expect(readFileSync(join(cwd, 'notes'), 'utf8')).toBe('mine\n');
  });

  it('a kernel filesystem is refused at once (recursive mkdir spins under /proc)', () => {
    expectUserError(cli('lab', 'start', 'canary-20', '--dir', '/proc/xx'), /\/proc is a kernel filesystem/);
    expectUserError(cli('lab', 'start', 'canary-20', '--dir', '/sys/ica-x'), /\/sys is a kernel filesystem/);
  });

  it('a dangling symbolic link as the folder, or in place of a starter file, is named and left alone', () => {
    symlinkSync(join(cwd, 'gone'), join(cwd, 'ws'));
    expectUserError(
      cli('lab', 'start', 'canary-20', '--dir', 'ws'),
      /ws is a symbolic link to a missing place/,
    );
    mkdirSync(join(cwd, 'ws2'));
    symlinkSync(join(cwd, 'gone.yaml'), join(cwd, 'ws2', 'reviews.yaml'));
    expectUserError(
      cli('lab', 'start', 'canary-20', '--dir', 'ws2'),
      /ws2\/reviews\.yaml is a symbolic link to .*gone\.yaml, which does not exist/,
    );
    expect(existsSync(join(cwd, 'gone.yaml'))).toBe(false); // not written through the link
  });

  it.skipIf(process.getuid?.() === 0)('a folder the user may not write to', () => {
    mkdirSync(join(cwd, 'ro'));
    chmodSync(join(cwd, 'ro'), 0o555);
    expectUserError(
      cli('lab', 'start', 'canary-20', '--dir', 'ro/x'),
      /cannot create .*ro\/x: permission denied/,
    );
  });
});

describe('a progress file this release cannot use', () => {
  const commands = [['progress'], ['exam', 'history'], ['exam', 'start', '--dir', 'exam-ws']];

  it.each([
    ['another format version', '{"version": 2}\n', /has format version 2.*left untouched/],
    [
      'a field of the wrong type',
      '{"version": 1, "exams": {"history": 5}}\n',
      /"exams" section .* not valid/,
    ],
  ])('%s: one line, exit 2, the file unchanged', (_what, text, message) => {
    mkdirSync(home);
    writeFileSync(join(home, 'state.json'), text);
    for (const args of commands) {
      expectUserError(cli(...args), message);
      expect(readFileSync(join(home, 'state.json'), 'utf8')).toBe(text);
      expect(readdirSync(home)).toEqual(['state.json']);
    }
  });
});

describe('lab check on special files', () => {
  it('a FIFO named *.yaml in the workspace is reported, not waited on', () => {
    expect(cli('lab', 'start', 'canary-20').code).toBe(0);
    execFileSync('mkfifo', [join(cwd, 'ica-labs', 'canary-20', 'extra.yaml')]);
    const r = cli('lab', 'check', 'canary-20');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/extra\.yaml: a FIFO \(named pipe\), not a regular file/);
  });
});

describe('live flags', () => {
  it.each([['..'], ['Foo'], ['a/b']])('-n %s is not a namespace name', (ns) => {
    expectUserError(cli('analyze', '--live', '-n', ns), /is not a valid namespace name/);
    expectUserError(cli('lab', 'check', 'canary-20', '--live', '-n', ns), /is not a valid namespace name/);
  });
});

describe('a lab graded from files only, asked for --live', () => {
  it.each([['helm-install-order', /a cluster shows what was\s+installed, not the order/]])(
    'lab check and lab watch %s --live say why, before reading any cluster',
    (id, why) => {
      // no kubeconfig at all: the refusal comes first, not "no kubeconfig"
      for (const verb of ['check', 'watch']) {
        const r = runCli(['lab', verb, id, '--live'], {
          cwd,
          env: { ...env, KUBECONFIG: join(cwd, 'none') },
        });
        expect(r.code).toBe(2);
        expectUserError(
          r,
          new RegExp(`^ica-trainer: ${id} is graded from files only, not from a cluster: `, 'm'),
        );
        expect(r.stderr.replace(/\s+/g, ' ')).toMatch(new RegExp(why.source.replace(/\\s\+/g, ' ')));
        expect(r.stderr).toContain(`lab check ${id}\` (without --live)`);
      }
    },
  );
});
