// The lab validity gate: an Error fails the "valid" criterion when it changes the
// lab's traffic or the API server would reject the resource; never for an empty
// subset that no route sends traffic to (the sample "destination rule for all"), nor
// for a resource the lab's traffic does not pass through (shown, not counted).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labResultToJson, labResultToText } from '../../src/cli/format-lab.ts';
import { palette } from '../../src/cli/output.ts';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import type { Finding } from '../../src/core/analysis/finding.ts';
import { bookinfoManifests, gatewayManifests } from '../../src/core/config/bookinfo.ts';
import { type LoadResult, loadPaths, loadText } from '../../src/core/config/load.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import { hostScope, touchesLab } from '../../src/core/grading/validity.ts';
import { simulate, TrafficTrace } from '../../src/core/sim/index.ts';

const { exercises } = loadExercises();
const lab = (id: string) => {
  const e = exercises.find((x) => x.id === id);
  if (!e) throw new Error(`no lab ${id}`);
  return e;
};
const labs = new URL('../labs/', import.meta.url).pathname;
const svc = (name: string, ns = 'default') => `${name}.${ns}.svc.cluster.local`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** A workspace with the lab's solution plus `extra` YAML. */
async function workspace(id: string, extra: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gate-'));
  dirs.push(dir);
  const solution = await loadPaths([lab(id).solutionDir]);
  for (const f of new Set(solution.resources.map((r) => r.origin.file!))) {
    writeFileSync(join(dir, `solution-${f.split('/').pop()}`), (await import('node:fs')).readFileSync(f));
  }
  writeFileSync(join(dir, 'extra.yaml'), extra);
  return dir;
}
const valid = (r: Awaited<ReturnType<typeof gradeLab>>) => r.criteria.find((c) => c.id === 'valid')!;

const routeTo = (host: string, subset: string, ns?: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${host}${ns ? `, namespace: ${ns}` : ''} }
spec:
  hosts: [${host}]
  http:
  - route:
    - destination: { host: ${host}, subset: ${subset} }
`;

describe('lab validity gate', () => {
  it('passes "valid" with an unrouted empty subset and names it', async () => {
    const r = await gradeLab(lab('route-all-v1'), { dir: lab('route-all-v1').solutionDir });
    expect(valid(r).pass).toBe(true);
    expect(valid(r).reason).toMatch(
      /^no Error finding on this lab's traffic \(IST0173 DestinationRule default\/ratings/,
    );
    expect(valid(r).reason).toContain('not counted: no traffic reaches it today');
    // the finding is still there for the learner to see
    expect(r.findings.filter((f) => f.code === 'IST0173').length).toBeGreaterThan(0);
  });

  it('fails "valid" when the empty subset gets traffic', async () => {
    const r = await gradeLab(lab('canary-20'), { dir: `${labs}canary-20/wrong-canary-to-empty-subset` });
    expect(valid(r).pass).toBe(false);
    expect(valid(r).codes).toEqual(['IST0173']);
  });

  it('does not count an Error on a host the lab never reaches, and says so', async () => {
    // uri-exact sends requests to reviews (v1, v2 -> ratings); details is never called
    const r = await gradeLab(lab('uri-exact'), {
      dir: await workspace('uri-exact', routeTo('details', 'v9')),
    });
    expect(valid(r).pass).toBe(true);
    expect(valid(r).reason).toBe(
      "no Error finding on this lab's traffic (IST0101 VirtualService default/details not counted: does not touch this lab's traffic)",
    );
    expect(r.pass).toBe(true);
    expect(
      r.findings.some((f) => f.code === 'IST0101' && f.origin === 'VirtualService default/details'),
    ).toBe(true);
    // lab check locates it (file:line) under the criterion, marked as not counted
    expect(valid(r).notCounted?.map((f) => f.origin)).toEqual(['VirtualService default/details']);
    expect(labResultToText(r, palette(false))).toMatch(
      /IST0101 Referenced host\+subset .*"details\+v9"\s+\S*extra\.yaml:\d+:\d+\s+\(not counted\)/,
    );
    expect(JSON.parse(labResultToJson(r)).criteria[0].notCounted[0].origin).toBe(
      'VirtualService default/details',
    );
  });

  it("counts the same Error on a host the lab's requests reach through Bookinfo's own calls", async () => {
    // reviews v2 (what /reviews/0 gets) calls ratings
    const r = await gradeLab(lab('uri-exact'), {
      dir: await workspace('uri-exact', routeTo('ratings', 'v9')),
    });
    expect(valid(r).pass).toBe(false);
    expect(valid(r).codes).toEqual(['IST0101']);
    expect(r.pass).toBe(false);
  });

  it('counts a resource the API server would refuse, wherever it points', async () => {
    const refused = `${routeTo('details', 'v1')}    timeout: soon\n`;
    const r = await gradeLab(lab('uri-exact'), { dir: await workspace('uri-exact', refused) });
    expect(valid(r).pass).toBe(false);
    expect(valid(r).codes).toContain('IST0106');
  });

  it('counts an Error on a resource that is not scoped by host (a policy, a workload)', () => {
    const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
    loadText(
      `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny, namespace: default }
spec: { action: DENY, rules: [{}] }
`,
      'p.yaml',
      load,
    );
    const [policy] = load.resources;
    expect(hostScope(policy!)).toBeUndefined();
    const { snapshot } = analyzeLoaded(load, { bookinfo: true });
    const path = {
      hosts: new Set<string>(),
      virtualServices: new Set<string>(),
      gateways: new Set<string>(),
    };
    const on = (resource?: Finding['resource']): Finding => ({
      code: 'X',
      name: 'X',
      level: 'Error',
      message: 'x',
      explanation: '',
      fix: '',
      ...(resource ? { resource } : {}),
    });
    expect(
      touchesLab(on({ kind: 'AuthorizationPolicy', namespace: 'default', name: 'deny' }), snapshot, path),
    ).toBe(true);
    // a finding on a file (no resource) and one on a resource not in the input always count
    expect(touchesLab(on(), snapshot, path)).toBe(true);
    expect(
      touchesLab(on({ kind: 'VirtualService', namespace: 'default', name: 'gone' }), snapshot, path),
    ).toBe(true);
  });

  it('the trace holds every hop: the gateway, its Host, productpage and its calls', async () => {
    const load = await loadPaths([lab('ingress-http').solutionDir]);
    const { snapshot } = analyzeLoaded(load, { bookinfo: true });
    const trace = new TrafficTrace();
    simulate(snapshot, {
      to: 'http://bookinfo.example.com/productpage',
      from: 'ingress',
      requests: 300,
      trace,
    });
    expect([...trace.gateways]).toEqual(['default/bookinfo-gateway']);
    expect(trace.virtualServices.has('VirtualService default/bookinfo')).toBe(true);
    for (const h of [
      'bookinfo.example.com',
      svc('productpage'),
      svc('details'),
      svc('reviews'),
      svc('ratings'),
    ])
      expect(trace.hosts.has(h), h).toBe(true);
  });

  it('the trace holds every weighted destination of a route taken, drawn or not', async () => {
    const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
    loadText(
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route:
    - { destination: { host: reviews }, weight: 99 }
    - { destination: { host: details }, weight: 1 }
    mirror: { host: ratings }
`,
      'vs.yaml',
      load,
    );
    const { snapshot } = analyzeLoaded(load, { bookinfo: true });
    const trace = new TrafficTrace();
    simulate(snapshot, { to: 'reviews', requests: 1, bookinfoApps: false, trace });
    expect([...trace.hosts].sort()).toEqual([svc('details'), svc('ratings'), svc('reviews')]);
  });
});

describe('lab validity gate, live', () => {
  /** The cluster's objects in namespace `ns` (Bookinfo, the gateways) and the learner's YAML. */
  function cluster(ns: string, yaml: string): LoadResult {
    const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
    for (const m of [...bookinfoManifests(ns), ...gatewayManifests()])
      loadText(JSON.stringify(m), 'cluster', load);
    loadText(yaml, 'learner', load, { defaultNamespace: ns });
    return load;
  }
  const solution = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { exact: /reviews/0 } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - route: [{ destination: { host: reviews, subset: v1 } }]
`;

  for (const probed of [false, true]) {
    it(`judges the graded namespace's path${probed ? ' when live probes answer the traffic' : ''}`, async () => {
      // a probe answers without the simulator's trace: the gate still knows the path
      const live = probed
        ? {
            simulate: (s: Parameters<typeof simulate>[0], o: Parameters<typeof simulate>[1]) =>
              simulate(s, { ...o, trace: undefined }),
          }
        : {};
      const grade = (extra: string) =>
        gradeLab(lab('uri-exact'), {
          dir: 'team-a',
          mode: 'live',
          namespace: 'team-a',
          load: cluster('team-a', `${solution}---\n${extra}`),
          ...live,
        });
      const off = await grade(routeTo('details', 'v9'));
      expect(valid(off).reason).toContain('IST0101 VirtualService team-a/details not counted');
      expect(off.pass, off.criteria.map((c) => c.reason).join('\n')).toBe(true);
      const on = await grade(routeTo('ratings', 'v9'));
      expect(valid(on).pass).toBe(false);
      expect(valid(on).codes).toEqual(['IST0101']);
    });
  }
});
