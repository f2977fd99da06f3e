// Evaluates the declarative checks of "write the YAML" questions against a
// Snapshot: each check states one fact about the mesh that the learner's YAML
// must produce, and reports what it found when the fact does not hold.
import { hostCovers, splitGatewayHost } from '../config/hosts.ts';
import type { TrafficPolicy } from '../config/schemas/index.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type {
  FaultCheck,
  GatewayServerCheck,
  MirrorCheck,
  OutboundModeCheck,
  PolicyCheck,
  RetriesCheck,
  RoutesToCheck,
  ServiceEntryCheck,
  SubsetsCheck,
  TimeoutCheck,
  YamlCheck,
} from './quiz-check-schema.ts';
import { qualify, selectRoute, targetLabel } from './quiz-routing.ts';

export interface CheckResult {
  ok: boolean;
  /** what the check expects, in words */
  label: string;
  /** when not ok: what was found instead */
  detail?: string;
}

const UNITS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/** A Go duration in milliseconds, or undefined when it is not one. */
export function durationMs(text: string | undefined): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (UNITS[m[2] ?? ''] ?? Number.NaN);
    end = re.lastIndex;
  }
  return end === text.length && Number.isFinite(total) ? total : undefined;
}

const pct = (n: number) => `${Math.round(n * 10) / 10}%`;

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

const result = (label: string, problems: string[]): CheckResult =>
  problems.length ? { ok: false, label, detail: problems.join('; ') } : { ok: true, label };

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

function subsets(snapshot: Snapshot, c: SubsetsCheck): CheckResult {
  const names = Object.keys(c.subsets);
  const label = `a DestinationRule for ${c.host} defines subsets ${names.join(', ')}`;
  const fq = qualify(c.host);
  if (snapshot.destinationRulesFor(fq).length === 0)
    return result(label, [`no DestinationRule has host ${c.host}`]);
  const problems: string[] = [];
  for (const [name, labels] of Object.entries(c.subsets)) {
    const found = snapshot.subset(fq, name);
    if (!found) {
      problems.push(`subset ${name} is missing`);
      continue;
    }
    const have = found.subset.labels ?? {};
    const wrong = Object.entries(labels).filter(([k, v]) => have[k] !== v);
    if (wrong.length)
      problems.push(`subset ${name} selects ${JSON.stringify(have)}, not ${JSON.stringify(labels)}`);
    const svc = snapshot.service(fq);
    if (svc && snapshot.endpoints(svc, have).length === 0) problems.push(`subset ${name} selects no pods`);
  }
  return result(label, problems);
}

function lookup(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function sameValue(actual: unknown, expected: string | number | boolean): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && actual === expected;
  if (typeof expected === 'boolean') return actual === expected;
  if (typeof actual !== 'string') return false;
  const a = durationMs(actual);
  const e = durationMs(expected);
  if (a !== undefined && e !== undefined) return a === e;
  return actual === expected;
}

function policy(snapshot: Snapshot, c: PolicyCheck): CheckResult {
  const label = `the traffic policy for ${c.host}${c.subset ? ` subset ${c.subset}` : ''} sets ${Object.entries(
    c.expect,
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
  const fq = qualify(c.host);
  const rules = snapshot.destinationRulesFor(fq);
  if (rules.length === 0) return result(label, [`no DestinationRule has host ${c.host}`]);
  let effective: TrafficPolicy = {};
  for (const r of rules) effective = { ...r.spec.trafficPolicy, ...effective };
  if (c.subset) {
    const found = snapshot.subset(fq, c.subset);
    if (!found) return result(label, [`subset ${c.subset} is defined by no DestinationRule`]);
    // A subset's policy replaces the top-level settings it names (field by field).
    effective = { ...effective, ...found.subset.trafficPolicy };
  }
  const problems: string[] = [];
  for (const [path, want] of Object.entries(c.expect)) {
    const have = lookup(effective, path);
    if (!sameValue(have, want))
      problems.push(`${path} is ${have === undefined ? '(unset)' : JSON.stringify(have)}`);
  }
  return result(label, problems);
}

function gatewayServer(snapshot: Snapshot, c: GatewayServerCheck): CheckResult {
  const selector = c.selector ?? { istio: 'ingressgateway' };
  const extras = [
    c.protocol,
    c.tlsMode ? `TLS ${c.tlsMode}` : '',
    c.credentialName ? `credential ${c.credentialName}` : '',
  ].filter(Boolean);
  const label = `a Gateway on ${Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')} serves ${c.host} on port ${c.port}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  const gws = snapshot.gateways.filter((g) =>
    Object.entries(selector).every(([k, v]) => g.spec.selector?.[k] === v),
  );
  if (gws.length === 0) return result(label, ['no Gateway selects those gateway pods']);
  const servers = gws.flatMap((g) =>
    (g.spec.servers ?? []).filter((s) =>
      (s.hosts ?? []).some((h) => hostCovers(splitGatewayHost(h).host, c.host)),
    ),
  );
  if (servers.length === 0) return result(label, [`no Gateway server lists host ${c.host}`]);
  const onPort = servers.filter((s) => s.port?.number === c.port);
  if (onPort.length === 0)
    return result(label, [
      `the host is served on port ${servers.map((s) => s.port?.number ?? '?').join(', ')}`,
    ]);
  let best: string[] | undefined;
  for (const s of onPort) {
    const p: string[] = [];
    if (c.protocol && (s.port?.protocol ?? '').toUpperCase() !== c.protocol.toUpperCase())
      p.push(`protocol is ${s.port?.protocol ?? '(unset)'}`);
    if (c.tlsMode && s.tls?.mode !== c.tlsMode) p.push(`tls.mode is ${s.tls?.mode ?? '(unset)'}`);
    if (c.credentialName && s.tls?.credentialName !== c.credentialName)
      p.push(`tls.credentialName is ${s.tls?.credentialName ?? '(unset)'}`);
    if (!best || p.length < best.length) best = p;
  }
  return result(label, best ?? []);
}

function serviceEntry(snapshot: Snapshot, c: ServiceEntryCheck): CheckResult {
  const extras = [
    c.port ? `port ${c.port}${c.protocol ? `/${c.protocol}` : ''}` : '',
    c.location ?? '',
    c.resolution ? `resolution ${c.resolution}` : '',
  ].filter(Boolean);
  const label = `a ServiceEntry registers ${c.host}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  const entries = snapshot.serviceEntriesFor(c.host);
  if (entries.length === 0) return result(label, [`no ServiceEntry lists host ${c.host}`]);
  let best: string[] | undefined;
  for (const se of entries) {
    const p: string[] = [];
    if (c.port !== undefined) {
      const port = (se.spec.ports ?? []).find((x) => x.number === c.port);
      if (!port) p.push(`ServiceEntry ${se.name} has no port ${c.port}`);
      else if (c.protocol && (port.protocol ?? '').toUpperCase() !== c.protocol.toUpperCase())
        p.push(`port ${c.port} has protocol ${port.protocol ?? '(unset)'}`);
    }
    if (c.location && (se.spec.location ?? 'MESH_EXTERNAL') !== c.location)
      p.push(`location is ${se.spec.location ?? 'MESH_EXTERNAL'}`);
    if (c.resolution && se.spec.resolution !== c.resolution)
      p.push(`resolution is ${se.spec.resolution ?? '(unset: NONE)'}`);
    if (!best || p.length < best.length) best = p;
  }
  return result(label, best ?? []);
}

function outboundMode(snapshot: Snapshot, c: OutboundModeCheck): CheckResult {
  const label = `the mesh's outbound traffic policy is ${c.mode}`;
  const mode = snapshot.mesh.outboundMode;
  return result(label, mode === c.mode ? [] : [`it is ${mode} (${snapshot.mesh.source})`]);
}
