// Quiz checks that read resources directly (no request routing): subsets,
// traffic policies, Gateway servers, ServiceEntries and the mesh's outbound mode.
import { hostCovers, splitGatewayHost } from '../config/hosts.ts';
import type { TrafficPolicy } from '../config/schemas/index.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type {
  GatewayServerCheck,
  OutboundModeCheck,
  PolicyCheck,
  ServiceEntryCheck,
  SubsetsCheck,
} from './quiz-check-schema.ts';
import { type CheckResult, durationMs, result } from './quiz-check-util.ts';
import { qualify } from './quiz-routing.ts';

export function subsets(snapshot: Snapshot, c: SubsetsCheck): CheckResult {
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

export function policy(snapshot: Snapshot, c: PolicyCheck): CheckResult {
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

export function gatewayServer(snapshot: Snapshot, c: GatewayServerCheck): CheckResult {
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

export function serviceEntry(snapshot: Snapshot, c: ServiceEntryCheck): CheckResult {
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

export function outboundMode(snapshot: Snapshot, c: OutboundModeCheck): CheckResult {
  const label = `the mesh's outbound traffic policy is ${c.mode}`;
  const mode = snapshot.mesh.outboundMode;
  return result(label, mode === c.mode ? [] : [`it is ${mode} (${snapshot.mesh.source})`]);
}
