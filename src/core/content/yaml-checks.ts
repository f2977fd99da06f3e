// Evaluates the declarative checks of "write the YAML" questions against a
// Snapshot: each check states one fact about the mesh that the learner's YAML
// must produce, and reports what it found when the fact does not hold. The
// checks that follow a request through the routes live here; those that read
// resources directly are in quiz-resource-checks.ts.
import type { Snapshot } from '../config/snapshot.ts';
import type {
  FaultCheck,
  MirrorCheck,
  RetriesCheck,
  RoutesToCheck,
  TimeoutCheck,
  YamlCheck,
} from './quiz-check-schema.ts';
import { type CheckResult, durationMs, pct, result } from './quiz-check-util.ts';
import { gatewayServer, outboundMode, policy, serviceEntry, subsets } from './quiz-resource-checks.ts';
import { qualify, selectRoute, targetLabel } from './quiz-routing.ts';

export { type CheckResult, durationMs } from './quiz-check-util.ts';

export function runChecks(snapshot: Snapshot, checks: readonly YamlCheck[]): CheckResult[] {
  return checks.map((c) => runCheck(snapshot, c));
}

export function runCheck(snapshot: Snapshot, c: YamlCheck): CheckResult {
  switch (c.check) {
    case 'routes-to':
      return routesTo(snapshot, c);
    case 'fault':
      return fault(snapshot, c);
    case 'timeout':
      return timeout(snapshot, c);
    case 'retries':
      return retries(snapshot, c);
    case 'mirror':
      return mirror(snapshot, c);
    case 'subsets':
      return subsets(snapshot, c);
    case 'policy':
      return policy(snapshot, c);
    case 'gateway-server':
      return gatewayServer(snapshot, c);
    case 'service-entry':
      return serviceEntry(snapshot, c);
    case 'outbound-mode':
      return outboundMode(snapshot, c);
  }
}

function destName(host: string, sub: string | undefined, checkHost: string): string {
  const subset = sub === '*' ? undefined : sub;
  const h = qualify(host) === qualify(checkHost) ? '' : host;
  if (h && subset) return `${h} ${subset}`;
  return h || subset || host;
}

function routesTo(snapshot: Snapshot, c: RoutesToCheck): CheckResult {
  const label = `${targetLabel(c)} goes ${c.destinations
    .map((d) => `${pct(d.weight)} to ${destName(d.host ?? c.host, d.subset, c.host)}`)
    .join(', ')}`;
  const sel = selectRoute(snapshot, c);
  if (!sel.ok) return result(label, [sel.reason]);
  const routes = sel.rule.route ?? [];
  if (routes.length === 0)
    return result(label, [`rule http[${sel.index}] has no route (redirect or direct response)`]);
  const problems: string[] = [];
  const weights = routes.map((r) => (routes.length === 1 ? 1 : Math.max(0, r.weight ?? 0)));
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return result(label, ['every destination has weight 0: the route is rejected']);
  // An expected subset "*" accepts any subset (or none) of that host.
  const anySubset = new Set(
    c.destinations.filter((d) => d.subset === '*').map((d) => qualify(d.host ?? c.host)),
  );
  const actual = new Map<string, { share: number; ports: Set<number | undefined>; name: string }>();
  routes.forEach((r, i) => {
    const share = ((weights[i] ?? 0) / sum) * 100;
    if (share === 0) return;
    const host = qualify(r.destination?.host ?? '', sel.vs.namespace);
    const subset = r.destination?.subset;
    const key = `${host}|${anySubset.has(host) ? '*' : (subset ?? '')}`;
    const entry = actual.get(key) ?? {
      share: 0,
      ports: new Set<number | undefined>(),
      name: destName(r.destination?.host ?? '?', subset, c.host),
    };
    entry.share += share;
    entry.ports.add(r.destination?.port?.number);
    actual.set(key, entry);
    if (!snapshot.hostExists(host))
      problems.push(`destination host ${r.destination?.host ?? '(none)'} is no Service or ServiceEntry`);
    else if (subset) {
      const found = snapshot.subset(host, subset);
      if (!found)
        problems.push(
          `subset ${subset} of ${r.destination?.host} is defined by no DestinationRule (503, flag NC)`,
        );
      else {
        const svc = snapshot.service(host);
        if (svc && snapshot.endpoints(svc, found.subset.labels).length === 0)
          problems.push(`subset ${subset} of ${r.destination?.host} selects no pods (503, flag UH)`);
      }
    }
  });
  const expected = new Map<string, { weight: number; port?: number | undefined; name: string }>();
  for (const d of c.destinations) {
    const key = `${qualify(d.host ?? c.host)}|${d.subset ?? ''}`;
    const prev = expected.get(key);
    expected.set(key, {
      weight: (prev?.weight ?? 0) + d.weight,
      port: d.port,
      name: destName(d.host ?? c.host, d.subset, c.host),
    });
  }
  const found = [...actual.values()].map((a) => `${pct(a.share)} to ${a.name}`).join(', ');
  let mismatch = false;
  for (const [key, e] of expected) {
    const a = actual.get(key);
    if (!a) {
      if (e.weight > 0) mismatch = true;
      continue;
    }
    if (Math.abs(a.share - e.weight) > 0.5) mismatch = true;
    if (e.port !== undefined && [...a.ports].some((p) => p !== e.port))
      problems.push(`${e.name} must be addressed on port ${e.port}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) mismatch = true;
  if (mismatch) {
    const raw = routes.some((r) => r.weight !== undefined) && routes.length > 1 && sum !== 100;
    problems.unshift(
      `it goes ${found}${raw ? ` (weights sum to ${sum}; Envoy normalizes them)` : ''}, via rule http[${sel.index}] of VirtualService ${sel.vs.name}`,
    );
  }
  return result(label, problems);
}

function percentOf(p: {
  percentage?: { value?: number | undefined } | undefined;
  percent?: number | undefined;
}): number {
  return p.percentage?.value ?? p.percent ?? 0;
}

function fault(snapshot: Snapshot, c: FaultCheck): CheckResult {
  const parts: string[] = [];
  if (c.delay === 'none') parts.push('no delay');
  else if (c.delay) parts.push(`a ${c.delay.fixedDelay} delay on ${pct(c.delay.percent)}`);
  if (c.abort === 'none') parts.push('no abort');
  else if (c.abort) parts.push(`an HTTP ${c.abort.httpStatus} abort on ${pct(c.abort.percent)}`);
  const label = `${targetLabel(c)} gets ${parts.join(' and ')}`;
  const sel = selectRoute(snapshot, c);
  if (!sel.ok) return result(label, [sel.reason]);
  const f = sel.rule.fault;
  const problems: string[] = [];
  const d = f?.delay;
  if (c.delay === 'none') {
    if (d && percentOf(d) > 0)
      problems.push(`rule http[${sel.index}] delays ${pct(percentOf(d))} of requests`);
  } else if (c.delay) {
    if (!d) problems.push(`rule http[${sel.index}] injects no delay`);
    else {
      const ms = durationMs(d.fixedDelay);
      if (ms !== durationMs(c.delay.fixedDelay)) problems.push(`fixedDelay is ${d.fixedDelay ?? '(unset)'}`);
      const p = percentOf(d);
      if (Math.abs(p - c.delay.percent) > 0.001)
        problems.push(
          d.percentage === undefined && d.percent === undefined
            ? 'the delay has no percentage, so it never fires'
            : `the delay fires on ${pct(p)} of requests`,
        );
    }
  }
  const a = f?.abort;
  if (c.abort === 'none') {
    if (a && percentOf(a) > 0)
      problems.push(`rule http[${sel.index}] aborts ${pct(percentOf(a))} of requests`);
  } else if (c.abort) {
    if (!a) problems.push(`rule http[${sel.index}] injects no abort`);
    else {
      if (a.httpStatus !== c.abort.httpStatus) problems.push(`httpStatus is ${a.httpStatus ?? '(unset)'}`);
      const p = percentOf(a);
      if (Math.abs(p - c.abort.percent) > 0.001)
        problems.push(
          a.percentage === undefined
            ? 'the abort has no percentage, so it never fires'
            : `the abort fires on ${pct(p)} of requests`,
        );
    }
  }
  return result(label, problems);
}

function timeout(snapshot: Snapshot, c: TimeoutCheck): CheckResult {
  const want = [
    c.equals === 'none' ? 'no timeout' : c.equals ? `a ${c.equals} timeout` : '',
    c.atLeast ? `a timeout of at least ${c.atLeast}` : '',
  ].filter(Boolean);
  const label = `${targetLabel(c)} has ${want.join(' and ')}`;
  const sel = selectRoute(snapshot, c);
  if (!sel.ok) return result(label, [sel.reason]);
  const t = sel.rule.timeout;
  const ms = durationMs(t);
  const has = ms !== undefined && ms > 0;
  const problems: string[] = [];
  const found = has ? `the timeout is ${t}` : 'rule has no timeout';
  if (c.equals === 'none' && has) problems.push(found);
  else if (c.equals && c.equals !== 'none' && ms !== durationMs(c.equals)) problems.push(found);
  if (c.atLeast && (!has || (ms ?? 0) < (durationMs(c.atLeast) ?? 0))) problems.push(found);
  return result(label, [...new Set(problems)]);
}

function retries(snapshot: Snapshot, c: RetriesCheck): CheckResult {
  const want = [
    c.attempts !== undefined ? `${c.attempts} attempts` : '',
    c.perTryTimeout ? `perTryTimeout ${c.perTryTimeout}` : '',
    c.retryOn ? `retryOn ${c.retryOn.join(',')}` : '',
  ].filter(Boolean);
  const label = `${targetLabel(c)} retries with ${want.join(', ')}`;
  const sel = selectRoute(snapshot, c);
  if (!sel.ok) return result(label, [sel.reason]);
  const r = sel.rule.retries;
  if (!r) return result(label, [`rule http[${sel.index}] has no retries`]);
  const problems: string[] = [];
  if (c.attempts !== undefined && r.attempts !== c.attempts)
    problems.push(`attempts is ${r.attempts ?? '(unset)'}`);
  if (c.perTryTimeout && durationMs(r.perTryTimeout) !== durationMs(c.perTryTimeout))
    problems.push(`perTryTimeout is ${r.perTryTimeout ?? '(unset)'}`);
  if (c.retryOn) {
    const have = (r.retryOn ?? '').split(',');
    const missing = c.retryOn.filter((x) => !have.includes(x));
    if (missing.length) problems.push(`retryOn "${r.retryOn ?? ''}" lacks ${missing.join(', ')}`);
  }
  return result(label, problems);
}

function mirror(snapshot: Snapshot, c: MirrorCheck): CheckResult {
  const to = c.to;
  const label =
    to === 'none'
      ? `${targetLabel(c)} is not mirrored`
      : `${targetLabel(c)} is mirrored (${pct(c.percent ?? 100)}) to ${to.host}${to.subset ? ` ${to.subset}` : ''}`;
  const sel = selectRoute(snapshot, c);
  if (!sel.ok) return result(label, [sel.reason]);
  const rule = sel.rule;
  const targets: { host: string; subset?: string | undefined; percent: number }[] = [];
  if (rule.mirror)
    targets.push({
      host: rule.mirror.host ?? '',
      subset: rule.mirror.subset,
      percent: rule.mirrorPercentage?.value ?? 100,
    });
  for (const m of rule.mirrors ?? [])
    targets.push({
      host: m.destination?.host ?? '',
      subset: m.destination?.subset,
      percent: m.percentage?.value ?? 100,
    });
  const active = targets.filter((t) => t.percent > 0);
  if (to === 'none')
    return result(label, active.length ? [`rule http[${sel.index}] mirrors to ${active[0]?.host}`] : []);
  const wanted = active.find(
    (t) => qualify(t.host, sel.vs.namespace) === qualify(to.host) && (t.subset ?? '') === (to.subset ?? ''),
  );
  if (!wanted) {
    return result(label, [
      active.length
        ? `it mirrors to ${active.map((t) => `${t.host}${t.subset ? ` ${t.subset}` : ''}`).join(', ')}`
        : `rule http[${sel.index}] mirrors nothing`,
    ]);
  }
  const problems: string[] = [];
  if (Math.abs(wanted.percent - (c.percent ?? 100)) > 0.001)
    problems.push(`it mirrors ${pct(wanted.percent)}`);
  const fq = qualify(wanted.host, sel.vs.namespace);
  if (wanted.subset && !snapshot.subset(fq, wanted.subset))
    problems.push(`mirror subset ${wanted.subset} is defined by no DestinationRule: the copies are dropped`);
  return result(label, problems);
}
