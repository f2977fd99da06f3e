// `istioctl x describe pod` offline: the pod's Services, the DestinationRule
// and subsets that select it, the VirtualService routes that send traffic to
// it (and how many do not), the ingress gateways that expose it, and the mTLS
// mode. Which routes reach the pod is read from the simulator's compiled
// tables and clusters: a route reaches it when its cluster's endpoints hold
// one of the pod's replicas.
import { type DestinationRule, labelsMatch, type ServiceInfo } from '../config/snapshot.ts';
import type { CompiledRule } from '../sim/routes.ts';
import { podDataplaneLines, serviceWaypointLines } from './describe-ambient.ts';
import { peerAuthenticationLines, rbacPolicyNames } from './describe-security.ts';
import type { ProxyTarget } from './proxy.ts';
import type { EnvoyView } from './view.ts';

function servicesOf(view: EnvoyView, proxy: ProxyTarget): ServiceInfo[] {
  return view.snapshot
    .services()
    .filter(
      (s) =>
        s.namespace === proxy.namespace &&
        Object.keys(s.selector).length > 0 &&
        labelsMatch(s.selector, proxy.workload.labels),
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function matchText(rule: CompiledRule): string {
  const matches = rule.source?.http?.match;
  if (!matches?.length) return 'everything';
  return matches
    .map((m) => {
      const parts: string[] = [];
      for (const [k, v] of Object.entries(m.headers ?? {})) {
        const [op, val] = Object.entries(v)[0] ?? ['present', ''];
        parts.push(`Header ${k} ${op} "${val}"`);
      }
      if (m.uri) {
        const [op, val] = Object.entries(m.uri)[0] ?? ['', ''];
        parts.push(`uri ${op} "${val}"`);
      }
      if (m.port !== undefined) parts.push(`port ${m.port}`);
      if (m.sourceLabels)
        parts.push(
          `from ${Object.entries(m.sourceLabels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`,
        );
      return parts.join(' and ') || 'everything';
    })
    .join(' or ');
}

function weightText(rule: CompiledRule, i: number): string {
  if (rule.clusters.length < 2) return '';
  const prev = i === 0 ? 0 : rule.cumulative[i - 1]!;
  return ` with weight ${Math.round((rule.cumulative[i]! - prev) * 100)}%`;
}

/** istioctl's kname: the name alone in the pod's namespace, else name.namespace. */
function kname(r: { name: string; namespace: string }, podNamespace: string): string {
  return r.namespace === podNamespace ? r.name : `${r.name}.${r.namespace}`;
}

type TrafficPolicy = NonNullable<DestinationRule['spec']['trafficPolicy']>;

/** "load balancer/connection pool/outlier detection" as istioctl's recordShortPolicies. */
function shortPolicies(p: Partial<TrafficPolicy>, indent: string): string[] {
  const extra: string[] = [];
  if (p.loadBalancer) extra.push('load balancer');
  if (p.connectionPool) extra.push('connection pool');
  if (p.outlierDetection) extra.push('outlier detection');
  return extra.length ? [`${indent}Policies: ${extra.join('/')}`] : [];
}

/** A DestinationRule's traffic policy as istioctl 1.26 prints it (printDestinationRule). */
function trafficPolicyLines(tp: TrafficPolicy | undefined): string[] {
  if (!tp) return ['   No Traffic Policy'];
  const out: string[] = [];
  if (tp.tls) out.push(`   Traffic Policy TLS Mode: ${tp.tls.mode ?? 'DISABLE'}`);
  out.push(...shortPolicies(tp, '   '));
  if (tp.portLevelSettings) {
    out.push('   Port Level Settings:');
    for (const ps of tp.portLevelSettings) {
      out.push(`    ${ps.port?.number ?? 0}:`);
      if (ps.tls) out.push(`      TLS Mode: ${ps.tls.mode ?? 'DISABLE'}`);
      out.push(...shortPolicies(ps, '      '));
    }
  }
  return out;
}

/** The describe text (istioctl's layout: sections between dashed lines). */
export function describePod(view: EnvoyView, proxy: ProxyTarget): string {
  const { snapshot, mesh } = view;
  const w = proxy.workload;
  const out: string[] = [];
  const services = servicesOf(view, proxy);
  const ports = services.flatMap((s) => s.ports.map((p) => `${p.targetPort ?? p.port} (${s.name})`));
  out.push(`Pod: ${proxy.pod}`);
  out.push('   Pod Revision: default');
  const proxyPort = w.dataplane === 'sidecar' ? ['15090 (istio-proxy)'] : [];
  out.push(`   Pod Ports: ${[...new Set(ports), ...proxyPort].join(', ')}`);
  out.push(...podDataplaneLines(snapshot, w));
  if (proxy.gateway) {
    out.push(
      `   Gateway proxy: routes by ${proxy.caller.contexts.map((c) => `Gateway ${c}`).join(', ') || 'no Gateway (it selects no server)'}`,
    );
  }
  if (services.length === 0) out.push("Suggestion: add a Service whose selector matches this pod's labels");
  for (const svc of services) {
    out.push('--------------------');
    out.push(`Service: ${kname(svc, proxy.namespace)}`);
    for (const p of svc.ports) {
      const proto = /^(https?|http2|grpc|tcp|tls)/i.exec(p.name ?? '')?.[1]?.toUpperCase() ?? 'auto-detect';
      out.push(`   Port: ${p.name ?? ''} ${p.port}/${proto} targets pod port ${p.targetPort ?? p.port}`);
    }
    out.push(...serviceWaypointLines(snapshot, mesh, w, svc));
    const rules = snapshot.destinationRulesFor(svc.fqdn);
    const dr = rules[0];
    if (dr) {
      out.push(`DestinationRule: ${kname(dr, proxy.namespace)} for "${dr.spec.host}"`);
      const subsets = dr.spec.subsets ?? [];
      const matching = subsets.filter((s) => labelsMatch(s.labels ?? {}, w.labels)).map((s) => s.name);
      const other = subsets.filter((s) => !matching.includes(s.name)).map((s) => s.name);
      if (subsets.length) {
        out.push(`   Matching subsets: ${matching.join(',') || '(none)'}`);
        if (other.length) out.push(`      (Non-matching subsets ${other.join(',')})`);
      }
      out.push(...trafficPolicyLines(dr.spec.trafficPolicy));
    }
    for (const p of svc.ports) {
      const rules = mesh.table('mesh', svc.fqdn, p.port);
      const first = rules?.find((r) => r.source)?.source?.vs;
      if (!rules || !first) continue;
      out.push(`VirtualService: ${kname(first, proxy.namespace)}`);
      let reaching = 0;
      let missing = 0;
      const notes: string[] = [];
      for (const rule of rules) {
        if (rule.action !== 'route') continue;
        rule.clusters.forEach((c, i) => {
          const here = c.endpoints.some((ep) => ep.workload === w);
          const subset = c.subset ? ` subset "${c.subset}"` : '';
          if (here) {
            reaching++;
            out.push(`   Route to host "${c.host}"${subset}${weightText(rule, i)} for (${matchText(rule)})`);
          } else {
            missing++;
            if (c.missing) notes.push(`      Route to ${c.name}: ${c.missing} (503 NC)`);
            else if (c.endpoints.length === 0) notes.push(`      Route to ${c.name}: no pods (503 UH)`);
          }
        });
      }
      if (reaching === 0)
        out.push(`   WARNING: No destinations match pod subsets (checked ${rules.length} HTTP routes)`);
      if (missing > 0) out.push(`   ${missing} additional destination(s) that will not reach this pod`);
      out.push(...notes);
    }
    const rbac = rbacPolicyNames(snapshot, w);
    if (rbac.length > 0 && w.dataplane === 'sidecar')
      for (const p of svc.ports)
        out.push(`${svc.ports.length > 1 ? `${p.port} ` : ''}RBAC policies: ${rbac.join(', ')}`);
  }
  out.push('--------------------');
  out.push(...peerAuthenticationLines(snapshot, w));
  const exposed = exposedBy(view, services, proxy.namespace);
  if (exposed.length) {
    out.push('');
    out.push('');
    for (const e of exposed) out.push(e);
  }
  return `${out.join('\n')}\n`;
}

/** The ingress gateway routes that lead to this pod's services. */
function exposedBy(view: EnvoyView, services: ServiceInfo[], namespace: string): string[] {
  const out: string[] = [];
  const fqdns = new Set(services.map((s) => s.fqdn));
  for (const gw of view.snapshot.gateways) {
    const ref = `${gw.namespace}/${gw.name}`;
    for (const vs of view.snapshot.virtualServices) {
      if (!view.snapshot.gatewayRefs(vs).includes(ref)) continue;
      const host = (vs.spec.hosts ?? [])[0];
      const port = gw.spec.servers?.[0]?.port?.number ?? 80;
      if (host === undefined) continue;
      const rules = view.mesh.table(ref, host.toLowerCase(), port) ?? [];
      const hits = rules.filter((r) => r.clusters.some((c) => fqdns.has(c.host)));
      if (hits.length === 0) continue;
      const ip = view.addresses.service('istio-ingressgateway.istio-system.svc.cluster.local') ?? '-';
      out.push(`Exposed on Ingress Gateway http://${ip}`);
      out.push(`VirtualService: ${kname(vs, namespace)}`);
      const uris = hits.flatMap((r) =>
        (r.source?.http?.match ?? [{}]).map(
          (m) =>
            m.uri?.exact ??
            (m.uri?.prefix !== undefined ? `${m.uri.prefix}*` : m.uri?.regex ? `regex ${m.uri.regex}` : '/*'),
        ),
      );
      out.push(`   ${uris.join(', ')}`);
    }
  }
  return out;
}
