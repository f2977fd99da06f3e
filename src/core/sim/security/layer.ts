// The security layer: on every upstream attempt, what the client's proxy sends
// (auto mTLS, or the DestinationRule's tls mode), what the server's sidecar
// accepts (PeerAuthentication), then the server's JWT check
// (RequestAuthentication) and authorization (AuthorizationPolicy: CUSTOM, DENY,
// ALLOW; AUDIT changes nothing; a dry-run ALLOW or DENY is only recorded: dry-run.ts).
// A request entering a gateway from outside is judged by the gateway's own policies (no
// mTLS there). TCP ports: authz-tcp.ts.

import type { AuthzRequest } from '../../config/authz-match.ts';
import { sidecarAcceptsHbone } from '../../config/mesh-security.ts';
import { isTcpPort } from '../../config/port-protocol.ts';
import { SecurityPolicies, type WorkloadPolicies } from '../../config/security-policies.ts';
import type { Snapshot } from '../../config/snapshot.ts';
import { asRecord } from '../../config/snapshot-objects.ts';
import { principalOf } from '../../config/workload-facts.ts';
import { Addresses } from '../../envoy/addresses.ts';
import { HopMemo } from '../hop-memo.ts';
import type { Hop, HopLayer, HopVerdict } from '../layers.ts';
import type { SimMesh } from '../mesh.ts';
import type { Caller, Endpoint, SimRequest } from '../types.ts';
import { authorizeTcp } from './authz-tcp.ts';
import { gatewayClient } from './client-address.ts';
import { ambientToSidecar, type ClientTls, clientTls } from './client-tls.ts';
import { dryRunDecision } from './dry-run.ts';
import { externalHop } from './egress-tls.ts';
import { customDecision } from './ext-authz.ts';
import { checkToken, findToken, type JwtOutcome } from './jwt.ts';
import { dryRuns, matchingRule, name, RBAC_DENIED } from './policy-match.ts';

/**
 * JWT exp/nbf are checked at the wall clock, as Envoy does: the simulation's own clock
 * starts at 0, while tokens carry real times (Istio's samples expire in 2082 and 2118;
 * `jwt mint --exp -5m` makes one that has expired).
 */
const jwtNow = (): number => Math.floor(Date.now() / 1000);

/**
 * A STRICT port's inbound filter chains match TLS only: plaintext matches none, Envoy closes
 * the connection, and Istio's listener access log (filtered to flag NR) records it.
 */
const PLAINTEXT_ON_STRICT =
  ' (no inbound filter chain takes plaintext: the server sidecar logs "- - -" 0 NR filter_chain_not_found)';

/** The address of a client outside the mesh (TEST-NET-3), as the ingress gateway sees it. */
export const EXTERNAL_CLIENT_IP = '203.0.113.10';
/** The address of the default in-mesh client, which has no pod in the model. */
const CLIENT_IP = '10.244.255.1';

export function securityLayer(mesh: SimMesh): HopLayer | null {
  const policies = new SecurityPolicies(mesh.snapshot);
  // without policies and DestinationRule tls every hop is auto mTLS (or plaintext to a pod without a sidecar), which changes nothing
  const drTls = mesh.snapshot.destinationRules.some(
    (d) =>
      d.spec.trafficPolicy?.tls ||
      d.spec.trafficPolicy?.portLevelSettings?.some((p) => p.tls) ||
      d.spec.subsets?.some(
        (s) => s.trafficPolicy?.tls || s.trafficPolicy?.portLevelSettings?.some((p) => p.tls),
      ),
  );
  // a ServiceEntry may send plaintext to a TLS port (targetPort 443): the egress check needs the layer too
  if (!policies.any && !drTls && mesh.snapshot.serviceEntries.length === 0) return null;
  return new SecurityLayer(mesh, policies);
}

class SecurityLayer implements HopLayer {
  readonly name = 'security';
  private readonly snapshot: Snapshot;
  private readonly mesh: SimMesh;
  private readonly policies: SecurityPolicies;
  private readonly tokens = new Map<string, JwtOutcome>();
  private addresses?: Addresses;

  constructor(mesh: SimMesh, policies: SecurityPolicies) {
    this.mesh = mesh;
    this.snapshot = mesh.snapshot;
    this.policies = policies;
  }

  /**
   * A hop's decision depends only on the caller, cluster, pod and request (and the run's
   * --ext-authz answer), and a run sends the same request object again and again:
   * decided once, replayed after.
   */
  private readonly memos = { allow: new HopMemo(), deny: new HopMemo() };

  hop(h: Hop): HopVerdict | null {
    return this.memos[this.mesh.extAuthz].hop(h, (x) => this.decide(x));
  }

  private decide(h: Hop): HopVerdict | null {
    const { caller, cluster, endpoint: ep, req } = h;
    // a pod in ambient has no sidecar to judge the hop: ztunnel and the waypoint do (sim/ambient/)
    if (ep.external) return externalHop(this.snapshot, h);
    if (ep.workload?.dataplane === 'ambient') return null;
    const serverSidecar = ep.workload?.sidecar ?? true;
    const gatewayPod = ep.labels.istio === 'ingressgateway' || ep.labels.istio === 'egressgateway';
    const port = this.targetPort(cluster.host, cluster.port);
    const pol = this.policies.forWorkload(ep.namespace, ep.labels);
    const mode = serverSidecar && !gatewayPod ? pol.mtls(port) : undefined;
    // a host the proxy does not know (its Sidecar does not import it) passes through as plain TCP
    const client: { tls: ClientTls; why: string; hbone?: true } =
      caller.ambient && serverSidecar && !gatewayPod
        ? ambientToSidecar(this.serverHbone(ep))
        : cluster.name === 'PassthroughCluster'
          ? {
              tls: 'plaintext',
              why: 'PassthroughCluster: its proxy does not know the host, so it sends no mTLS',
            }
          : this.clientTls(caller, cluster.host, cluster.subset, cluster.port, serverSidecar, mode?.mode);
    const who = caller.ambient
      ? `${caller.name} (ambient, through ztunnel)`
      : caller.sidecar === false
        ? `${caller.name} (no sidecar)`
        : caller.name;
    if (!serverSidecar) {
      // The app itself answers: Bookinfo's apps speak plaintext HTTP, so Istio mTLS and a
      // DestinationRule's own TLS origination (SIMPLE/MUTUAL) both fail the handshake.
      if (client.tls !== 'plaintext')
        return {
          kind: 'reset',
          connect: true,
          reason: `${client.why} to ${ep.pod}, which has no sidecar and speaks plaintext: the TLS handshake fails (503 UF)`,
        };
      if (this.policies.any) h.note?.(`plaintext to ${ep.pod}: no sidecar, no policy enforced`);
      return null;
    }
    if (mode && !gatewayPod) {
      if (mode.mode === 'STRICT' && client.tls !== 'mtls')
        return {
          kind: 'reset',
          connect: false,
          reason: `${ep.pod} accepts only mTLS (${mode.by}: STRICT) but ${who} sends ${client.tls === 'tls' ? 'its own TLS' : 'plaintext'} (${client.why}): connection reset${client.tls === 'plaintext' ? PLAINTEXT_ON_STRICT : ''}`,
        };
      // an HBONE tunnel ends at the sidecar's own 15008 listener, always mTLS
      if (mode.mode === 'DISABLE' && client.tls === 'mtls' && !client.hbone)
        return {
          kind: 'reset',
          connect: false,
          reason: `${ep.pod} has mTLS disabled (${mode.by}) but ${who} sends mTLS (${client.why}): connection reset`,
        };
    }
    const principal =
      client.tls === 'mtls' && (caller.sidecar !== false || caller.ambient)
        ? principalOf(this.snapshot.trustDomain, caller.namespace, caller.serviceAccount ?? 'default')
        : undefined;
    const ip = this.callerIp(caller);
    // behind the ingress gateway the sidecar reads the client from the X-Forwarded-For
    // entry the gateway appended (its last): remote.ip is the outside client
    return this.authorize(h, ep, pol, req, port, principal, client.tls === 'mtls' ? 'mTLS' : 'plaintext', {
      sourceIp: ip,
      remoteIp: caller.gateway ? (req.clientIp ?? EXTERNAL_CLIENT_IP) : ip,
      tcp: req.tls || this.tcpPort(cluster.host, cluster.port),
    });
  }

  /** Whether the server pod's sidecar accepts HBONE, and by what (see sidecarAcceptsHbone). */
  private serverHbone(ep: Endpoint): string | undefined {
    const raw = ep.workload?.resource.raw;
    const meta = (o: unknown) => asRecord(asRecord(o).metadata);
    const pod =
      ep.workload?.resource.kind === 'Pod' ? meta(raw) : meta(asRecord(asRecord(raw).spec).template);
    return sidecarAcceptsHbone(this.snapshot.meshSecurity, ep.labels, asRecord(pod.annotations));
  }

  /** The pod address of a caller (its first pod), as the server's proxy sees the connection. */
  private callerIp(caller: Caller): string {
    this.addresses ??= new Addresses(this.snapshot);
    const a = this.addresses;
    return a.podByName(caller.name) ?? a.podByName(`${caller.name}-0`) ?? CLIENT_IP;
  }

  /** Is the Service port served by TCP filters (see port-protocol.ts)? */
  private tcpPort(host: string, port: number): boolean {
    const p = this.snapshot.service(host)?.ports.find((x) => x.port === port);
    return p !== undefined && isTcpPort(p);
  }

  /** A request from outside entering a gateway: its RequestAuthentication and AuthorizationPolicies. */
  entry(caller: Caller, req: SimRequest, note?: (r: string) => void): HopVerdict | null {
    if (!caller.gateway) return null;
    const pol = this.policies.forWorkload(caller.namespace, caller.labels);
    const ep = { pod: caller.name } as Endpoint;
    const peer = req.clientIp ?? EXTERNAL_CLIENT_IP;
    const client = gatewayClient(this.snapshot, caller, peer, req.headers);
    const transport = `from outside the mesh${client.why ? `; ${client.why}` : ''}`;
    return this.authorize({ note } as Hop, ep, pol, req, req.port, undefined, transport, {
      sourceIp: peer,
      remoteIp: client.remoteIp,
      tcp: req.tls,
    });
  }

  private authorize(
    h: Hop,
    ep: Endpoint,
    pol: WorkloadPolicies,
    req: SimRequest,
    port: number,
    principal: string | undefined,
    transport: string,
    conn: { sourceIp: string; remoteIp: string; tcp: boolean },
  ): HopVerdict | null {
    if (conn.tcp)
      return authorizeTcp(this.snapshot, this.mesh.extAuthz, h, ep, pol, port, principal, transport, conn);
    const r: AuthzRequest = {
      sourceIp: conn.sourceIp,
      remoteIp: conn.remoteIp,
      method: req.method,
      path: req.uri,
      host: req.authority.replace(/:\d+$/, ''),
      port,
      headers: req.headers,
      ...(principal ? { principal } : {}),
      ...(req.tls ? { sni: req.host } : {}),
    };
    const peer = principal ?? `no identity (${transport})`;
    // Envoy runs the CUSTOM filters (ext_authz) before the JWT filter and RBAC
    const custom = customDecision(this.snapshot, pol.custom, r, ep.pod, {
      tcp: false,
      matching: (p) => matchingRule(p, r),
      answer: this.mesh.extAuthz,
    });
    if (custom.kind === 'deny')
      return {
        kind: 'reply',
        status: custom.status,
        reason: `${custom.body ? `"${custom.body}": ` : ''}${custom.reason} (${peer})`,
      };
    if (custom.note) h.note?.(custom.note);
    if (pol.jwt.length > 0) {
      const rules = pol.jwtRules;
      const token = findToken(rules, req.headers, () => queryParams(req));
      if (token) {
        let outcome = this.tokens.get(token);
        if (!outcome) this.tokens.set(token, (outcome = checkToken(token, rules, jwtNow())));
        if (outcome.kind === 'invalid')
          return {
            kind: 'reply',
            status: 401,
            reason: `${outcome.reason} at ${ep.pod} (RequestAuthentication ${pol.jwt.map(name).join(', ')})`,
          };
        if (outcome.kind === 'valid') {
          r.requestPrincipal = outcome.principal;
          r.claims = outcome.claims;
        }
      }
    }
    // dry-run policies: shadow rules of the same filters, recorded and never enforced
    const shadow = (action: 'DENY' | 'ALLOW') => {
      const d = dryRunDecision(action, pol.dryRun[action === 'DENY' ? 'deny' : 'allow'], ep.pod, (p) =>
        matchingRule(p, r),
      );
      if (d) h.note?.(d);
    };
    shadow('DENY');
    for (const p of pol.deny) {
      const i = matchingRule(p, r);
      if (i >= 0)
        return {
          kind: 'reply',
          status: 403,
          reason: `${RBAC_DENIED} at ${ep.pod}: DENY ${name(p)} rules[${i}] matches (${peer})`,
        };
    }
    shadow('ALLOW');
    if (pol.allow.length > 0) {
      for (const p of pol.allow) {
        const i = matchingRule(p, r);
        if (i >= 0) {
          h.note?.(`allowed at ${ep.pod} by ALLOW ${name(p)} rules[${i}] (${peer})`);
          return null;
        }
      }
      const names = pol.allow.map(name).join(', ');
      const none = pol.allow.every((p) => (p.spec.rules?.length ?? 0) === 0);
      return {
        kind: 'reply',
        status: 403,
        reason: `${RBAC_DENIED} at ${ep.pod}: ${none ? `ALLOW ${names} has no rules (allow-nothing)` : `no rule of ALLOW ${names} matches`} (${peer}${r.requestPrincipal ? `, request principal ${r.requestPrincipal}` : ''})`,
      };
    }
    if (pol.deny.length + pol.custom.length + pol.jwt.length + dryRuns(pol) > 0)
      h.note?.(`allowed at ${ep.pod}: no ALLOW policy selects it (${peer})`);
    return null;
  }

  private targetPort(host: string, port: number): number {
    const svc = this.snapshot.service(host);
    return svc?.ports.find((p) => p.port === port)?.targetPort ?? port;
  }

  /** What the caller's proxy sends (see client-tls.ts). */
  private clientTls(
    caller: Caller,
    host: string,
    subset: string | undefined,
    port: number,
    serverSidecar: boolean,
    serverMode: string | undefined,
  ): { tls: ClientTls; why: string } {
    return clientTls(this.snapshot, caller, host, subset, port, serverSidecar, serverMode);
  }
}

function queryParams(req: SimRequest): Record<string, string> {
  if (req.params) return req.params;
  const out: Record<string, string> = {};
  for (const pair of req.query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const raw = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      out[decodeURIComponent(raw[0] ?? '')] = decodeURIComponent(raw[1] ?? '');
    } catch {
      out[raw[0] ?? ''] = raw[1] ?? '';
    }
  }
  return out;
}
