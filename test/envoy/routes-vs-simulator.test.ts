// `proxy-config routes` lists the routes the simulator routes with: for every
// lab's solution and starter, every proxy and every route it lists, a request
// built to match that route is routed by the simulator (routeRequest) to the
// route that Envoy's first-match rule picks from the listed table (evaluated
// here, independently, on the Envoy JSON): same VirtualService, same clusters
// and weights, or the same direct response.
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../../src/core/analysis/analyze.ts';
import { ambientOf } from '../../src/core/config/ambient.ts';
import type { Snapshot } from '../../src/core/config/snapshot.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import {
  asRunning,
  type EnvoyRoute,
  type EnvoyRouteConfiguration,
  envoyView,
  NoSidecarError,
  resolveProxy,
  routeConfigs,
} from '../../src/core/envoy/index.ts';
import { routeRequest } from '../../src/core/sim/index.ts';

interface Probe {
  path: string;
  headers: Record<string, string>;
}

/** A request that satisfies an Envoy route's match, or undefined when one cannot be written simply. */
function probeFor(r: EnvoyRoute): Probe | undefined {
  const m = r.match;
  if (m.safeRegex || m.queryParameters) return undefined;
  const path = m.path ?? m.prefix ?? '/';
  const headers: Record<string, string> = {};
  for (const h of m.headers ?? []) {
    if (h.name.startsWith(':') || h.invertMatch) return undefined;
    if (h.presentMatch) headers[h.name] = 'present';
    else if (h.stringMatch?.exact !== undefined) headers[h.name] = h.stringMatch.exact;
    else if (h.stringMatch?.prefix !== undefined) headers[h.name] = `${h.stringMatch.prefix}z`;
    else return undefined;
  }
  return { path, headers };
}

/** Envoy's RouteMatch, written from Envoy's documentation (not the simulator's matcher). */
function envoyMatches(r: EnvoyRoute, p: Probe): boolean {
  const m = r.match;
  const fold = m.caseSensitive === false;
  const uri = fold ? p.path.toLowerCase() : p.path;
  if (m.path !== undefined && uri !== (fold ? m.path.toLowerCase() : m.path)) return false;
  if (m.prefix !== undefined && !uri.startsWith(fold ? m.prefix.toLowerCase() : m.prefix)) return false;
  if (m.safeRegex && !new RegExp(`^(?:${m.safeRegex.regex})$`).test(p.path)) return false;
  for (const h of m.headers ?? []) {
    const v = p.headers[h.name];
    let ok: boolean;
    if (h.presentMatch) ok = v !== undefined;
    else if (h.stringMatch?.exact !== undefined) ok = v === h.stringMatch.exact;
    else if (h.stringMatch?.prefix !== undefined) ok = v?.startsWith(h.stringMatch.prefix) === true;
    else if (h.stringMatch?.safeRegex)
      ok = v !== undefined && new RegExp(`^(?:${h.stringMatch.safeRegex.regex})$`).test(v);
    else ok = v !== undefined;
    if (h.invertMatch ? ok : !ok) return false;
  }
  if (m.queryParameters?.length) return false;
  return true;
}

function vsOf(r: EnvoyRoute): string | undefined {
  const c = r.metadata?.filterMetadata.istio.config;
  if (!c) return undefined;
  const p = c.split('/');
  return `${p[5]}/${p[7]}`;
}

function clustersOf(r: EnvoyRoute): { name: string; weight: number }[] {
  if (r.route?.cluster) return [{ name: r.route.cluster, weight: 100 }];
  return r.route?.weightedClusters?.clusters ?? [];
}

/**
 * The Envoy routes a VirtualService contributes to a virtual host: one per match entry
 * that applies to this proxy (port, sourceLabels, sourceNamespace, gateways), one for a
 * rule without matches. Counted here from the YAML, independently of route-entries.ts.
 */
function countCheck(
  snapshot: Snapshot,
  caller: { labels: Record<string, string>; namespace: string; gateway: boolean; contexts: string[] },
  routeName: string,
  vh: EnvoyRouteConfiguration['virtualHosts'][number],
  port: number,
): number {
  const names = new Set(vh.routes.map(vsOf).filter((v): v is string => v !== undefined));
  let checked = 0;
  for (const ref of names) {
    const [ns, vsName] = ref.split('/');
    const vs = snapshot.virtualServices.find((v) => v.namespace === ns && v.name === vsName)!;
    if ((vs.spec.http ?? []).some((r) => r.delegate)) continue;
    const contexts = caller.gateway ? caller.contexts : ['mesh'];
    let want = 0;
    for (const rule of vs.spec.http ?? []) {
      const matches = rule.match ?? [];
      if (matches.length === 0) {
        want++;
        continue;
      }
      for (const m of matches) {
        if (m.port !== undefined && m.port !== port) continue;
        if (m.sourceLabels && !Object.entries(m.sourceLabels).every(([k, v]) => caller.labels[k] === v))
          continue;
        if (m.sourceNamespace && m.sourceNamespace !== caller.namespace) continue;
        if (m.gateways?.length) {
          const refs = m.gateways.map((g) =>
            g.includes('/') ? g : g === 'mesh' ? 'mesh' : `${vs.namespace}/${g}`,
          );
          if (!refs.some((r) => contexts.includes(r))) continue;
        }
        want++;
      }
    }
    const listed = vh.routes.filter((r) => vsOf(r) === ref).length;
    expect(listed, `${routeName} ${vh.name}: routes of ${ref}`).toBe(want);
    checked++;
  }
  return checked;
}

async function snapshotOf(dir: string): Promise<Snapshot> {
  return (await analyzePaths([dir], { bookinfo: true })).snapshot;
}

function checkProxy(snapshot: Snapshot, name: string, namespace: string): number {
  // what the CLI shows: a STALE proxy (a drill) lists the configuration it runs
  const current = envoyView(snapshot);
  const { view, proxy } = asRunning({ view: current, proxy: resolveProxy(current.mesh, name, namespace) });
  let checked = 0;
  const configs: EnvoyRouteConfiguration[] = routeConfigs(view, proxy);
  for (const rc of configs) {
    if (rc.name.startsWith('inbound|')) continue;
    for (const vh of rc.virtualHosts) {
      if (vh.name === 'allow_any' || vh.name === 'block_all' || vh.name.startsWith('blackhole:')) continue;
      const colon = vh.name.lastIndexOf(':');
      const host = vh.name.slice(0, colon);
      const port = Number(vh.name.slice(colon + 1));
      const target = `${host === '*' ? 'any.example.com' : host.replace(/^\*\./, 'x.')}:${port}`;
      checked += countCheck(snapshot, proxy.caller, rc.name, vh, port);
      // the other direction: the VirtualService the simulator routes a plain request with is listed
      const plain = routeRequest(snapshot, { to: target, from: `${proxy.namespace}/${proxy.workload.name}` });
      if (plain.virtualService) {
        const want = `${plain.virtualService.namespace}/${plain.virtualService.name}`;
        expect(
          vh.routes.some((r) => vsOf(r) === want),
          `${name} ${vh.name} lists ${want}`,
        ).toBe(true);
      }
      for (const listed of vh.routes) {
        const probe = probeFor(listed);
        if (!probe) continue;
        const expected = vh.routes.find((r) => envoyMatches(r, probe));
        const sim = routeRequest(snapshot, {
          to: target,
          path: probe.path,
          headers: probe.headers,
          // the proxy itself: a gateway pod has every Gateway that selects it
          from: `${proxy.namespace}/${proxy.workload.name}`,
        });
        const where = `${name} ${rc.name} ${vh.name} ${JSON.stringify(probe)}`;
        expect(expected, where).toBeDefined();
        if (sim.outcome === 'unsupported') continue;
        if (vh.requireTls === 'ALL') {
          // httpsRedirect: Envoy answers 301 before any route (the routes serve the https side)
          expect(sim.outcome, where).toBe('local');
          expect(sim.local?.status, where).toBe(301);
          checked++;
          continue;
        }
        const simVs = sim.virtualService
          ? `${sim.virtualService.namespace}/${sim.virtualService.name}`
          : undefined;
        expect(simVs, where).toBe(vsOf(expected!));
        if (expected!.directResponse) {
          expect(sim.outcome, where).toBe('local');
          expect(sim.local?.status, where).toBe(expected!.directResponse.status);
        } else if (expected!.redirect) {
          expect(sim.outcome, where).toBe('local');
        } else {
          expect(
            sim.destinations.map((d) => ({ name: d.cluster, weight: Math.round(d.share * 100) })),
            where,
          ).toEqual(clustersOf(expected!));
        }
        checked++;
      }
    }
  }
  return checked;
}

const { exercises } = loadExercises();

describe('proxy-config routes lists the routes the simulator uses', () => {
  for (const ex of exercises) {
    for (const which of ['solution', 'starter'] as const) {
      it(`${ex.id} (${which})`, async () => {
        const snapshot = await snapshotOf(which === 'solution' ? ex.solutionDir : ex.starterDir);
        let checked = 0;
        const proxies = new Set<string>();
        for (const name of ['productpage-v1', 'reviews-v2']) {
          // the Deployment, or its pods when the inputs list them (kubectl get pods -o yaml)
          const w = snapshot
            .workloads('default')
            .find((x) => x.name === name || (x.resource.kind === 'Pod' && x.name.startsWith(`${name}-`)));
          if (w?.sidecar !== false) {
            proxies.add(`deploy/${name}`);
            continue;
          }
          // no sidecar: proxy-config has no routes to list, and the simulator applies none
          expect(() => resolveProxy(envoyView(snapshot).mesh, name, 'default')).toThrow(NoSidecarError);
          checked++;
          const sim = routeRequest(snapshot, { to: 'reviews:9080', from: `default/${name}` });
          if (w.dataplane === 'ambient') {
            // ambient: ztunnel applies no route; a waypoint serving reviews applies the mesh's
            // (test/envoy/describe-ambient.test.ts, test/sim/ambient.test.ts)
            if (ambientOf(snapshot).serviceWaypoint('reviews.default.svc.cluster.local'))
              expect(sim.reason, `${name} is in ambient behind a waypoint`).not.toMatch(/no waypoint/);
            else {
              expect(sim.virtualService, `${name} is in ambient`).toBeUndefined();
              expect(sim.reason, `${name} is in ambient`).toMatch(/ambient, no waypoint/);
            }
            continue;
          }
          expect(sim.virtualService, `${name} has no sidecar`).toBeUndefined();
          expect(sim.reason, `${name} has no sidecar`).toMatch(/no sidecar/);
        }
        for (const g of snapshot.gateways) {
          for (const w of snapshot
            .workloadsMatching(g.spec.selector ?? { none: 'none' })
            .filter((x) => x.sidecar))
            proxies.add(`${w.name}.${w.namespace}`);
        }
        for (const w of snapshot.workloadsMatching({}))
          if (w.namespace !== 'istio-system' && w.sidecar) proxies.add(`${w.name}.${w.namespace}`);
        for (const p of proxies) checked += checkProxy(snapshot, p, 'default');
        expect(checked).toBeGreaterThan(0);
      });
    }
  }
});
