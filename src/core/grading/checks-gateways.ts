// Grader building blocks for the ingress and egress labs: gateway workloads, the
// Gateways that select them and the servers they open (host, port, protocol, TLS).
// Structural: the simulator does not model TLS.
import { hostCovers, splitGatewayHost } from '../config/hosts.ts';
import type { Server } from '../config/schemas/index.ts';
import { type Gateway, labelsMatch, type Workload } from '../config/snapshot.ts';
import { fail, pass } from './checks.ts';
import { attach, findingsOn } from './checks-findings.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** A gateway workload by name (`istio-ingressgateway`, `istio-egressgateway`). */
export function gatewayWorkload(ctx: GradeContext, name: string): Workload | undefined {
  const all = ctx.snapshot.workloadsMatching({});
  // offline the model names the Deployment; on a cluster the Pods are <deployment>-<hash>-<id>
  return (
    all.find((w) => w.name === name) ??
    all.find((w) => w.resource.kind === 'Pod' && w.name.startsWith(`${name}-`))
  );
}

/** Gateways whose selector picks the pods of `workload`. */
export function gatewaysOn(ctx: GradeContext, workload: Workload): Gateway[] {
  return ctx.snapshot.gateways.filter(
    (g) =>
      g.spec.selector &&
      Object.keys(g.spec.selector).length > 0 &&
      labelsMatch(g.spec.selector, workload.labels),
  );
}

/** Server ports of a gateway workload that receive clients' connections to `clientPort` of its Service. */
export function serverPortsFor(ctx: GradeContext, workload: Workload, clientPort: number): number[] {
  const ports = new Set([clientPort]);
  for (const svc of ctx.snapshot.services()) {
    if (svc.namespace !== workload.namespace || Object.keys(svc.selector).length === 0) continue;
    if (!labelsMatch(svc.selector, workload.labels)) continue;
    for (const p of svc.ports) if (p.port === clientPort && p.targetPort) ports.add(p.targetPort);
  }
  return [...ports].sort((a, b) => a - b);
}

const gatewayName = (g: Gateway): string => `${g.namespace}/${g.name}`;

function describeServer(s: Server): string {
  return `${s.port?.number ?? '?'}/${(s.port?.protocol ?? '?').toUpperCase()}`;
}

export interface GatewayServerSpec {
  /** the gateway workload, e.g. istio-ingressgateway */
  workload: string;
  /** a host the server must accept */
  host: string;
  /** the port clients connect to on the gateway's Service (80, 443): the server may use it or its targetPort */
  clientPort: number;
  /** accepted protocols (upper case) */
  protocols: readonly string[];
  tls?: { mode: string; credentialName?: string };
}

export interface FoundServer {
  gateway: Gateway;
  server: Server;
  /** `ns/name`, the routing context of the VirtualServices bound to it */
  ref: string;
}

/**
 * A Gateway on the workload has a server for the host on the port, with the
 * protocol and TLS settings asked for. Structural: the simulator does not model
 * TLS. A failure names the closest server and what differs.
 */
export function findGatewayServer(
  ctx: GradeContext,
  want: GatewayServerSpec,
): { found?: FoundServer; result: CheckResult } {
  const w = gatewayWorkload(ctx, want.workload);
  if (!w) return { result: fail(`no ${want.workload} workload is known, so no Gateway can run on it`) };
  const labels = Object.entries(w.labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const gateways = gatewaysOn(ctx, w);
  const allGateways = ctx.snapshot.gateways.filter((g) => !g.origin.builtin);
  if (gateways.length === 0) {
    const seen = allGateways.length
      ? ` (selectors seen: ${allGateways.map((g) => `${gatewayName(g)} ${JSON.stringify(g.spec.selector ?? {})}`).join(', ')})`
      : '';
    return {
      result: attach(
        fail(
          `no Gateway selects the ${want.workload} pods (their labels: ${labels})${seen}: no proxy listens for your traffic`,
        ),
        findingsOn(
          ctx,
          allGateways.map((g) => `Gateway ${gatewayName(g)}`),
        ),
      ),
    };
  }
  const ports = serverPortsFor(ctx, w, want.clientPort);
  const portText = ports.join(' or ');
  let best: { stage: number; reason: string } = {
    stage: -1,
    reason: `no server of ${gateways.map(gatewayName).join(', ')} listens on port ${portText} (servers: ${gateways
      .flatMap((g) => (g.spec.servers ?? []).map(describeServer))
      .join(', ')})`,
  };
  for (const g of gateways) {
    for (const s of g.spec.servers ?? []) {
      const n = s.port?.number;
      if (n === undefined || !ports.includes(n)) continue;
      const where = `Gateway ${gatewayName(g)} port ${n}`;
      const hosts = (s.hosts ?? []).map((h) => splitGatewayHost(h).host.toLowerCase());
      let stage = 0;
      let reason = '';
      const protocol = (s.port?.protocol ?? '').toUpperCase();
      const mode = (s.tls?.mode ?? '').toUpperCase();
      const creds = [s.tls?.credentialName, ...(s.tls?.credentialNames ?? [])].filter(
        (c): c is string => !!c,
      );
      if (!hosts.some((h) => hostCovers(h, want.host))) {
        reason = `${where} accepts hosts ${hosts.join(', ') || '(none)'}, not ${want.host}`;
      } else if (!want.protocols.includes(protocol)) {
        stage = 1;
        reason = `${where} uses protocol ${protocol || '(none)'}, expected ${want.protocols.join(' or ')}`;
      } else if (want.tls && mode !== want.tls.mode) {
        stage = 2;
        reason = `${where} has tls.mode ${mode || '(none)'}, expected ${want.tls.mode}`;
      } else if (want.tls?.credentialName && !creds.includes(want.tls.credentialName)) {
        stage = 3;
        reason = `${where} takes its certificate from ${creds.length ? `credentialName ${creds.join(', ')}` : 'no credentialName'}, expected the Secret ${want.tls.credentialName}`;
      } else {
        const tls = want.tls ? ` tls ${mode}${creds.length ? ` (${creds.join(', ')})` : ''}` : '';
        return {
          found: { gateway: g, server: s, ref: gatewayName(g) },
          result: pass(`${where} ${protocol}${tls} for host ${want.host} on the ${want.workload} pods`),
        };
      }
      if (stage > best.stage) best = { stage, reason };
    }
  }
  return {
    result: attach(
      fail(best.reason),
      findingsOn(
        ctx,
        gateways.map((g) => `Gateway ${gatewayName(g)}`),
      ),
    ),
  };
}

export function expectGatewayServer(ctx: GradeContext, want: GatewayServerSpec): CheckResult {
  return findGatewayServer(ctx, want).result;
}
