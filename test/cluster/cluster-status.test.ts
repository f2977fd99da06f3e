// `cluster status` against recording fakes: what is there, and exit 0 only when healthy.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../src/core/cluster/kind-status.ts';
import { afterClusterUp, type FakeEnv, makeFakeEnv } from './fake-env.ts';

let fake: FakeEnv | undefined;
afterEach(() => {
  fake?.cleanup();
  fake = undefined;
});

const STATUS_READS = [
  'docker info --format {{.ServerVersion}}',
  'kind get clusters',
  'kubectl --context kind-ica get deployments -n istio-system -o json --request-timeout=20s',
  'kubectl --context kind-ica get namespace default -o json --request-timeout=20s',
  'kubectl --context kind-ica get deployments -n default -o json --request-timeout=20s',
  'kubectl --context kind-ica get pods -n default -o json --request-timeout=20s',
  'kubectl --context kind-ica get deployments -n legacy -o json --request-timeout=20s',
  'kubectl --context kind-ica get pods -n legacy -o json --request-timeout=20s',
];

// One `cluster up` for the file; each test starts from a copy of the machine it left.
const upThenClear = afterClusterUp();

describe('cluster status', () => {
  it('is healthy after cluster up: exit 0, every deployment ready with a sidecar', () => {
    fake = upThenClear();
    const r = fake.run(['status']);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual(STATUS_READS);
    expect(r.stdout).toContain('✓ kind cluster ica exists');
    expect(r.stdout).toContain('✓ Istio 1.26.2 installed: istiod 1/1');
    expect(r.stdout).toContain('✓ sidecar injection enabled in namespace default');
    expect(r.stdout).toMatch(/✓ reviews-v2\s+1\/1 ready, sidecar/);
    expect(r.stdout).toMatch(/✓ fortio-deploy\s+1\/1 ready, sidecar/);
    expect(r.stdout).toContain('✓ plaintext client legacy/curl  1/1 ready, no sidecar (plaintext)');
    expect(r.stdout).toContain('recorded context: kind-ica (profile demo');
    expect(r.stdout.trimEnd().endsWith('Healthy.')).toBe(true);
  });

  it('gives the same facts as JSON with -o json', () => {
    fake = upThenClear();
    const r = fake.run(['status', '-o', 'json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as ClusterStatus;
    expect(s).toMatchObject({
      name: 'ica',
      context: 'kind-ica',
      healthy: true,
      missingTools: [],
      docker: { ok: true, version: '28.2.2' },
      cluster: { exists: true },
      istio: { installed: true, version: '1.26.2' },
      injection: { namespace: 'default', enabled: true },
      recorded: { name: 'ica', context: 'kind-ica', istioProfile: 'demo' },
      problems: [],
    });
    expect(s.workloads?.deployments.map((d) => d.name)).toEqual([
      'productpage-v1',
      'details-v1',
      'ratings-v1',
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
      'fortio-deploy',
    ]);
    expect(s.workloads?.deployments.every((d) => d.present && d.ready === 1 && d.sidecar === true)).toBe(
      true,
    );
  });

  it('is unhealthy (exit 1) when a deployment is not ready, and says which', () => {
    fake = makeFakeEnv({ world: { neverReady: ['reviews-v2'] } });
    expect(fake.run(['up']).code).toBe(1);
    fake.clearLog();
    const r = fake.run(['status', '-o', 'json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as ClusterStatus;
    expect(s.healthy).toBe(false);
    expect(s.problems).toEqual(['reviews-v2: 0 of 1 replicas ready']);
    const text = fake.run(['status']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ reviews-v2\s+0\/1 ready/);
    expect(text.stdout).toContain('Not healthy:\n  - reviews-v2: 0 of 1 replicas ready');
  });

  it('reports a missing deployment and pods without sidecars, with what to do', () => {
    fake = upThenClear();
    fake.updateWorld((w) => {
      const c = w.clusters.ica!;
      delete c.deployments['default/ratings-v1'];
      c.deployments['default/details-v1']!.sidecar = false;
    });
    const r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ ratings-v1\s+not deployed/);
    expect(r.stdout).toMatch(/✗ details-v1\s+1\/1 ready, NO sidecar/);
    expect(r.stdout).toContain(
      'ratings-v1 is not deployed in default: run `ica-trainer cluster up --name ica`',
    );
    expect(r.stdout).toContain('rollout restart deployment/details-v1 -n default');
  });

  it('reports the plaintext client missing, or injected (then it is not plaintext)', () => {
    fake = upThenClear();
    fake.updateWorld((w) => {
      delete w.clusters.ica!.deployments['legacy/curl'];
    });
    let r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ plaintext client legacy/curl  not deployed');
    expect(r.stdout).toContain(
      'the plaintext client legacy/curl (the security labs call from it) is not deployed: run `ica-trainer cluster up --name ica`',
    );
    fake.cleanup();
    fake = upThenClear();
    fake.updateWorld((w) => {
      w.clusters.ica!.deployments['legacy/curl']!.sidecar = true;
    });
    r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ plaintext client legacy/curl  1/1 ready, WITH a sidecar');
    expect(r.stdout).toContain(
      'legacy/curl runs with an istio-proxy sidecar, so its requests are not plaintext: namespace legacy must not be labelled for injection',
    );
  });

  it('says there is no cluster (exit 1) and reads nothing from kubectl', () => {
    fake = makeFakeEnv();
    const r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(fake.commands()).toEqual(STATUS_READS.slice(0, 2));
    expect(r.stdout).toContain('✗ kind cluster ica not found');
    expect(r.stdout).toContain(
      'there is no kind cluster named "ica": run `ica-trainer cluster up --name ica`',
    );
    expect(r.stdout).toContain('no context recorded');
  });

  it('notices a kubeconfig that lost the context and tells how to get it back', () => {
    fake = upThenClear();
    fake.updateWorld((w) => {
      w.contexts = [];
    });
    const r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'your kubeconfig has no context kind-ica: run `kind export kubeconfig --name ica`',
    );
  });

  it('reports a stopped docker engine', () => {
    fake = makeFakeEnv({ world: { docker: { running: false, version: '' } } });
    const r = fake.run(['status', '-o', 'json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as ClusterStatus;
    expect(s.docker).toEqual({ ok: false });
    expect(s.cluster).toBeNull();
    expect(s.problems[0]).toContain('docker is installed but its engine does not answer');
  });

  it('reports missing tools without running anything', () => {
    fake = makeFakeEnv({ tools: ['docker'] });
    const r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(fake.commands()).toEqual([]);
    expect(r.stdout).toContain('missing tools: kind, kubectl, istioctl');
    expect(r.stdout).toContain('kind is not installed: get v0.27 to v0.29');
    expect(r.stdout).not.toContain('istioctl is not installed'); // reading the cluster does not need it
  });

  it('names the same missing tools as cluster up', () => {
    fake = makeFakeEnv({ tools: ['docker', 'kubectl'] });
    const status = JSON.parse(fake.run(['status', '-o', 'json']).stdout) as ClusterStatus;
    const up = fake.run(['up']);
    expect(status.missingTools).toEqual(['kind', 'istioctl']);
    expect(up.stderr).toContain('`cluster up` needs kind and istioctl, which are not installed');
  });

  it('reports Istio missing from the cluster', () => {
    fake = upThenClear();
    fake.updateWorld((w) => {
      const c = w.clusters.ica!;
      for (const k of Object.keys(c.deployments)) if (k.startsWith('istio-system/')) delete c.deployments[k];
    });
    const r = fake.run(['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ Istio not installed');
    expect(r.stdout).toContain('Istio is not installed (no istiod in istio-system)');
  });
});
