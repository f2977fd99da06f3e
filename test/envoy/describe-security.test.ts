// `describe pod`'s security sections as istioctl 1.26 prints them (the effective
// PeerAuthentication, the policies applied, RBAC policy names), and `describe pod
// --live` beside a recording fake istioctl.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeEnv, makeFakeEnv } from '../cluster/fake-env.ts';
import { runCli as cli } from '../helpers/cli.ts';

const POLICIES = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: default}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ratings-metrics, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  mtls: {mode: UNSET}
  portLevelMtls:
    9090: {mode: PERMISSIVE}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ratings-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]}}]
  - to: [{operation: {methods: ["GET"]}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
    connectionPool: {http: {http1MaxPendingRequests: 10}}
`;

const DENY = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-delete, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  action: DENY
  rules:
  - to: [{operation: {methods: ["DELETE"]}}]
`;

describe('describe pod: security', () => {
  it('prints the effective mode (namespace STRICT over mesh PERMISSIVE, UNSET inherits), port-level modes and the policies applied', () => {
    const r = cli(['describe', 'pod', 'ratings-v1', '-'], { input: POLICIES });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '--------------------',
        'Effective PeerAuthentication:',
        '   Workload mTLS mode: STRICT',
        '   Port Level mTLS mode:',
        '      9090: PERMISSIVE',
        'Applied PeerAuthentication:',
        '   default.istio-system, default.default, ratings-metrics.default',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(
      /^DestinationRule: ratings for "ratings"\n {3}Traffic Policy TLS Mode: ISTIO_MUTUAL\n {3}Policies: connection pool$/m,
    );
    expect(r.stdout).toMatch(
      /^RBAC policies: ns\[default\]-policy\[ratings-viewer\]-rule\[0\], ns\[default\]-policy\[ratings-viewer\]-rule\[1\]$/m,
    );
  });

  it('lists the first RBAC filter only, as istioctl: DENY policies hide the ALLOW ones', () => {
    const r = cli(['describe', 'pod', 'ratings-v1', '-'], { input: POLICIES + DENY });
    expect(r.stdout).toMatch(/^RBAC policies: ns\[default\]-policy\[no-delete\]-rule\[0\]$/m);
  });

  it('another pod: the namespace policy only, no RBAC line, and PERMISSIVE without any policy', () => {
    const r = cli(['describe', 'pod', 'reviews-v1', '-'], { input: POLICIES });
    expect(r.stdout).toMatch(
      /^ {3}Workload mTLS mode: STRICT\nApplied PeerAuthentication:\n {3}default\.istio-system, default\.default$/m,
    );
    expect(r.stdout).not.toMatch(/RBAC policies/);
    const none = cli(['describe', 'pod', 'reviews-v1']);
    expect(none.stdout).toMatch(/^ {3}Workload mTLS mode: PERMISSIVE\n?$/m);
    expect(none.stdout).not.toMatch(/Applied PeerAuthentication/);
  });
});

/** What istioctl 1.26 prints for ratings on a cluster with POLICIES applied. */
const CLUSTER = `Pod: ratings-v1-7d78c8c8b5-abcde
   Pod Revision: default
   Pod Ports: 9080 (ratings), 15090 (istio-proxy)
--------------------
Service: ratings
   Port: http 9080/HTTP targets pod port 9080
DestinationRule: ratings for "ratings"
   Traffic Policy TLS Mode: ISTIO_MUTUAL
   Policies: connection pool
RBAC policies: ns[default]-policy[ratings-viewer]-rule[1], ns[default]-policy[ratings-viewer]-rule[0]
--------------------
Effective PeerAuthentication:
   Workload mTLS mode: STRICT
   Port Level mTLS mode:
      9090: PERMISSIVE
Applied PeerAuthentication:
   default.istio-system, default.default, ratings-metrics.default
`;

let env: FakeEnv | undefined;
afterEach(() => env?.cleanup());

function live(input: string, stdout: string, exitCode = 0, stderr = '') {
  env = makeFakeEnv({
    tools: ['istioctl'],
    world: { rules: [{ tool: 'istioctl', match: 'x describe pod', stdout, exitCode, stderr }] },
  });
  return cli(['describe', 'pod', 'ratings-v1-7d78c8c8b5-abcde', '-', '--live', '--context', 'kind-ica'], {
    env: env.env,
    input,
  });
}

describe('describe pod --live', () => {
  it('asks istioctl about the same pod and agrees when the facts match (pod names and order aside)', () => {
    const r = live(POLICIES, CLUSTER);
    expect(env!.commands()).toEqual([
      'istioctl x describe pod ratings-v1-7d78c8c8b5-abcde -n default --context kind-ica',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Predicted by ica-trainer \(from -\):$/m);
    expect(r.stdout).toMatch(
      /^The cluster \(istioctl x describe pod ratings-v1-7d78c8c8b5-abcde -n default --context kind-ica\):$/m,
    );
    expect(r.stdout).toMatch(/The cluster agrees with the prediction\./);
  });

  it('names the facts that differ (exit 1)', () => {
    const r = live(
      POLICIES + DENY,
      CLUSTER.replace('   Workload mTLS mode: STRICT', '   Workload mTLS mode: PERMISSIVE'),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}predicted, not on the cluster: {2}mTLS mode STRICT$/m);
    expect(r.stdout).toMatch(/^ {2}on the cluster, not predicted: {2}mTLS mode PERMISSIVE$/m);
    expect(r.stdout).toMatch(
      /^ {2}predicted, not on the cluster: {2}RBAC policies ns\[default\]-policy\[no-delete\]-rule\[0\]$/m,
    );
  });

  it('istioctl failing or missing is one line and exit 2', () => {
    const failed = live(POLICIES, '', 1, 'Error: pods "ratings-v1-7d78c8c8b5-abcde" not found\n');
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(
      /`istioctl x describe pod .*` failed: Error: pods "ratings-v1-7d78c8c8b5-abcde" not found/,
    );
    env = makeFakeEnv({ tools: [] });
    const missing = cli(['describe', 'pod', 'ratings-v1', '--live'], { env: env.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/istioctl is not on PATH/);
  });
});
