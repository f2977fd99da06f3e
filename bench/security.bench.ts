// The security layer's cost per hop (PeerAuthentication mode, JWT check of a
// cached token, DENY and ALLOW evaluation with principals, paths, methods and a
// claim) against a plain routing decision on the same request. Aim: policy
// evaluation costs at most 2x a routing decision.
import { type LoadResult, loadText } from '../src/core/config/load.ts';
import { Snapshot } from '../src/core/config/snapshot.ts';
import { meshFor, pickCluster, Rng, simulate } from '../src/core/sim/index.ts';
import { SAMPLE_TOKENS } from '../src/core/sim/security/samples.ts';
import { destinationRule, documents, REVIEWS_VERSIONS, routeTo, virtualService } from '../test/sim/yaml.ts';
import { type Bench, medianMs } from './types.ts';

const SEC = 'apiVersion: security.istio.io/v1';
const POLICIES = `${SEC}
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
${SEC}
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
---
${SEC}
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  action: DENY
  rules:
  - to: [{operation: {paths: ["/admin*"], ports: ["9080"]}}]
---
${SEC}
kind: AuthorizationPolicy
metadata: {name: reviews-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-ratings"]}}]
  - from: [{source: {principals: ["cluster.local/ns/default/sa/default"], requestPrincipals: ["*"]}}]
    to: [{operation: {methods: [GET], paths: ["/reviews/*"]}}]
    when:
    - key: request.auth.claims[iss]
      values: [testing@secure.istio.io]
`;

function snapshot(yaml: string): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(yaml, 'bench.yaml', load, {});
  return new Snapshot({ resources: load.resources, meshConfigs: load.meshConfigs, bookinfo: true });
}

const bench: Bench = async () => {
  const snap = snapshot(
    documents(
      destinationRule('reviews', REVIEWS_VERSIONS),
      virtualService('reviews', routeTo('reviews', ['v1', 80], ['v2', 20])),
      POLICIES,
    ),
  );
  const mesh = meshFor(snap);
  const caller = mesh.caller(undefined);
  const req = mesh.request(caller, 'reviews', '/reviews/0', {
    authorization: `Bearer ${SAMPLE_TOKENS.demo!.token}`,
  });
  const d = mesh.decide(caller, req);
  if (d.kind !== 'route') throw new Error('the security benchmark needs a route');
  const cluster = d.rule.clusters[0]!;
  const hop = { caller, cluster, endpoint: cluster.endpoints[0]!, req };
  if (mesh.hop(hop) !== null) throw new Error('the benchmark request should be allowed');

  const D = 500_000;
  const rng = new Rng(1);
  let sink = 0;
  const routeMs = await medianMs(7, () => {
    for (let i = 0; i < D; i++) {
      const x = mesh.decide(caller, req);
      if (x.kind === 'route') sink += pickCluster(x.rule, rng.next()).id;
    }
  });
  // a run sends the same request again and again: the layer decides once, then replays
  const policyMs = await medianMs(7, () => {
    for (let i = 0; i < D; i++) if (mesh.hop(hop) === null) sink++;
  });
  // cold: every hop decided from scratch (a new request object each time, as the Bookinfo apps' own calls are)
  const C = 50_000;
  const fresh = Array.from({ length: C }, () => ({ ...req }));
  const coldMs = await medianMs(3, () => {
    for (let i = 0; i < C; i++) if (mesh.hop({ ...hop, req: { ...fresh[i]! } }) === null) sink++;
  });
  if (sink === 0) throw new Error('no decisions made');

  // The whole request, as `simulate` plays it: the same 20,000 requests through the same
  // routes, with and without the policies above (mTLS, JWT, DENY + ALLOW at reviews).
  const routing = documents(
    destinationRule('reviews', REVIEWS_VERSIONS),
    virtualService('reviews', routeTo('reviews', ['v1', 80], ['v2', 20])),
  );
  const plain = snapshot(routing);
  const secured = snapshot(documents(routing, POLICIES));
  const N = 20_000;
  const options = {
    to: 'reviews',
    path: '/reviews/0',
    headers: { authorization: `Bearer ${SAMPLE_TOKENS.demo!.token}` },
    requests: N,
    seed: 1,
  };
  const allowed = simulate(secured, options).summary.statuses;
  if (allowed.length !== 1 || allowed[0]?.status !== 200)
    throw new Error('the simulated requests should be allowed');
  // interleaved, so that a busy machine slows both alike
  simulate(plain, options);
  const times: { plain: number[]; secured: number[] } = { plain: [], secured: [] };
  for (let round = 0; round < 9; round++) {
    for (const [which, snap] of [
      ['plain', plain],
      ['secured', secured],
    ] as const) {
      const t = performance.now();
      simulate(snap, options);
      times[which].push(performance.now() - t);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const plainMs = median(times.plain);
  const securedMs = median(times.secured);
  return [
    {
      name: 'security: simulate with / without policies',
      value: securedMs / plainMs,
      unit: 'x',
      note: `${N} requests to reviews (with the JWT, routed 80/20): ${securedMs.toFixed(0)} ms with PeerAuthentication, RequestAuthentication and 2 AuthorizationPolicies, ${plainMs.toFixed(0)} ms without (aim <= 2x)`,
    },
    {
      name: 'security: policy decisions per hop',
      value: (D / policyMs) * 1000,
      unit: 'dec/s',
      note: `mTLS STRICT, a cached JWT, DENY + ALLOW (principals, paths, a claim): ${D} in ${policyMs.toFixed(0)} ms`,
    },
    {
      name: 'security: policy decisions, first time',
      value: (C / coldMs) * 1000,
      unit: 'dec/s',
      note: `each hop decided from scratch: ${(coldMs / C / (routeMs / D)).toFixed(1)}x a routing decision`,
    },
    {
      name: 'security: policy / routing decision',
      value: policyMs / routeMs,
      unit: 'x',
      note: `routing ${D} in ${routeMs.toFixed(0)} ms (aim <= 2x)`,
    },
  ];
};

export default bench;
