// Grader building blocks for the routing labs (see checks.ts for the shared ones,
// checks-pages.ts for what /productpage shows, checks-route-taken.ts for the rule
// a request takes, checks-gateways.ts and checks-egress.ts for the edge): several
// request shapes at once, routes pinned to a version.
import { toFqdn } from '../config/hosts.ts';
import { routeRequest, type SimResult } from '../sim/index.ts';
import {
  all,
  DEFAULT_REQUESTS,
  describeProbe,
  describeShares,
  describeStatuses,
  expectSplit,
  fail,
  type Probe,
  pass,
  run,
  versionShares,
  withFindings,
} from './checks.ts';
import { dedupeFindings } from './checks-findings.ts';
import { routeTaken } from './checks-route-taken.ts';
import type { CheckResult, GradeContext } from './types.ts';

// kept importable from here for the graders and modules that used it from this file
export { describeProbe };

/** Requests enough to tell "always" from "almost always" (a deterministic 0% / 100% split). */
export const EXACT_REQUESTS = 200;

/** One request shape and how its traffic must split by version. */
export interface RouteCase {
  probe: Probe;
  /** percent per version of the service; versions not named must get nothing */
  expected: Record<string, number>;
  /** what this request stands for (a near miss), said when it is routed wrongly */
  why?: string;
}

/**
 * Several request shapes at once (paths, headers): each must split by version as
 * expected. A failure lists only the shapes that went wrong.
 */
export function expectCases(
  ctx: GradeContext,
  service: string,
  cases: readonly RouteCase[],
  tolerance = 3,
): CheckResult {
  const results = cases.map((c) => {
    const exact = Object.values(c.expected).every((p) => p === 0 || p === 100);
    const probe =
      c.probe.requests === undefined
        ? { ...c.probe, requests: exact ? EXACT_REQUESTS : DEFAULT_REQUESTS }
        : c.probe;
    const r = expectSplit(ctx, probe, service, c.expected, tolerance);
    if (r.pass) return r;
    const rule = routeTaken(ctx, probe);
    const why = c.why ? ` [${c.why}]` : '';
    return { ...r, reason: `${r.reason}${why}${rule ? ` (${rule})` : ''}` };
  });
  return dedupeFindings(all(...results));
}

/** Requests to `service` for each path (no headers) must all reach the versions in `expected`. */
export function expectPaths(
  ctx: GradeContext,
  service: string,
  paths: readonly string[],
  expected: Record<string, number>,
): CheckResult {
  return expectCases(
    ctx,
    service,
    paths.map((path) => ({ probe: { to: service, path }, expected })),
  );
}

/**
 * The subsets of `fqdn` the probe's requests were sent to: as the simulated
 * requests went, or, for measured traffic (whose records name no Envoy cluster),
 * as the configuration routes them.
 */
function subsetsTaken(
  ctx: GradeContext,
  probe: Probe,
  result: SimResult,
  fqdn: string,
): Set<string | undefined> {
  if (result.records.some((r) => r.cluster !== undefined))
    return new Set(result.records.map((r) => r.subset));
  try {
    const routed = routeRequest(ctx.snapshot, {
      to: probe.to,
      namespace: ctx.namespace,
      ...(probe.path ? { path: probe.path } : {}),
      ...(probe.headers ? { headers: probe.headers } : {}),
      ...(probe.from ? { from: probe.from } : {}),
    });
    return new Set(routed.destinations.filter((d) => d.host === fqdn && d.share > 0).map((d) => d.subset));
  } catch {
    return new Set([undefined]);
  }
}

/**
 * Requests to `service` reach only `version` pods, through a subset that selects
 * pods by `version: <version>`: routing is pinned, so a new version deployed later
 * gets no traffic until a route sends it some.
 */
export function expectPinned(
  ctx: GradeContext,
  service: string,
  version: string,
  probes: readonly Probe[],
): CheckResult {
  const fqdn = toFqdn(service, ctx.namespace);
  const problems = new Map<string, Probe[]>();
  const note = (probe: Probe, text: string) => {
    const list = problems.get(text);
    if (list) list.push(probe);
    else problems.set(text, [probe]);
  };
  const fine: string[] = [];
  for (const probe of probes) {
    const result = run(ctx, { requests: EXACT_REQUESTS, ...probe });
    const shares = versionShares(result, service);
    if (Math.abs((shares[version] ?? 0) - 100) > 1e-6) {
      const errors = result.summary.statuses.some((s) => s.status >= 400)
        ? `; responses: ${describeStatuses(result)}`
        : '';
      note(probe, `${describeShares(shares)}, expected ${version} 100%${errors}`);
      continue;
    }
    const subsets = subsetsTaken(ctx, probe, result, fqdn);
    if (subsets.has(undefined)) {
      note(
        probe,
        `reach ${version} only because no other version of ${service} runs today: no route sends them to a ${version} subset, so a new version would get traffic as soon as it is deployed`,
      );
      continue;
    }
    const bad: string[] = [];
    for (const name of subsets) {
      const labels = name ? ctx.snapshot.subset(fqdn, name)?.subset.labels : undefined;
      if (labels?.version !== version) {
        const text = Object.entries(labels ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        bad.push(`subset ${name} selects ${text ? `by ${text}` : 'every pod'}, not by version: ${version}`);
      }
    }
    if (bad.length) note(probe, bad.join('; '));
    else fine.push(`${service} → subset ${[...subsets].join(', ')} (${version})`);
  }
  if (problems.size === 0) return pass([...new Set(fine)].join('; '));
  const text = [...problems]
    .map(([why, list]) => {
      const more =
        list.length > 1 ? ` (and ${list.length - 1} other request shape${list.length > 2 ? 's' : ''})` : '';
      return `${describeProbe(list[0]!)}${more}: ${why}`;
    })
    .join('; ');
  return withFindings(ctx, fail(text), service);
}
