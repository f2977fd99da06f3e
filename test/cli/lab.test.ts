import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const solution = new URL(
  '../../exercises/01-traffic-shifting/canary-20/solution/reviews.yaml',
  import.meta.url,
).pathname;
let cwd: string;
let env: Record<string, string>;
const lab = (...args: string[]) => runCli(['lab', ...args], { cwd, env });

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ica-lab-'));
  env = { ICA_TRAINER_HOME: join(cwd, 'home') };
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('ica-trainer lab', () => {
  it('start into a folder outside the current one names it as given, in the kubectl command too', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'ica-lab-elsewhere-'));
    const dir = join(elsewhere, 'jwt');
    const r = lab('start', 'jwt-ingress', '--dir', dir);
    rmSync(elsewhere, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Workspace: ${dir}\n`);
    expect(r.stdout).toContain(`On a cluster: kubectl apply -f ${dir}, then`);
    expect(r.stdout).not.toContain('../');
  });

  it('start of fix-custom-provider applies only the policy on a cluster: cluster up provides the authorizer and its mesh config', () => {
    const r = lab('start', 'fix-custom-provider');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created mesh-config\.yaml/);
    expect(r.stdout).toContain(
      "On the trainer's cluster (`ica-trainer cluster up` already provides ext-authz.yaml and mesh-config.yaml): kubectl apply -f ica-labs/fix-custom-provider/ext-authz-policy.yaml, then ica-trainer lab check fix-custom-provider --live",
    );
    expect(r.stdout).not.toContain('kubectl apply -f ica-labs/fix-custom-provider,');
  });

  it('start of istio-operator-overlay says istioctl install on a cluster: an IstioOperator is not kubectl-applied', () => {
    const r = lab('start', 'istio-operator-overlay');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'On a cluster: istioctl install -f ica-labs/istio-operator-overlay/istio-operator.yaml -y, then ica-trainer lab check istio-operator-overlay --live',
    );
    expect(r.stdout).not.toContain('kubectl apply');
  });

  it('check on an empty --dir names that folder as given and the start command for it', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'ica-lab-elsewhere-'));
    const r = lab('check', 'jwt-ingress', '--dir', join(elsewhere, 'jwt'));
    rmSync(elsewhere, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `no YAML files in ${join(elsewhere, 'jwt')}: run \`ica-trainer lab start jwt-ingress --dir ${join(elsewhere, 'jwt')}\` first`,
    );
    expect(r.stderr).not.toContain('../');
    const plain = lab('check', 'jwt-ingress');
    expect(plain.stderr).toContain(
      'no YAML files in ica-labs/jwt-ingress: run `ica-trainer lab start jwt-ingress` first, or pass --dir',
    );
  });

  it("start copies the starter, prints the task, and never overwrites the learner's files", () => {
    const r = lab('start', 'canary-20');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/80% of the requests for `reviews` go to `v1`/);
    expect(r.stdout).toMatch(/created reviews\.yaml/);
    expect(r.stdout).toContain(
      'Docs: https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/',
    );
    expect(r.stdout).toMatch(
      /On a cluster: kubectl apply -f ica-labs\/canary-20, then ica-trainer lab check canary-20 --live/,
    );
    const file = join(cwd, 'ica-labs', 'canary-20', 'reviews.yaml');
    writeFileSync(file, '# my work\n');
    const again = lab('start', 'canary-20');
    expect(again.stdout).toMatch(/kept your reviews\.yaml/);
    expect(readFileSync(file, 'utf8')).toBe('# my work\n');
  });

  it('check fails the starter (exit 1) with criteria, reasons and the next hint, then passes the solution (exit 0)', () => {
    lab('start', 'canary-20');
    const failing = lab('check', 'canary-20');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/✗ About 80% of reviews requests reach v1/);
    expect(failing.stdout).toMatch(/expected v1 80%, v2 20%/);
    expect(failing.stdout).toMatch(/Hint: /);
    writeFileSync(join(cwd, 'ica-labs', 'canary-20', 'reviews.yaml'), readFileSync(solution));
    const passing = lab('check', 'canary-20', '-o', 'json');
    expect(passing.code).toBe(0);
    const json = JSON.parse(passing.stdout) as { pass: boolean; criteria: { id: string; pass: boolean }[] };
    expect(json.pass).toBe(true);
    expect(json.criteria.map((c) => c.id)).toEqual(['valid', 'subsets', 'split', 'stars']);
  });

  it('check names the file and line of a finding behind a failure', () => {
    const dir = join(cwd, 'mine');
    lab('start', 'canary-20', '--dir', dir);
    writeFileSync(
      join(dir, 'reviews.yaml'),
      readFileSync(solution, 'utf8').replace('weight: 20', 'weight: 10'),
    );
    const r = lab('check', 'canary-20', '--dir', dir, '-o', 'json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      criteria: { id: string; codes: string[]; findings: { file: string; line: number }[] }[];
    };
    const split = json.criteria.find((c) => c.id === 'split');
    expect(split?.codes).toContain('ICA1001');
    expect(split?.findings[0]?.file).toMatch(/reviews\.yaml$/);
    expect(split?.findings[0]?.line).toBeGreaterThan(0);
  });

  it('hint gives the hints in order and remembers them; solution marks the lab revealed', () => {
    expect(lab('hint', 'canary-20').stdout).toMatch(/^Hint 1 of 3/);
    expect(lab('hint', 'canary-20').stdout).toMatch(/^Hint 2 of 3/);
    expect(lab('hint', 'canary-20').stdout).toMatch(/^Hint 3 of 3.*\n.*lab solution/);
    expect(lab('hint', 'canary-20').stdout).toMatch(/^Hint 3 of 3/);
    expect(lab('solution', 'canary-20').stdout).toMatch(/subset: v2\n\s+weight: 20/);
    const list = JSON.parse(lab('list', '-o', 'json').stdout) as {
      id: string;
      status: string;
      hintsUsed: number;
    }[];
    expect(list.find((l) => l.id === 'canary-20')).toMatchObject({ status: 'revealed', hintsUsed: 3 });
  });

  it('reset asks first (refuses without --yes when not interactive) and keeps a backup', () => {
    lab('start', 'canary-20');
    const file = join(cwd, 'ica-labs', 'canary-20', 'reviews.yaml');
    writeFileSync(file, '# precious\n');
    const refused = lab('reset', 'canary-20');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(readFileSync(file, 'utf8')).toBe('# precious\n');
    const done = lab('reset', 'canary-20', '--yes');
    expect(done.code).toBe(0);
    const backups = readdirSync(join(cwd, 'ica-labs')).filter((d) => d.startsWith('canary-20.backup-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(cwd, 'ica-labs', backups[0] ?? '', 'reviews.yaml'), 'utf8')).toBe(
      '# precious\n',
    );
    expect(readFileSync(file, 'utf8')).not.toBe('# precious\n');
  });

  it('wraps its text at the terminal width (COLUMNS), keeping commands and links whole; a pipe gets whole lines', () => {
    const narrow = { ...env, COLUMNS: '60' };
    const start = runCli(['lab', 'start', 'canary-20'], { cwd, env: narrow });
    const check = runCli(['lab', 'check', 'canary-20'], { cwd, env: narrow });
    for (const out of [start.stdout, check.stdout]) {
      const long = out
        .split('\n')
        .filter((l) => l.length > 60 && !/https:\/\/|ica-trainer |kubectl /.test(l));
      expect(long).toEqual([]);
    }
    expect(start.stdout).toContain('`ica-trainer lab check canary-20`'); // a command in backticks is not split
    expect(check.stdout).toMatch(/\n {4}\S/); // a criterion's continuation is indented under its text
    const piped = runCli(['lab', 'check', 'canary-20'], { cwd, env });
    expect(piped.stdout.split('\n').some((l) => l.length > 60)).toBe(true);
  });

  it('gives clear errors for unknown labs and missing workspaces', () => {
    const unknown = lab('check', 'canary-21');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean "canary-20"/);
    // a shortened id finds the labs it is part of
    expect(lab('check', 'canary').stderr).toMatch(
      /no lab "canary": did you mean "canary-20"( or "[a-z0-9-]+")*\?/,
    );
    expect(lab('start', 'delay').stderr).toMatch(/did you mean "delay-3s" or "delay-jason-only"\?/);
    const missing = lab('check', 'canary-20');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/lab start canary-20/);
  });

  it('keeps working and says so when the progress file is corrupt', () => {
    lab('hint', 'canary-20');
    const state = join(cwd, 'home', 'state.json');
    expect(existsSync(state)).toBe(true);
    writeFileSync(state, '{ not json');
    const r = lab('hint', 'canary-20');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/corrupt|moved|not valid JSON/i);
    expect(readdirSync(join(cwd, 'home')).some((f) => f.includes('corrupt'))).toBe(true);
  });

  it('watch re-grades after each save and survives a half-written file', async () => {
    lab('start', 'canary-20');
    const dir = join(cwd, 'ica-labs', 'canary-20');
    const bin = new URL('../../bin/ica-trainer.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'lab', 'watch', 'canary-20', '--debounce', '100'], {
      cwd,
      env: { ...process.env, ...env, NO_COLOR: '1', ICA_TRAINER_FROM_SOURCE: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = async (re: RegExp, from: number): Promise<void> => {
      // generous: each step spawns a grader; on a loaded 2-core machine one took over 15 s
      const deadline = Date.now() + 40_000;
      while (!re.test(out.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/FAIL: /, 0);
      let mark = out.length;
      writeFileSync(
        join(dir, 'reviews.yaml'),
        'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x\n',
      );
      await waitFor(/ICA0001|YAML syntax error/, mark);
      mark = out.length;
      writeFileSync(join(dir, 'reviews.yaml'), readFileSync(solution));
      await waitFor(/PASS: all 4 criteria met/, mark);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      // Ctrl-C ends the watch cleanly, and only then is the workspace removed
      expect(await exited).toBe(0);
    }
  }, 150_000);
});
