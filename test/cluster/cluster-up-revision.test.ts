// `cluster up --revision` and upgrades of a running mesh, against the recording fakes:
// a revision is installed with istioctl --set revision=REV and the Bookinfo namespace
// pointed at it; on a cluster that already runs Istio, an install that changes it (an
// in-place upgrade, or a second revision) runs only when confirmed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterUp, UpgradeDeclined } from '../../src/core/cluster/cluster-up.ts';
import { type FakeEnv, makeFakeEnv, PROVIDERS } from './fake-env.ts';

const READ_CONTROL_PLANES = [
  'kubectl --context kind-ica get deployments -n istio-system -o json --request-timeout=20s',
  'istioctl version --remote=false',
];

let fake: FakeEnv | undefined;
afterEach(() => {
  fake?.cleanup();
  fake = undefined;
});

/** A machine whose cluster "ica" runs Istio 1.25.3 (default revision) with Bookinfo. */
function meshAt125(): FakeEnv {
  const env = makeFakeEnv({ world: { istioctlVersion: '1.25.3' } });
  expect(env.run(['up']).code).toBe(0);
  env.updateWorld((w) => {
    w.istioctlVersion = '1.26.2';
  });
  env.clearLog();
  return env;
}

describe('cluster up --revision on a fresh machine', () => {
  it('installs the revision and labels the namespace istio.io/rev (no istio-injection), asking nothing', () => {
    fake = makeFakeEnv();
    const r = fake.run(['up', '--revision', '1-26']);
    expect(r.code).toBe(0);
    const commands = fake.commands();
    expect(commands).toContain(
      `istioctl install --set profile=demo --set revision=1-26 ${PROVIDERS} -y --context kind-ica`,
    );
    expect(commands).toContain(
      'kubectl --context kind-ica label namespace default istio-injection- istio.io/rev=1-26 --overwrite',
    );
    expect(commands).not.toContain(READ_CONTROL_PLANES[0]);
    const cluster = fake.world().clusters.ica!;
    expect(cluster.namespaces.default).toEqual({ 'istio.io/rev': '1-26' });
    expect(Object.keys(cluster.deployments)).toContain('istio-system/istiod-1-26');
    expect(r.stdout).toContain('Cluster "ica" is ready (created; Istio profile demo, revision 1-26).');
    const record = JSON.parse(readFileSync(join(fake.home, 'cluster.json'), 'utf8'));
    expect(record).toMatchObject({ istioProfile: 'demo', istioRevision: '1-26' });
  });

  it('rejects a revision name istioctl would refuse, before running anything', () => {
    fake = makeFakeEnv();
    const r = fake.run(['up', '--revision', '1.26']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '"1.26" is not a valid revision name: dots are not allowed (write 1-26 for 1.26)',
    );
    expect(fake.commands()).toEqual([]);
  });
});

describe('cluster up on a cluster that already runs Istio', () => {
  it('refuses an in-place upgrade without a terminal and without --yes: nothing installed', () => {
    fake = meshAt125();
    const r = fake.run(['up']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'The cluster runs Istio revision "default" at 1.25.3; installing Istio 1.26.2 upgrades it in place',
    );
    expect(r.stderr).toContain('run it again with --yes to confirm (no terminal to ask on)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fake.commands().some((c) => c.startsWith('istioctl install'))).toBe(false);
    expect(fake.commands().some((c) => c.includes(' apply '))).toBe(false);
    expect(fake.world().clusters.ica?.istio?.version).toBe('1.25.3');
  });

  it('upgrades in place with --yes', () => {
    fake = meshAt125();
    const r = fake.run(['up', '--yes']);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual(expect.arrayContaining([...READ_CONTROL_PLANES]));
    expect(fake.commands()).toContain(
      `istioctl install --set profile=demo ${PROVIDERS} -y --context kind-ica`,
    );
    expect(fake.world().clusters.ica?.deployments['istio-system/istiod']?.images).toEqual([
      'docker.io/istio/pilot:1.26.2',
    ]);
  });

  it('refuses a second revision (a canary) without --yes, and installs it with --yes', () => {
    fake = makeFakeEnv();
    expect(fake.run(['up']).code).toBe(0);
    fake.clearLog();
    const refused = fake.run(['up', '--revision', '1-26']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'The cluster runs Istio default (1.26.2); this installs revision "1-26" (Istio 1.26.2) beside it, a second control plane (a canary upgrade).',
    );
    expect(fake.commands()).toEqual([
      'docker info --format {{.ServerVersion}}',
      'kind get clusters',
      'kind export kubeconfig --name ica',
      ...READ_CONTROL_PLANES,
    ]);
    const ok = fake.run(['up', '--revision', '1-26', '-y']);
    expect(ok.code).toBe(0);
    expect(Object.keys(fake.world().clusters.ica?.deployments ?? {})).toEqual(
      expect.arrayContaining(['istio-system/istiod', 'istio-system/istiod-1-26']),
    );
  });

  it('re-installs the same revision at the same version without asking', () => {
    fake = makeFakeEnv();
    expect(fake.run(['up', '--revision', '1-26']).code).toBe(0);
    fake.clearLog();
    const r = fake.run(['up', '--revision', '1-26']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to upgrade');
  });

  it('asks on a terminal: no leaves everything as it was, yes upgrades', async () => {
    fake = meshAt125();
    const questions: string[] = [];
    const options = { name: 'ica', istioProfile: 'demo', timeoutMs: 60_000 };
    const deps = { env: fake.env, home: fake.home };
    await expect(
      clusterUp(
        {
          ...options,
          confirm: async (q) => {
            questions.push(q);
            return false;
          },
        },
        deps,
      ),
    ).rejects.toBeInstanceOf(UpgradeDeclined);
    expect(questions).toEqual([
      'The cluster runs Istio revision "default" at 1.25.3; installing Istio 1.26.2 upgrades it in place (running pods keep their old proxies until they are restarted). Upgrade it?',
    ]);
    expect(fake.commands().some((c) => c.startsWith('istioctl install'))).toBe(false);
    expect(fake.world().clusters.ica?.istio?.version).toBe('1.25.3');

    const r = await clusterUp({ ...options, confirm: async () => true }, deps);
    expect(r.created).toBe(false);
    expect(fake.world().clusters.ica?.istio?.version).toBe('1.26.2');
  });
});
