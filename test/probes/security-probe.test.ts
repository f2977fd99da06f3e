// `lab check --live --probe` on security checks: 403 and 401 are counted from the
// fortio sidecar's istio_requests_total like any status; the plaintext legacy client's
// requests are sent by curl in its own pod (kubectl exec), and simulated, saying why, when
// that exec is refused or the client is missing; a caller an AuthorizationPolicy tells
// apart by its identity is simulated on the cluster's configuration.
import { describe, expect, it } from 'vitest';
import { ProbeSimulator } from '../../src/cli/lab-probe.ts';
import { securityUnprobeable } from '../../src/cli/probe-callers.ts';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { execaRunner } from '../../src/core/cluster/exec.ts';
import { loadPaths } from '../../src/core/config/load.ts';
import type { Snapshot } from '../../src/core/config/snapshot.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import type { SimulateOptions } from '../../src/core/sim/index.ts';
import { SAMPLE_TOKENS } from '../../src/core/sim/security/samples.ts';
import { makeFakeEnv } from '../cluster/fake-env.ts';
import { snapshotOf } from '../sim/helpers.ts';
import { emulatedCluster } from './emulated-cluster.ts';

const SEC = 'apiVersion: security.istio.io/v1';

const BY_PRINCIPAL = `${SEC}
kind: AuthorizationPolicy
metadata: {name: ratings-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]}}]
`;

const NOTHING_ON_REVIEWS = `${SEC}
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
`;

const JWT_ON_DETAILS = `${SEC}
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: details}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
---
${SEC}
kind: AuthorizationPolicy
metadata: {name: require-jwt, namespace: default}
spec:
  selector: {matchLabels: {app: details}}
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
`;

const labDir = (id: string): string => {
  const lab = loadExercises().exercises.find((e) => e.id === id);
  if (!lab) throw new Error(`lab ${id} is needed`);
  return lab.solutionDir;
};

const TCP_ECHO = `apiVersion: v1
kind: Service
metadata: {name: tcp-echo, namespace: default}
spec:
  selector: {app: tcp-echo}
  ports: [{name: tcp-echo, port: 9000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tcp-echo, namespace: default}
spec:
  selector: {matchLabels: {app: tcp-echo}}
  template:
    metadata: {labels: {app: tcp-echo}}
    spec: {containers: [{name: tcp-echo, image: docker.io/istio/tcp-echo-server:1.3}]}
`;

/**
 * Probes one request through the emulated cluster (or a scripted stdout for curl's
 * loop in a plaintext pod): the first pass notes it, the second answers.
 */
async function probed(snapshot: Snapshot, o: SimulateOptions, plaintextStdout?: () => string) {
  const calls: string[][] = [];
  const cluster = emulatedCluster(snapshot);
  const sim = new ProbeSimulator({
    namespace: 'default',
    run: async (spec) => {
      calls.push([...spec.args]);
      if (plaintextStdout && spec.args.includes('sh'))
        return {
          file: 'kubectl',
          command: 'kubectl',
          exitCode: 0,
          stdout: plaintextStdout(),
          stderr: '',
          timedOut: false,
          notFound: false,
        };
      return cluster.run(spec);
    },
  });
  sim.simulate(snapshot, o);
  await sim.fetch();
  return { result: sim.simulate(snapshot, o), calls };
}

describe('live probes of security checks', () => {
  it('counts 403 RBAC from the sidecar, as any status', async () => {
    const { result, calls } = await probed(snapshotOf(NOTHING_ON_REVIEWS), {
      to: 'reviews',
      path: '/reviews/0',
      requests: 50,
    });
    expect(calls.some((a) => a.includes('pilot-agent'))).toBe(true);
    expect(result.summary.statuses).toEqual([{ status: 403, flags: '-', count: 50, percent: 100 }]);
    expect(result.summary.notes?.join(' ')).toMatch(/counted by the fortio client's sidecar/);
    expect(result.summary.notes?.join(' ')).not.toMatch(/simulated on the cluster's configuration/);
  });

  it('sends the JWT from fortio: 401 for a forged token, 403 without one, 200 with a valid one', async () => {
    const snapshot = snapshotOf(JWT_ON_DETAILS);
    const statusWith = async (token?: string) => {
      const { result } = await probed(snapshot, {
        to: 'details',
        path: '/details/0',
        requests: 20,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
      return result.summary.statuses.map((s) => s.status);
    };
    expect(await statusWith(SAMPLE_TOKENS.forged?.token)).toEqual([401]);
    expect(await statusWith()).toEqual([403]);
    expect(await statusWith(SAMPLE_TOKENS.demo?.token)).toEqual([200]);
  });

  it('measures the plaintext legacy client with curl in its own pod, not as fortio', async () => {
    const snapshot = snapshotOf(NOTHING_ON_REVIEWS);
    const { result, calls } = await probed(snapshot, {
      to: 'reviews.default',
      path: '/reviews/0',
      from: 'legacy/curl',
      requests: 10,
    });
    // one exec into legacy/curl, curl run 10 times there; fortio is not used
    expect(calls).toHaveLength(1);
    expect(calls[0]?.slice(0, 6)).toEqual(['-n', 'legacy', 'exec', 'deploy/curl', '--', 'sh']);
    expect(calls[0]?.slice(-2)).toEqual(['10', 'http://reviews.default:9080/reviews/0']);
    expect(result.summary.statuses).toEqual([{ status: 403, flags: '-', count: 10, percent: 100 }]);
    expect(result.summary.notes).toEqual([
      'measured: 10 requests sent by curl in legacy/curl (kubectl exec), counted by curl',
    ]);
  });

  it('counts resets by curl exit code: 56 is no HTTP answer, as STRICT gives a plaintext client', async () => {
    const snapshot = snapshotOf(NOTHING_ON_REVIEWS);
    const { result } = await probed(
      snapshot,
      { to: 'details.default', path: '/details/0', from: 'legacy/curl', requests: 4 },
      () => '000 56\n200 0\n000 56\n000 52\n',
    );
    expect(result.summary.statuses).toEqual([
      { status: 0, flags: '-', count: 3, percent: 75 },
      { status: 200, flags: '-', count: 1, percent: 25 },
    ]);
    expect(result.summary.notes?.[0]).toContain(
      'no HTTP answer: 2 curl exit 56 (the connection was reset), 1 curl exit 52 (the server closed the connection without a reply)',
    );
  });

  it('simulates, and says why, when exec into the client is refused or the client is missing; asks once', async () => {
    const snapshot = snapshotOf(NOTHING_ON_REVIEWS);
    const cases = [
      {
        stderr:
          'Error from server (Forbidden): pods "curl-6d9f7c-x2x" is forbidden: User "learner-7" cannot create resource "pods/exec" in API group "" in the namespace "legacy"\n',
        note: "simulated on the cluster's configuration: kubectl exec into legacy/curl was refused (RBAC: this user may not create pods/exec in legacy), so its plaintext requests could not be sent",
      },
      {
        stderr: 'Error from server (NotFound): deployments.apps "curl" not found\n',
        note: "simulated on the cluster's configuration: legacy/curl is not deployed (no Deployment curl in legacy), so its plaintext requests could not be sent",
      },
      {
        stdout: '000 127\n'.repeat(10),
        stderr: 'sh: curl: not found\n'.repeat(10),
        note: "simulated on the cluster's configuration: legacy/curl's image has no curl (exit 127), so its plaintext requests could not be sent",
      },
    ];
    for (const c of cases) {
      const calls: string[][] = [];
      const sim = new ProbeSimulator({
        namespace: 'default',
        run: async (spec) => {
          calls.push([...spec.args]);
          return {
            file: 'kubectl',
            command: 'kubectl ...',
            exitCode: c.stdout ? 0 : 1,
            stdout: c.stdout ?? '',
            stderr: c.stderr,
            timedOut: false,
            notFound: false,
          };
        },
      });
      const a = { to: 'reviews.default', path: '/reviews/0', from: 'legacy/curl', requests: 10 };
      const b = { ...a, path: '/reviews/1' };
      sim.simulate(snapshot, a);
      sim.simulate(snapshot, b);
      await sim.fetch();
      expect(calls).toHaveLength(1);
      for (const o of [a, b]) {
        const r = sim.simulate(snapshot, o);
        expect(r.summary.statuses.map((s) => s.status)).toEqual([403]);
        expect(r.summary.notes).toEqual([c.note]);
      }
      expect(sim.pending()).toBe(0);
    }
  });

  it('simulates the plaintext client on a TCP port: an HTTP status cannot tell an accepted connection', async () => {
    const snapshot = snapshotOf(TCP_ECHO);
    const { result, calls } = await probed(snapshot, {
      to: 'tcp-echo.default:9000',
      from: 'legacy/curl',
      requests: 5,
    });
    expect(calls).toEqual([]);
    expect(result.summary.notes).toEqual([
      "simulated on the cluster's configuration: tcp-echo.default:9000 is a TCP port: curl from legacy/curl could not tell an accepted connection from a refused one by an HTTP status",
    ]);
  });

  it('sends through the real kubectl on PATH (the recording fake), with the scripted answers', async () => {
    const fake = makeFakeEnv({
      tools: ['kubectl'],
      world: { rules: [{ tool: 'kubectl', match: 'exec deploy/curl', stdout: '000 56\n'.repeat(3) }] },
    });
    try {
      const snapshot = snapshotOf(NOTHING_ON_REVIEWS);
      const sim = new ProbeSimulator({
        namespace: 'default',
        context: 'kind-ica',
        run: execaRunner({ env: fake.env }),
      });
      const o = { to: 'ratings.default', path: '/ratings/0', from: 'legacy/curl', requests: 3 };
      sim.simulate(snapshot, o);
      await sim.fetch();
      const r = sim.simulate(snapshot, o);
      expect(r.summary.statuses).toEqual([{ status: 0, flags: '-', count: 3, percent: 100 }]);
      const [call] = fake.calls();
      expect(call?.args.slice(0, 9)).toEqual([
        '--context',
        'kind-ica',
        '-n',
        'legacy',
        'exec',
        'deploy/curl',
        '--',
        'sh',
        '-c',
      ]);
      expect(call?.args.slice(-2)).toEqual(['3', 'http://ratings.default:9080/ratings/0']);
    } finally {
      fake.cleanup();
    }
  });

  it('measures a client outside the mesh at the ingress gateway with curl from legacy/curl, Host header and token', async () => {
    const { snapshot } = analyzeLoaded(await loadPaths([labDir('fix-jwt-without-requestauthn')]), {
      bookinfo: true,
    });
    const api = { from: 'ingress', to: 'bookinfo.example.com', path: '/api/v1/products/0', requests: 5 };
    const forged = {
      ...api,
      statusOnly: true,
      headers: { authorization: `Bearer ${SAMPLE_TOKENS.forged?.token}` },
    };
    const { result, calls } = await probed(snapshot, forged);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.slice(0, 4)).toEqual(['-n', 'legacy', 'exec', 'deploy/curl']);
    expect(calls[0]).toContain('host: bookinfo.example.com');
    expect(calls[0]?.at(-1)).toBe('http://istio-ingressgateway.istio-system/api/v1/products/0');
    expect(result.summary.statuses).toEqual([{ status: 401, flags: '-', count: 5, percent: 100 }]);
    expect(result.summary.notes?.[0]).toMatch(
      /^measured: 5 requests sent by curl in legacy\/curl \(kubectl exec\) to istio-ingressgateway\.istio-system with Host bookinfo\.example\.com/,
    );
    // a client address the check plays cannot be sent from the pod; a check reading more than statuses neither
    const fromOffice = await probed(snapshot, { ...api, statusOnly: true, clientIp: '203.0.113.10' });
    expect(fromOffice.calls).toEqual([]);
    expect(fromOffice.result.summary.notes).toEqual([
      "simulated on the cluster's configuration: the check plays a client at 203.0.113.10; legacy/curl has its pod's own address",
    ]);
    const pages = await probed(snapshot, api);
    expect(pages.calls).toEqual([]);
    expect(pages.result.summary.notes?.[0]).toMatch(
      /^simulated on the cluster's configuration: live probes send from the fortio client, not from ingress/,
    );
  });

  it('does not stand fortio in for a caller a policy tells apart by identity', () => {
    const snapshot = snapshotOf(BY_PRINCIPAL);
    expect(securityUnprobeable(snapshot, { to: 'ratings', from: 'reviews-v2' }, 'default')).toBe(
      'AuthorizationPolicy default/ratings-viewer tells callers of ratings apart by principals, and live probes send as fortio-deploy (service account fortio), not as reviews-v2',
    );
    // other services, and policies on paths or JWTs only, are measured from fortio
    expect(
      securityUnprobeable(snapshot, { to: 'reviews', from: 'productpage-v1' }, 'default'),
    ).toBeUndefined();
    expect(securityUnprobeable(snapshotOf(JWT_ON_DETAILS), { to: 'details' }, 'default')).toBeUndefined();
  });

  it('does not stand fortio (a sidecar client) in for any caller of an ambient Service: it would skip the waypoint', () => {
    const ambient = snapshotOf(`apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {istio.io/dataplane-mode: ambient}}
`);
    expect(securityUnprobeable(ambient, { to: 'reviews' }, 'default')).toBe(
      'the pods of reviews are in ambient: the fortio client has a sidecar, which routes by itself and sends to them directly, not through a waypoint, so it cannot stand in for an ambient caller',
    );
    expect(securityUnprobeable(snapshotOf(JWT_ON_DETAILS), { to: 'reviews' }, 'default')).toBeUndefined();
  });
});
