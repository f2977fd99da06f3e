// `cluster up` against recording fakes of docker, kind, kubectl and istioctl.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extAuthzManifests } from '../../src/core/cluster/ext-authz-sample.ts';
import { labManifests, legacyClientManifests, manifestsYaml } from '../../src/core/cluster/manifests.ts';
import { type FakeEnv, makeFakeEnv, PROVIDER_SETS, PROVIDERS } from './fake-env.ts';

/** As an error shows the command: the values with brackets shell-quoted. */
const QUOTED_PROVIDERS = PROVIDER_SETS.map((s) => `--set '${s}'`).join(' ');

const FRESH_SEQUENCE = [
  'docker info --format {{.ServerVersion}}',
  'kind get clusters',
  'kind create cluster --name ica --wait 600s',
  `istioctl install --set profile=demo ${PROVIDERS} -y --context kind-ica`,
  'kubectl --context kind-ica label namespace default istio-injection=enabled --overwrite',
  'kubectl --context kind-ica apply -f -',
  'kubectl --context kind-ica apply -f -',
  'kubectl --context kind-ica apply -f -',
  'kubectl --context kind-ica wait --for=condition=available deployment --all -n istio-system --timeout=600s',
  'kubectl --context kind-ica wait --for=condition=available deployment --all -n default --timeout=600s',
  'kubectl --context kind-ica wait --for=condition=available deployment --all -n legacy --timeout=600s',
  'kubectl --context kind-ica wait --for=condition=available deployment --all -n foo --timeout=600s',
];

/** What `cluster up` reads on an existing cluster before installing Istio again. */
const READ_CONTROL_PLANES = [
  'kubectl --context kind-ica get deployments -n istio-system -o json --request-timeout=20s',
  'istioctl version --remote=false',
];

let fake: FakeEnv | undefined;
afterEach(() => {
  fake?.cleanup();
  fake = undefined;
});

describe('cluster up on a fresh machine', () => {
  it('runs the exact command sequence, applies the generated manifests and records the context', () => {
    fake = makeFakeEnv();
    const r = fake.run(['up']);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual(FRESH_SEQUENCE);

    const [apply, legacy, extAuthz] = fake.calls().filter((c) => c.args.includes('apply'));
    expect(apply?.stdin).toBe(manifestsYaml(labManifests('default')));
    expect(legacy?.stdin).toBe(manifestsYaml(legacyClientManifests()));
    expect(extAuthz?.stdin).toBe(manifestsYaml(extAuthzManifests()));

    const record = JSON.parse(readFileSync(join(fake.home, 'cluster.json'), 'utf8'));
    expect(record).toMatchObject({ version: 1, name: 'ica', context: 'kind-ica', istioProfile: 'demo' });

    expect(r.stdout).toContain('✓ Creating kind cluster "ica"');
    expect(r.stdout).toContain('✓ Installing Istio (profile demo');
    expect(r.stdout).toContain('Cluster "ica" is ready (created; Istio profile demo).');
    expect(r.stdout).toContain('Context: kind-ica');
    // a real cluster now exists in the fake world, with Bookinfo deployed and injected
    const cluster = fake.world().clusters.ica!;
    expect(cluster.namespaces.default).toEqual({ 'istio-injection': 'enabled' });
    expect(Object.keys(cluster.deployments)).toContain('default/reviews-v3');
    expect(
      Object.values(cluster.deployments).filter((d) => d.sidecar && d.labels.app !== 'ext-authz'),
    ).toHaveLength(7);
    // the plaintext client the security labs call from: its own namespace, never injected
    expect(cluster.namespaces.legacy).toEqual({ 'istio-injection': 'disabled' });
    expect(cluster.deployments['legacy/curl']?.sidecar).toBe(false);
    expect(r.stdout).toContain(
      '✓ Applying the plaintext client legacy/curl (no sidecar) to namespace legacy',
    );
    // Istio's sample external authorizer (fix-custom-provider's), injected, in foo, and the
    // mesh config naming it as istio.io's authz-custom task does
    expect(cluster.namespaces.foo).toEqual({ 'istio-injection': 'enabled' });
    expect(cluster.deployments['foo/ext-authz']).toMatchObject({
      sidecar: true,
      images: ['docker.io/istio/ext-authz:0.5'],
    });
    expect(cluster.istio?.meshConfig).toEqual(PROVIDER_SETS);
    expect(r.stdout).toContain(
      "✓ Applying Istio's sample external authorizer foo/ext-authz to namespace foo",
    );
  });

  it('passes --name, --istio-profile, --timeout and --kind-image through', () => {
    fake = makeFakeEnv();
    const r = fake.run([
      'up',
      '--name',
      'lab2',
      '--istio-profile',
      'default',
      '--timeout',
      '90s',
      '--kind-image',
      'kindest/node:v1.33.1',
    ]);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual([
      'docker info --format {{.ServerVersion}}',
      'kind get clusters',
      'kind create cluster --name lab2 --wait 90s --image kindest/node:v1.33.1',
      `istioctl install --set profile=default ${PROVIDERS} -y --context kind-lab2`,
      'kubectl --context kind-lab2 label namespace default istio-injection=enabled --overwrite',
      'kubectl --context kind-lab2 apply -f -',
      'kubectl --context kind-lab2 apply -f -',
      'kubectl --context kind-lab2 apply -f -',
      'kubectl --context kind-lab2 wait --for=condition=available deployment --all -n istio-system --timeout=90s',
      'kubectl --context kind-lab2 wait --for=condition=available deployment --all -n default --timeout=90s',
      'kubectl --context kind-lab2 wait --for=condition=available deployment --all -n legacy --timeout=90s',
      'kubectl --context kind-lab2 wait --for=condition=available deployment --all -n foo --timeout=90s',
    ]);
  });
});

describe('cluster up run again', () => {
  it('reuses the cluster (no create), exports its context again and re-applies safely', () => {
    fake = makeFakeEnv();
    expect(fake.run(['up']).code).toBe(0);
    fake.clearLog();
    // the learner lost the context from their kubeconfig in between
    fake.updateWorld((w) => {
      w.contexts = [];
    });

    const r = fake.run(['up']);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual([
      'docker info --format {{.ServerVersion}}',
      'kind get clusters',
      'kind export kubeconfig --name ica',
      // the same istioctl version as the running istiod: nothing to ask
      ...READ_CONTROL_PLANES,
      ...FRESH_SEQUENCE.slice(3),
    ]);
    expect(fake.commands().some((c) => c.startsWith('kind create'))).toBe(false);
    expect(r.stdout).toContain('– Creating kind cluster "ica": it already exists');
    expect(r.stdout).toContain('Cluster "ica" is ready (reused; Istio profile demo).');
    expect(Object.keys(fake.world().clusters)).toEqual(['ica']);
  });
});

describe('cluster up when something is missing', () => {
  it('lists every missing tool with where to get it, exits 2 and runs nothing', () => {
    fake = makeFakeEnv({ tools: ['docker', 'kubectl'] });
    const r = fake.run(['up']);
    expect(r.code).toBe(2);
    expect(fake.commands()).toEqual([]);
    expect(r.stderr).toContain('`cluster up` needs kind and istioctl, which are not installed');
    expect(r.stderr).toContain('https://kind.sigs.k8s.io/docs/user/quick-start/#installation');
    expect(r.stderr).toContain('istioctl: installs Istio');
    expect(r.stderr).toContain('1.26.x');
    expect(r.stderr).not.toContain('docker:');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(fake.home, 'cluster.json'))).toBe(false);
  });

  it("says so when docker's engine does not answer, after asking docker only", () => {
    fake = makeFakeEnv({ world: { docker: { running: false, version: '' } } });
    const r = fake.run(['up']);
    expect(r.code).toBe(2);
    expect(fake.commands()).toEqual(['docker info --format {{.ServerVersion}}']);
    expect(r.stderr).toContain('docker is installed but its engine does not answer');
    expect(r.stderr).toContain('Cannot connect to the Docker daemon');
    expect(r.stderr).toContain('Start Docker Desktop');
  });

  it('rejects an invalid cluster name before running anything', () => {
    fake = makeFakeEnv();
    const r = fake.run(['up', '--name', 'My Cluster']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a valid kind cluster name');
    expect(fake.commands()).toEqual([]);
  });

  it('rejects a timeout that is not a duration', () => {
    fake = makeFakeEnv();
    const r = fake.run(['up', '--timeout', 'ten minutes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a positive duration');
    expect(fake.commands()).toEqual([]);
  });
});

describe('cluster up when a step fails', () => {
  it('reports the failing command with its output and exits 1, running nothing after it', () => {
    fake = makeFakeEnv({
      world: {
        rules: [
          {
            tool: 'istioctl',
            match: 'install',
            exitCode: 1,
            stdout: '✔ Istio core installed ⛵️\n',
            stderr: 'Error: failed to install manifests: context deadline exceeded\n',
          },
        ],
      },
    });
    const r = fake.run(['up']);
    expect(r.code).toBe(1);
    expect(fake.commands()).toEqual(FRESH_SEQUENCE.slice(0, 4));
    expect(r.stdout).toContain('✗ Installing Istio (profile demo');
    expect(r.stderr).toContain('exited with code 1');
    expect(r.stderr).toContain(
      `$ istioctl install --set profile=demo ${QUOTED_PROVIDERS} -y --context kind-ica`,
    );
    expect(r.stderr).toContain('Error: failed to install manifests: context deadline exceeded');
    expect(r.stderr).toContain('✔ Istio core installed');
    expect(r.stderr).toContain('run `ica-trainer cluster up` again');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(fake.home, 'cluster.json'))).toBe(false);
  });

  it('reports a deployment that never becomes available, with kubectl wait output', () => {
    fake = makeFakeEnv({ world: { neverReady: ['reviews-v3'] } });
    const r = fake.run(['up']);
    expect(r.code).toBe(1);
    // nothing after the failing wait runs
    expect(fake.commands()).toEqual(FRESH_SEQUENCE.slice(0, -2));
    expect(r.stderr).toContain(
      '$ kubectl --context kind-ica wait --for=condition=available deployment --all -n default --timeout=600s',
    );
    expect(r.stderr).toContain('error: timed out waiting for the condition on deployments/reviews-v3');
    expect(r.stderr).toContain('deployment.apps/productpage-v1 condition met');
    expect(r.stderr).toContain('See what is not ready: `kubectl --context kind-ica get pods -n default`');
  });

  it('stops a command that outlives its timeout and says so', () => {
    fake = makeFakeEnv({ world: { rules: [{ tool: 'istioctl', match: 'install', sleepMs: 20_000 }] } });
    const started = Date.now();
    const r = fake.run(['up', '--timeout', '1s']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did not finish within 1s and was stopped');
    expect(r.stderr).toContain(
      `$ istioctl install --set profile=demo ${QUOTED_PROVIDERS} -y --context kind-ica`,
    );
    expect(r.stderr).toContain('run again with a larger --timeout (it was 1s)');
  });

  it('fails cleanly when kind cannot create the cluster', () => {
    fake = makeFakeEnv({
      world: {
        rules: [
          {
            tool: 'kind',
            match: 'create cluster',
            exitCode: 1,
            stderr:
              'ERROR: failed to create cluster: could not find a log line that matches "Reached target .*Multi-User System.*"\n',
          },
        ],
      },
    });
    const r = fake.run(['up']);
    expect(r.code).toBe(1);
    expect(fake.commands()).toEqual(FRESH_SEQUENCE.slice(0, 3));
    expect(r.stderr).toContain('$ kind create cluster --name ica --wait 600s');
    expect(r.stderr).toContain('Multi-User System');
  });
});

describe('cluster --help', () => {
  it('documents every subcommand', () => {
    fake = makeFakeEnv();
    for (const sub of ['up', 'status', 'down']) {
      const r = fake.run([sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.stdout, sub).toContain(`cluster ${sub}`);
      expect(r.stdout, sub).toContain('Exit codes');
    }
    expect(fake.run(['up', '--help']).stdout).toContain('--istio-profile');
    expect(fake.commands()).toEqual([]);
  });
});
