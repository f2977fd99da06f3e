// `ica-trainer install ...` on bad input, as a learner meets it: one line that names the
// file (once) and the line of the field at fault, never a stack trace.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

let dir: string;
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** stderr's lines (runCli sets no FORCE_COLOR, so Node adds no warning of its own) */
const ownLines = (stderr: string) => stderr.trim().split('\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ica-install-errors-'));
});

const MISSPELT_PROFILE =
  'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: team\nspec:\n  profile: demoo\n';

describe('install: an unknown profile in a file', () => {
  it('names the file, the line of spec.profile and the field (manifest generate, profile dump -f, profile diff)', () => {
    const f = file('profile.yaml', MISSPELT_PROFILE);
    const line =
      /^ica-trainer: \S*profile\.yaml:6: spec\.profile: unknown profile "demoo"; the profiles are ambient, /m;
    const gen = runCli(['install', 'manifest', 'generate', '-f', f]);
    expect(gen.code).toBe(1);
    expect(gen.stderr).toMatch(line);
    const dump = runCli(['install', 'profile', 'dump', '-f', f]);
    expect(dump.code).toBe(1);
    expect(dump.stderr).toMatch(line);
    const diff = runCli(['install', 'profile', 'diff', 'demo', f]);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toMatch(line);
    // a later file's profile is the one used, so it is the one named
    const later = file('later.yaml', MISSPELT_PROFILE.replace('demoo', 'minimall'));
    const two = runCli(['install', 'manifest', 'generate', '-f', f, later]);
    expect(two.stderr).toMatch(/later\.yaml:6: spec\.profile: unknown profile "minimall"/);
    // --set names itself as the source, as for the other fields it sets
    const set = runCli(['install', 'manifest', 'generate', '-f', f, '--set', 'profile=prod']);
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/^ica-trainer: --set: spec\.profile: unknown profile "prod"/m);
  });

  it('a misspelt profile name given on the command line of profile dump -f is a usage error', () => {
    const ok = file('ok.yaml', MISSPELT_PROFILE.replace('demoo', 'demo'));
    const r = runCli(['install', 'profile', 'dump', 'demoo', '-f', ok]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ica-trainer: unknown profile "demoo"; the profiles are /m);
  });
});

describe('install: unreadable inputs', () => {
  it('names the file once: a missing file, a binary file, a folder without YAML', () => {
    const bin = file('bin.yaml', Buffer.from([0, 1, 2, 3, 0x62, 0x69, 0x6e]));
    mkdirSync(join(dir, 'nothing-here'), { recursive: true });
    for (const [path, why] of [
      [join(dir, 'missing.yaml'), /no such file or directory/],
      [bin, /binary, not YAML text/],
      [join(dir, 'nothing-here'), /holds no \*\.yaml or \*\.yml files/],
    ] as const) {
      const r = runCli(['install', 'manifest', 'generate', '-f', path]);
      expect(r.code, path).toBe(2);
      expect(ownLines(r.stderr), path).toHaveLength(1);
      expect(r.stderr, path).toMatch(why);
      // "…/missing.yaml: Cannot read …/missing.yaml: …" said the path twice
      expect(r.stderr.split(path).length - 1, r.stderr).toBe(1);
      const tags = runCli(['install', 'tag', 'list', path]);
      expect(tags.code, path).toBe(2);
      expect(tags.stderr.split(path).length - 1, tags.stderr).toBe(1);
    }
  });

  it('profile diff reads an existing path as a file even without a .yaml suffix', () => {
    const sub = join(dir, 'overlay');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'iop.yaml'), MISSPELT_PROFILE.replace('demoo', 'minimal'));
    const r = runCli(['install', 'profile', 'diff', 'default', 'overlay'], { cwd: dir });
    expect(r.stderr).not.toMatch(/unknown profile "overlay"/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/components\.ingressGateways\[istio-ingressgateway\]\.enabled: true -> false/);
  });
});

describe('install: --set on a field istioctl drops', () => {
  it('says the setting has no effect, as for the same field in a file', () => {
    const r = runCli(['install', 'manifest', 'generate', '--set', 'meshConfig.accessLogFil=/dev/stdout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Warning: --set: spec\.meshConfig\.accessLogFil: unknown field "accessLogFil" \(did you mean "accessLogFile"\?\): istioctl and istiod drop it, the setting has no effect$/m,
    );
  });
});

describe('install helm: unreadable scripts and values files', () => {
  it('a binary script, a folder, an empty script: one line naming the file, exit 2, no bytes echoed', () => {
    const bin = file('plan.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff, 0xfe, 0x0a]));
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const empty = file('empty.sh', '#!/bin/sh\n# nothing yet\nset -e\n');
    for (const [path, why] of [
      [bin, /plan\.bin: this file is binary, not a shell script$/m],
      [folder, /a-folder: is a folder, not a file$/m],
      [empty, /empty\.sh: no helm install or helm upgrade --install line: nothing to check$/m],
    ] as const) {
      const r = runCli(['install', 'helm', 'plan', path]);
      expect(r.code, path).toBe(2);
      expect(ownLines(r.stderr), path).toHaveLength(1);
      expect(r.stderr, path).toMatch(why);
      expect(r.stdout, path).toBe('');
    }
    const values = runCli(['install', 'helm', 'check', '--chart', 'istiod', folder]);
    expect(values.code).toBe(2);
    expect(values.stderr).toMatch(/a-folder: is a folder, not a file$/m);
    const binValues = runCli(['install', 'helm', 'check', '--chart', 'istiod', bin]);
    expect(binValues.code).toBe(2);
    expect(binValues.stderr).toMatch(/plan\.bin: this file is binary, not a values file$/m);
  });
});

describe('lab helm-install-order: an install.sh that is not text', () => {
  it('says the script is binary instead of echoing its bytes, and an empty one says which charts are missing', () => {
    const work = join(dir, 'helm-lab');
    const home = { ICA_TRAINER_HOME: join(dir, 'helm-lab-home') };
    expect(runCli(['lab', 'start', 'helm-install-order', '--dir', work], { env: home }).code).toBe(0);
    writeFileSync(join(work, 'install.sh'), Buffer.from([0x89, 0x1c, 0x08, 0, 0xff, 0x0a, 0x41]));
    const bin = runCli(['lab', 'check', 'helm-install-order', '--dir', work], { env: home });
    expect(bin.code).toBe(1);
    expect(bin.stdout).toMatch(/install\.sh is binary, not a shell script/);
    // none of the script's bytes (control characters, U+FFFD for the invalid ones) reach the terminal
    for (const ch of ['\u0000', '\u0008', '\u001c', '\ufffd']) expect(bin.stdout).not.toContain(ch);
    writeFileSync(join(work, 'install.sh'), '#!/bin/sh\n');
    const empty = runCli(['lab', 'check', 'helm-install-order', '--dir', work], { env: home });
    expect(empty.stdout).toMatch(
      /install\.sh installs no istio\/base, istio\/istiod, istio\/gateway: all three are needed, in that order/,
    );
  });
});

describe('install: a revision istioctl refuses', () => {
  it('is not a DNS-1123 label (1.26, canary_1): file:line and field, exit 1, as istioctl validateRevision', () => {
    const dotted = file(
      'rev.yaml',
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  revision: "1.26"\n',
    );
    const r = runCli(['install', 'manifest', 'generate', '-f', dotted]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Error: \S*rev\.yaml:4(:\d+)?: spec\.revision: .*DNS-1123 label.*1-26/m);
    const set = runCli(['install', 'manifest', 'generate', '--set', 'revision=canary_1']);
    expect(set.code).toBe(1);
    expect(set.stdout).toMatch(/^Error: --set: spec\.revision: .*DNS-1123 label/m);
    expect(runCli(['install', 'manifest', 'generate', '--set', 'revision=1-26-0']).code).toBe(0);
  });
});
