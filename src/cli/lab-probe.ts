// `lab check --live --probe`: behaviour criteria measured with real traffic from
// the fortio client instead of the simulator.
//
// The graders call `ctx.simulate(options)` synchronously, and real requests take
// time, so grading runs in passes: a pass notes each request shape the checks ask
// for (answering with the simulator meanwhile, so the checks take their usual
// paths), the probes for the new shapes are sent, and the next pass answers from
// the measurements. A pass that asks for nothing new is the result. A probe that
// failed makes its criterion "could not be checked: <why>".

import { LEGACY_NAMESPACE } from '../core/config/bookinfo.ts';
import { toFqdn } from '../core/config/hosts.ts';
import { isTcpPort } from '../core/config/port-protocol.ts';
import type { Snapshot } from '../core/config/snapshot.ts';
import type { LabResult } from '../core/grading/types.ts';
import { LiveProbe, type LiveProbeOptions, ProbeError, type ProbeRequest } from '../core/probes/index.ts';
import { GATEWAY_CLIENT, PlaintextProbe, plaintextClient } from '../core/probes/plaintext-probe.ts';
import { type SimResult, type SimulateOptions, simulate as simulator } from '../core/sim/index.ts';
import { securityUnprobeable, sidecarUnprobeable } from './probe-callers.ts';

/** The `simulate` override of GradeOptions: the snapshot graded, and the request. */
export type SimulateOverride = (snapshot: Snapshot, options: SimulateOptions) => SimResult;

export interface ProbeGradeOptions extends Omit<LiveProbeOptions, 'portOf' | 'versionOf'> {
  /** grading passes at most (each may send new probes); default 4 */
  maxPasses?: number;
  /** all probes of one check together; default 5 minutes */
  totalDeadlineMs?: number;
  /** told before each probe is sent (progress on stderr) */
  onProbe?: (description: string) => void;
}

/** The ingress gateway's Service, as `cluster up` (istioctl's demo profile) installs it. */
const INGRESS_SERVICE = 'istio-ingressgateway.istio-system';

/** A request shape this slow on average (ms) is worth sending several at a time. */
const SLOW_MS = 250;
const WIDE_CONCURRENCY = 16;

/** The fields of a request that change what live traffic measures, as a stable key. */
export function probeKey(probe: LiveProbe, o: SimulateOptions): string {
  const { requests, concurrency } = probe.bounds(o);
  // a concurrency left open may be widened for a slow target (see widened()): not the same as 1
  const headers = Object.entries(o.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    o.to,
    o.path ?? '/',
    (o.method ?? 'GET').toUpperCase(),
    headers,
    o.from ?? '',
    requests,
    o.concurrency === undefined ? 'open' : concurrency,
    o.qps ?? 0,
  ]);
}

/**
 * Why a request from `from` cannot stand in for fortio's: a VirtualService for the
 * host matches on the caller (sourceLabels, sourceNamespace). Undefined: it can.
 */
export function callerDependent(
  snapshot: Snapshot,
  o: SimulateOptions,
  namespace: string,
): string | undefined {
  if (!o.from) return undefined;
  const host = /^https?:\/\//i.test(o.to) ? new URL(o.to).hostname : (o.to.split(':')[0] ?? o.to);
  const fqdn = toFqdn(host, namespace);
  for (const vs of snapshot.virtualServices) {
    if (!(vs.spec.hosts ?? []).some((h) => toFqdn(h, vs.namespace) === fqdn)) continue;
    const bySource = (vs.spec.http ?? []).some((r) =>
      (r?.match ?? []).some((m) => m?.sourceLabels !== undefined || m?.sourceNamespace !== undefined),
    );
    if (bySource)
      return `VirtualService ${vs.namespace}/${vs.name} routes ${host} by the calling workload (sourceLabels/sourceNamespace), and live probes send from fortio-deploy, not ${o.from}`;
  }
  return undefined;
}

/**
 * Why live traffic cannot answer this request, so that the simulator on the
 * cluster's configuration does (a correct answer must not fail because the probe
 * cannot play the scenario). Undefined: it can.
 */
export function unprobeable(snapshot: Snapshot, o: SimulateOptions, namespace: string): string | undefined {
  const scenario = [...(o.fail ?? []), ...(o.latency ?? [])];
  if (scenario.length)
    return `live probes cannot make pods fail or slow down (the check plays ${scenario.join(', ')})`;
  if (o.from === 'ingress' || o.from?.includes('gateway'))
    return `live probes send from the fortio client, not from ${o.from}`;
  return (
    callerDependent(snapshot, o, namespace) ??
    sidecarUnprobeable(snapshot, o, namespace) ??
    securityUnprobeable(snapshot, o, namespace)
  );
}

function withNote(result: SimResult, note: string): SimResult {
  return { ...result, summary: { ...result.summary, notes: [...(result.summary.notes ?? []), note] } };
}

/** Probes fetched between grading passes, served to the graders synchronously. */
export class ProbeSimulator {
  readonly probe: LiveProbe;
  /** requests of the plaintext client (no sidecar), sent by curl in its own pod */
  readonly plaintext: PlaintextProbe;
  private readonly wantedPlaintext = new Map<string, ProbeRequest>();
  /** client -> why its pod cannot be exec'd into (RBAC, not deployed): its checks are simulated */
  private readonly plaintextUnavailable = new Map<string, string>();
  private readonly namespace: string;
  private readonly measured = new Map<string, SimResult>();
  private readonly failed = new Map<string, Error>();
  private readonly wanted = new Map<string, ProbeRequest>();
  private snapshot: Snapshot | undefined;
  private readonly totalDeadlineMs: number;
  private readonly onProbe: ((description: string) => void) | undefined;
  private spentMs = 0;
  /** the last pass: a request not measured yet fails instead of being noted */
  final = false;

  constructor(options: ProbeGradeOptions) {
    this.namespace = options.namespace;
    this.totalDeadlineMs = options.totalDeadlineMs ?? 5 * 60_000;
    this.onProbe = options.onProbe;
    this.plaintext = new PlaintextProbe({
      ...(options.run ? { run: options.run } : {}),
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
      portOf: (service) =>
        this.snapshot?.service(toFqdn(service, this.namespace))?.ports.find((p) => p.port > 0)?.port,
    });
    this.probe = new LiveProbe({
      ...options,
      portOf: (service) =>
        this.snapshot?.service(toFqdn(service, this.namespace))?.ports.find((p) => p.port > 0)?.port,
      versionOf: (service) => {
        const svc = this.snapshot?.service(toFqdn(service, this.namespace));
        if (!svc || !this.snapshot) return undefined;
        const versions = new Set(this.snapshot.endpoints(svc).map((w) => w.labels.version));
        const [only] = [...versions];
        return versions.size === 1 && only ? only : undefined;
      },
    });
  }

  /** GradeOptions.simulate */
  readonly simulate: SimulateOverride = (snapshot, options) => {
    this.snapshot = snapshot;
    const plain = plaintextClient(options.from);
    if (plain && !options.fail?.length && !options.latency?.length) {
      const why = this.plaintextUnprobeable(snapshot, options, plain);
      if (!why) return this.plaintextResult(snapshot, options);
      return withNote(simulator(snapshot, options), `simulated on the cluster's configuration: ${why}`);
    }
    if (
      options.from === 'ingress' &&
      options.statusOnly &&
      !options.fail?.length &&
      !options.latency?.length
    ) {
      const gateway = this.gatewayUnprobeable(snapshot, options);
      if (typeof gateway !== 'string') return this.plaintextResult(snapshot, options, gateway.request);
      return withNote(simulator(snapshot, options), `simulated on the cluster's configuration: ${gateway}`);
    }
    const why = unprobeable(snapshot, options, this.namespace);
    if (why)
      return withNote(simulator(snapshot, options), `simulated on the cluster's configuration: ${why}`);
    const key = probeKey(this.probe, options);
    const done = this.measured.get(key);
    if (done) return this.completed(key, done, snapshot, options);
    const error = this.failed.get(key);
    if (error) throw error;
    if (this.final) throw new ProbeError(`live probe (${this.probe.describe(options)}) was not sent`);
    const predicted = simulator(snapshot, options);
    // the probe is sized by how long the cluster's configuration makes a request take
    const expectedLatencyMs = predicted.summary.latencyMs.mean;
    this.wanted.set(key, {
      ...options,
      expectedLatencyMs,
      ...this.widened(snapshot, options, expectedLatencyMs),
    });
    return predicted;
  };

  /**
   * A slow request shape whose concurrency the check leaves open is sent
   * WIDE_CONCURRENCY at a time, so that a 5 s delay still yields a couple of
   * hundred requests within the deadline; but only when the simulator shows that
   * the configuration answers the same at that concurrency (no pool to overflow).
   */
  private widened(
    snapshot: Snapshot,
    options: SimulateOptions,
    expectedLatencyMs: number,
  ): { concurrency: number } | undefined {
    if (options.concurrency !== undefined || expectedLatencyMs < SLOW_MS) return undefined;
    const wide = simulator(snapshot, { ...options, concurrency: WIDE_CONCURRENCY });
    const overflow = wide.summary.statuses.some((s) => s.flags.split(',').includes('UO'));
    return overflow ? undefined : { concurrency: WIDE_CONCURRENCY };
  }

  private readonly complete = new Map<string, SimResult>();

  /**
   * A measured result, with what a probe cannot see (mirrored copies, ejections)
   * taken from the simulator on the cluster's configuration, and noted as such.
   */
  private completed(
    key: string,
    measured: SimResult,
    snapshot: Snapshot,
    options: SimulateOptions,
  ): SimResult {
    const cached = this.complete.get(key);
    if (cached) return cached;
    // as many requests as were measured, so that copies and requests compare
    const simulated = simulator(snapshot, {
      ...options,
      requests: Math.max(1, measured.records.length),
    }).summary;
    let result = measured;
    const filled: string[] = [];
    if (simulated.mirrored.copies > 0) {
      result = { ...result, summary: { ...result.summary, mirrored: simulated.mirrored } };
      filled.push('mirrored copies');
    }
    if (simulated.ejections.length > 0) {
      result = { ...result, summary: { ...result.summary, ejections: simulated.ejections } };
      filled.push('ejections');
    }
    // the TLS a sidecar originates to an external host happens past what fortio's sidecar counts
    const originated = (simulated.security ?? []).some((d) => d.decision.startsWith('TLS originated'));
    if (originated && !result.summary.security?.length) {
      result = { ...result, summary: { ...result.summary, security: simulated.security } };
      filled.push('the TLS the sidecar originates');
    }
    // a CUSTOM check's answer: fortio's sidecar counts the 403, not whose body it carried
    // (the authorizer's, quoted in the decision, or Envoy's RBAC one of a DENY rule)
    const authorizer = (simulated.security ?? []).some((d) => /^"[^"]+": /.test(d.decision));
    if (authorizer && !result.summary.security?.length) {
      result = { ...result, summary: { ...result.summary, security: simulated.security } };
      filled.push("the external authorizer's answer");
    }
    if (filled.length)
      result = withNote(
        result,
        `${filled.join(' and ')} simulated on the cluster's configuration (a probe does not see them)`,
      );
    this.complete.set(key, result);
    return result;
  }

  /**
   * Why the plaintext client's requests are simulated rather than sent from its pod:
   * the exec could not be made before, or the target is a TCP port (curl's HTTP
   * status cannot tell an accepted TCP connection from a refused one).
   */
  private plaintextUnprobeable(snapshot: Snapshot, o: SimulateOptions, client: string): string | undefined {
    const unavailable = this.plaintextUnavailable.get(client);
    if (unavailable) return `${unavailable}, so its plaintext requests could not be sent`;
    let url: URL;
    try {
      url = this.plaintext.url(o);
    } catch {
      return undefined;
    }
    // a short host resolves in the client's namespace
    const [name = '', ns = LEGACY_NAMESPACE] = url.hostname.split('.');
    const port = snapshot.service(toFqdn(name, ns))?.ports.find((p) => p.port === Number(url.port || 80));
    if (port && isTcpPort(port))
      return `${o.to} is a TCP port: curl from ${o.from} could not tell an accepted connection from a refused one by an HTTP status`;
    return undefined;
  }

  /**
   * A request from outside the mesh through the ingress gateway, as legacy/curl sends it
   * to the gateway's Service; or why it cannot be: a TLS request, a client address or
   * certificate the check plays (curl in the pod has its own), no gateway Service, or an
   * exec refused before.
   */
  private gatewayUnprobeable(snapshot: Snapshot, o: SimulateOptions): { request: ProbeRequest } | string {
    const unavailable = this.plaintextUnavailable.get(GATEWAY_CLIENT);
    if (unavailable) return `${unavailable}, so requests to the ingress gateway could not be sent from it`;
    if (/^https:\/\//i.test(o.to) || o.sni || o.clientCert)
      return `live probes send plain HTTP to the ingress gateway from ${LEGACY_NAMESPACE}/${GATEWAY_CLIENT}, not TLS with the check's SNI or client certificate`;
    if (o.clientIp)
      return `the check plays a client at ${o.clientIp}; ${LEGACY_NAMESPACE}/${GATEWAY_CLIENT} has its pod's own address`;
    if (/^https?:\/\//i.test(o.to)) return `live probes send to the ingress gateway by host, not ${o.to}`;
    const svc = snapshot.service(`${INGRESS_SERVICE}.svc.cluster.local`);
    if (!svc) return `no Service ${INGRESS_SERVICE.replace('.', '/')} to send to`;
    return { request: this.plaintext.viaGateway(o, INGRESS_SERVICE) };
  }

  /** The plaintext client's measured requests, noted for the next fetch when not sent yet. */
  private plaintextResult(
    snapshot: Snapshot,
    options: SimulateOptions,
    sent: ProbeRequest = options,
  ): SimResult {
    const key = `plaintext:${probeKey(this.probe, sent)}`;
    const done = this.measured.get(key);
    if (done) return done;
    const error = this.failed.get(key);
    if (error) throw error;
    if (this.final)
      throw new ProbeError(`live probe (requests from ${sent.from} to ${sent.to}) was not sent`);
    this.wantedPlaintext.set(key, sent);
    return simulator(snapshot, options);
  }

  /** Requests noted in the last pass and not probed yet. */
  pending(): number {
    return this.wanted.size + this.wantedPlaintext.size;
  }

  /** Sends the noted probes one after the other; each failure is kept for its criterion. */
  async fetch(now: () => number = () => performance.now()): Promise<void> {
    await this.fetchPlaintext(now);
    const todo = [...this.wanted];
    this.wanted.clear();
    for (const [key, options] of todo) {
      const request = options;
      if (this.spentMs >= this.totalDeadlineMs) {
        this.failed.set(
          key,
          new ProbeError(
            `live probe (${this.probe.describe(request)}) was not sent: the probes of this check used their ${Math.round(this.totalDeadlineMs / 1000)}s`,
          ),
        );
        continue;
      }
      this.onProbe?.(this.probe.describe(request));
      const t0 = now();
      try {
        this.measured.set(key, await this.probe.probe(request));
      } catch (e) {
        this.failed.set(key, e instanceof Error ? e : new Error(String(e)));
      } finally {
        this.spentMs += now() - t0;
      }
    }
  }

  /** Sends the plaintext client's noted requests from its pod; an exec refused falls back to the simulator. */
  private async fetchPlaintext(now: () => number): Promise<void> {
    const todo = [...this.wantedPlaintext];
    this.wantedPlaintext.clear();
    for (const [key, request] of todo) {
      const client = plaintextClient(request.from) ?? '';
      if (this.plaintextUnavailable.has(client)) continue;
      const host = request.headers?.host ? `, Host ${request.headers.host}` : '';
      this.onProbe?.(
        `requests from ${request.from} to ${request.to}${request.path ?? ''} (curl in its pod${host})`,
      );
      const t0 = now();
      try {
        const r = await this.plaintext.probe(request);
        if ('unavailable' in r) this.plaintextUnavailable.set(client, r.unavailable);
        else this.measured.set(key, r);
      } catch (e) {
        this.failed.set(key, e instanceof Error ? e : new Error(String(e)));
      } finally {
        this.spentMs += now() - t0;
      }
    }
  }
}

/**
 * Grades with live probes: `grade` is gradeLab with the given `simulate` override
 * (see GradeOptions.simulate). Passes until no new request is asked for.
 */
export async function gradeWithProbes(
  grade: (simulate: SimulateOverride) => Promise<LabResult>,
  options: ProbeGradeOptions,
): Promise<LabResult> {
  const sim = new ProbeSimulator(options);
  const maxPasses = options.maxPasses ?? 4;
  for (let pass = 1; ; pass++) {
    sim.final = pass >= maxPasses;
    const result = await grade(sim.simulate);
    if (sim.final || sim.pending() === 0) return result;
    await sim.fetch();
  }
}
