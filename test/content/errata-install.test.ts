// Installation-domain errata checked against istioctl 1.26's source (operator/cmd/mesh):
// the facts stay corrected. Questions are found by what they ask, not by id.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bank, find, text } from '../helpers/quiz-bank.ts';

describe('installation question errata', () => {
  it('istioctl install has --dry-run (it logs, it prints no manifests): the distractor is not "no such flag"', () => {
    const [q] = find(/--dry-run-only/);
    expect(text(q)).toContain('`istioctl install --dry-run`');
    expect(text(q)).not.toMatch(/There is no such flag; install applies the configuration/);
  });

  it('istioctl upgrade is an alias of istioctl install (same flags, --revision too), not refused for revisions', () => {
    for (const q of bank.questions) {
      expect(text(q)).not.toMatch(/does not work with revision-based installs/);
      expect(text(q)).not.toMatch(/cannot use `istioctl upgrade` at all/);
    }
    expect(find(/alias of `istioctl install`/).length).toBeGreaterThan(0);
  });

  it('a re-install without the profile prunes the egress gateway because istioctl prunes its own earlier install', () => {
    const [q] = find(/where logs.yaml only sets meshConfig.accessLogFile/);
    expect(text(q)).toMatch(/owning-resource|metadata\.name/);
  });

  it('an unimported host under ALLOW_ANY goes to the PassthroughCluster, not "as plain TCP" (the 9080 HTTP listener carries it)', () => {
    for (const q of find(/\.\/details\.default\.svc\.cluster\.local/)) {
      expect(text(q)).not.toMatch(/plain TCP/);
      expect(text(q)).toContain('PassthroughCluster');
    }
  });
});

describe('installation lab errata', () => {
  const dir = new URL('../../exercises/09-installation/injection-puzzle/', import.meta.url);
  const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

  it('injection-puzzle does not say istioctl install --revision leaves no default revision (istioctl makes the first install the default)', () => {
    for (const f of [
      'README.md',
      'exercise.yaml',
      'starter/control-plane.yaml',
      'solution/control-plane.yaml',
    ]) {
      const text = read(f);
      expect(text, f).not.toMatch(/What istioctl install --revision 1-26 created/);
      expect(text, f).not.toMatch(/\(`?istioctl install --revision 1-26`?\)(, so there is no|\. Label)/);
    }
    expect(read('README.md')).toMatch(/Made this installation the default for injection and validation/);
  });
});
