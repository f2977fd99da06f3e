// Grader building blocks for the ingress and egress labs, by behaviour: the status
// requests get, and the paths a gateway exposes (or not). See checks-gateways.ts
// for Gateway servers, checks-egress.ts for TLS routes and ServiceEntries.
import {
  describeProbe,
  describeStatuses,
  fail,
  type Probe,
  pass,
  round,
  run,
  withFindings,
} from './checks.ts';
import { attach, findingsOn } from './checks-findings.ts';
import { routeTaken } from './checks-route-taken.ts';
import { EXACT_REQUESTS } from './checks-routing.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** Every request of the probe gets `status` (100%). */
export function expectStatus(ctx: GradeContext, probe: Probe, status: number, host?: string): CheckResult {
  const result = run(ctx, { requests: EXACT_REQUESTS, ...probe });
  const ok = result.summary.statuses.filter((s) => s.status === status).reduce((a, s) => a + s.percent, 0);
  const text = `${describeProbe(probe)}: ${describeStatuses(result)}`;
  if (Math.abs(ok - 100) < 1e-6) return pass(text);
  const rule = routeTaken(ctx, probe);
  return withFindings(ctx, fail(`${text}, expected ${status} for all${rule ? ` (${rule})` : ''}`), host);
}

/** The paths that Istio's bookinfo-gateway sample exposes, one request each (all reach productpage). */
export const BOOKINFO_GATEWAY_PATHS: readonly string[] = [
  '/productpage',
  '/static/bootstrap/css/bootstrap.min.css',
  '/login',
  '/logout',
  '/api/v1/products',
  '/api/v1/products/0/reviews',
];

/** Paths that the bookinfo-gateway sample does not expose. */
export const BOOKINFO_HIDDEN_PATHS: readonly string[] = [
  '/',
  '/reviews/0',
  '/details/0',
  '/productpage/admin',
];

/**
 * Requests through a gateway workload (`ingress`) for `authority` (`bookinfo.example.com:80`)
 * and each path reach `service` (all of them, answered 200).
 */
export function expectGatewayRoutes(
  ctx: GradeContext,
  authority: string,
  paths: readonly string[],
  service: string,
  from = 'ingress',
): CheckResult {
  const failures = new Map<string, string[]>();
  const fine: string[] = [];
  for (const path of paths) {
    const probe: Probe = { to: authority, path, from, requests: 50 };
    const result = run(ctx, probe);
    const reached = result.summary.destinations
      .filter((d) => d.service === service && d.reachedPod)
      .reduce((a, d) => a + d.percent, 0);
    const ok = result.summary.statuses.filter((s) => s.status === 200).reduce((a, s) => a + s.percent, 0);
    if (Math.abs(reached - 100) < 1e-6 && Math.abs(ok - 100) < 1e-6) {
      fine.push(path);
      continue;
    }
    const rule = routeTaken(ctx, probe);
    const got = result.summary.destinations
      .filter((d) => d.reachedPod)
      .map((d) => `${d.service} ${round(d.percent)}%`)
      .join(', ');
    const why = `${got ? `reached ${got}; ` : ''}responses ${describeStatuses(result)}, expected ${service} with 200${rule ? ` (${rule})` : ''}`;
    const list = failures.get(why);
    if (list) list.push(path);
    else failures.set(why, [path]);
  }
  if (failures.size === 0) return pass(`through ${from} for ${authority}: ${fine.join(', ')} → ${service}`);
  const r = fail(
    [...failures].map(([why, list]) => `${list.join(', ')} via ${from} for ${authority}: ${why}`).join('; '),
  );
  const related = findingsOn(
    ctx,
    [
      ...ctx.snapshot.gateways
        .filter((g) => !g.origin.builtin)
        .map((g) => `Gateway ${g.namespace}/${g.name}`),
      ...ctx.snapshot.virtualServices.map((vs) => `VirtualService ${vs.namespace}/${vs.name}`),
    ],
    ['IST0101', 'IST0132', 'ICA1005', 'ICA1006', 'IST0162', 'IST0145'],
  );
  return attach(r, related);
}

/** Requests through a gateway for each path get `status` (e.g. 404: nothing else is exposed). */
export function expectGatewayStatus(
  ctx: GradeContext,
  authority: string,
  paths: readonly string[],
  status: number,
  from = 'ingress',
): CheckResult {
  const failures = new Map<string, string[]>();
  for (const path of paths) {
    const probe: Probe = { to: authority, path, from, requests: 50 };
    const result = run(ctx, probe);
    const ok = result.summary.statuses.filter((s) => s.status === status).reduce((a, s) => a + s.percent, 0);
    if (Math.abs(ok - 100) < 1e-6) continue;
    const rule = routeTaken(ctx, probe);
    const why = `${describeStatuses(result)}${rule ? ` (${rule})` : ''}`;
    const list = failures.get(why);
    if (list) list.push(path);
    else failures.set(why, [path]);
  }
  if (failures.size === 0) return pass(`through ${from} for ${authority}: ${paths.join(', ')} get ${status}`);
  return fail(
    [...failures]
      .map(([why, list]) => `${list.join(', ')} via ${from} for ${authority}: ${why}, expected ${status}`)
      .join('; '),
  );
}
