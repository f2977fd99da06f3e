// Evaluates the declarative checks of "write the YAML" questions against a
// Snapshot: each check states one fact about the mesh that the learner's YAML
// must produce, and reports what it found when the fact does not hold. The
// checks that follow a request through the routes live here; those that read
// resources directly are in quiz-resource-checks.ts.
import type { Snapshot } from '../config/snapshot.ts';
import type { DestinationFailure, MirrorSummary } from '../sim/route-request.ts';
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
  return h || subset || checkHost;
}

/** A destination's failure at the caller's proxy, as a problem: `... (503, flag NC)`. */
function failureText(what: string, f: DestinationFailure): string {
  return `${what}: ${f.reason} (${f.status || 'connection closed'}, flag ${f.flags})`;
}

function routesTo(snapshot: Snapshot, c: RoutesToCheck): CheckResult {
  const label = `${targetLabel(c)} goes ${c.destinations
    .map((d) => `${pct(d.weight)} to ${destName(d.host ?? c.host, d.subset, c.host)}`)
    .join(', ')}`;
  const sel = selectRoute(snapshot, c);
  if (!sel.ok) return result(label, [sel.reason]);
  const r = sel.result;
  if (r.outcome !== 'route') return result(label, [`${sel.rule} has no route (${r.reason})`]);
  const problems: string[] = [];
  // An expected subset "*" accepts any subset (or none) of that host.
  const anySubset = new Set(
    c.destinations.filter((d) => d.subset === '*').map((d) => qualify(d.host ?? c.host)),
  );
  const actual = new Map<string, { share: number; ports: Set<number>; name: string }>();
  for (const d of r.destinations) {
    const key = `${d.host}|${anySubset.has(d.host) ? '*' : (d.subset ?? '')}`;
    const entry = actual.get(key) ?? {
      share: 0,
      ports: new Set<number>(),
      name: destName(d.host, d.subset, c.host),
    };
    entry.share += d.share * 100;
    entry.ports.add(d.port);
    actual.set(key, entry);
    if (d.failure) problems.push(failureText(destName(d.host, d.subset, c.host), d.failure));
  }
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
    const weights = r.destinations.map((d) => d.weight);
    const sum = weights.reduce<number>((a, w) => a + (w ?? 0), 0);
    const raw = weights.length > 1 && weights.some((w) => w !== undefined) && sum !== 100;
    const how = r.virtualService ? `via ${sel.rule}` : r.reason;
    problems.unshift(
      `it goes ${found}${raw ? ` (weights sum to ${sum}; Envoy normalizes them)` : ''}, ${how}`,
    );
  }
  return result(label, problems);
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
  const f = sel.result.fault;
  const problems: string[] = [];
  const d = f?.delay;
  if (c.delay === 'none') {
    if (d && d.percent > 0) problems.push(`${sel.rule} delays ${pct(d.percent)} of requests`);
  } else if (c.delay) {
    if (!d) problems.push(`${sel.rule} injects no delay`);
    else {
      if (d.ms !== durationMs(c.delay.fixedDelay))
        problems.push(`fixedDelay is ${d.fixedDelay || '(unset)'}`);
      if (Math.abs(d.percent - c.delay.percent) > 0.001)
        problems.push(
          d.percentSet
            ? `the delay fires on ${pct(d.percent)} of requests`
            : 'the delay has no percentage, so it never fires',
        );
    }
  }
  const a = f?.abort;
  if (c.abort === 'none') {
    if (a && a.percent > 0) problems.push(`${sel.rule} aborts ${pct(a.percent)} of requests`);
  } else if (c.abort) {
    if (!a) problems.push(`${sel.rule} injects no abort`);
    else {
      if (a.httpStatus !== c.abort.httpStatus) problems.push(`httpStatus is ${a.httpStatus ?? '(unset)'}`);
      if (Math.abs(a.percent - c.abort.percent) > 0.001)
        problems.push(
          a.percentSet
            ? `the abort fires on ${pct(a.percent)} of requests`
            : 'the abort has no percentage, so it never fires',
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
  const ms = sel.result.timeoutMs;
  const has = ms > 0;
  const problems: string[] = [];
  const found = has ? `the timeout is ${sel.result.timeout}` : `${sel.rule} has no timeout`;
  if (c.equals === 'none' && has) problems.push(found);
  else if (c.equals && c.equals !== 'none' && ms !== durationMs(c.equals)) problems.push(found);
  if (c.atLeast && (!has || ms < (durationMs(c.atLeast) ?? 0))) problems.push(found);
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
  const r = sel.result.retries;
  if (!r) return result(label, [`${sel.rule} disables retries`]);
  if (r.source === 'default')
    return result(label, [
      `${sel.rule} sets no retries (Istio's default applies: ${r.attempts} attempts on ${r.retryOn})`,
    ]);
  const problems: string[] = [];
  if (c.attempts !== undefined && r.attempts !== c.attempts) problems.push(`attempts is ${r.attempts}`);
  if (c.perTryTimeout && durationMs(r.perTryTimeout) !== durationMs(c.perTryTimeout))
    problems.push(`perTryTimeout is ${r.perTryTimeout ?? '(unset)'}`);
  if (c.retryOn) {
    const have = r.retryOn.split(',');
    const missing = c.retryOn.filter((x) => !have.includes(x));
    if (missing.length) problems.push(`retryOn "${r.retryOn}" lacks ${missing.join(', ')}`);
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
  const active = sel.result.mirrors.filter((m) => m.share > 0);
  const name = (m: MirrorSummary) => `${m.host}${m.subset ? ` ${m.subset}` : ''}`;
  if (to === 'none')
    return result(label, active.length ? [`${sel.rule} mirrors to ${name(active[0]!)}`] : []);
  const wanted = active.find((m) => m.host === qualify(to.host) && (m.subset ?? '') === (to.subset ?? ''));
  if (!wanted) {
    return result(label, [
      active.length ? `it mirrors to ${active.map(name).join(', ')}` : `${sel.rule} mirrors nothing`,
    ]);
  }
  const problems: string[] = [];
  const percent = wanted.share * 100;
  if (Math.abs(percent - (c.percent ?? 100)) > 0.001) problems.push(`it mirrors ${pct(percent)}`);
  if (wanted.failure)
    problems.push(
      wanted.failure.flags === 'NC'
        ? `mirror subset ${wanted.subset ?? ''} is defined by no DestinationRule: the copies are dropped`
        : failureText(`the mirror ${name(wanted)}`, wanted.failure),
    );
  return result(label, problems);
}
