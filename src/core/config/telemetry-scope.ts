// Whether a workload's proxy writes Envoy access logs, as istiod 1.26 decides it
// (pilot/pkg/model/telemetry.go and the access log builder):
// - the Telemetry resources that apply to the proxy, root namespace (mesh-wide) then
//   its namespace then those selecting it, each level's accessLogging merged over
//   the one before: a level that names providers replaces the list, `disabled`
//   turns the providers in scope off (or back on);
// - no provider left (no Telemetry with accessLogging, no defaultProviders): the
//   legacy meshConfig.accessLogFile decides;
// - a provider name the mesh config does not define is skipped (istiod logs it).
// Only the client side matters here (the simulator prints the caller's outbound log),
// so entries with match.mode SERVER are left out.

import type { Snapshot, Telemetry } from './snapshot.ts';
import { firstSetting, type MeshSource } from './snapshot-objects.ts';

/** Istio's root namespace (meshConfig.rootNamespace default). */
const ROOT = 'istio-system';
/** The extension providers of Istio's default mesh config (envoy writes to /dev/stdout). */
const BUILTIN_PROVIDERS: Record<string, string> = {
  envoy: 'envoyFileAccessLog',
  prometheus: 'prometheus',
  stackdriver: 'stackdriver',
};
/** The demo profile's setting: what `cluster up` installs and what the offline model assumes. */
export const DEMO_ACCESS_LOG_FILE = '/dev/stdout';

export interface MeshTelemetry {
  accessLogFile: string;
  /** where accessLogFile came from: a file:line, "cluster" or "demo profile (default)" */
  accessLogSource: string;
  /** extension providers by name, with their type (envoyFileAccessLog, envoyOtelAls ...) */
  providers: Record<string, string>;
  defaultAccessLogging: string[];
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The access log settings of the mesh config sources (first source that sets each wins). */
export function meshTelemetry(sources: readonly MeshSource[]): MeshTelemetry {
  let accessLogFile = DEMO_ACCESS_LOG_FILE;
  let accessLogSource = 'demo profile (default)';
  for (const s of sources) {
    const v = asRecord(s.value).accessLogFile;
    if (typeof v === 'string') {
      accessLogFile = v;
      accessLogSource = s.source();
      break;
    }
  }
  const providers = { ...BUILTIN_PROVIDERS };
  for (const s of sources) {
    const list = asRecord(s.value).extensionProviders;
    for (const p of Array.isArray(list) ? list : []) {
      const r = asRecord(p);
      if (typeof r.name !== 'string') continue;
      const type = Object.keys(r).find((k) => k !== 'name') ?? 'unknown';
      providers[r.name] = type;
    }
  }
  const defaults = firstSetting(sources, (m) => {
    const list = asRecord(asRecord(m).defaultProviders).accessLogging;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : undefined;
  });
  return { accessLogFile, accessLogSource, providers, defaultAccessLogging: defaults ?? [] };
}

export interface AccessLogDecision {
  /** the proxy writes access log lines to its stdout (kubectl logs -c istio-proxy) */
  on: boolean;
  /** why, naming the Telemetry or mesh setting that decided */
  reason: string;
}

const key = (t: Telemetry) => `${t.namespace}/${t.name}`;
const hasSelector = (t: Telemetry) => Object.keys(t.spec.selector?.matchLabels ?? {}).length > 0;
const targeted = (t: Telemetry) => t.spec.targetRef !== undefined || (t.spec.targetRefs?.length ?? 0) > 0;

/** The Telemetries with accessLogging that apply to a sidecar, root first, oldest first at a level. */
export function telemetriesFor(
  snapshot: Snapshot,
  namespace: string,
  labels: Record<string, string>,
): Telemetry[] {
  const all = snapshot.telemetries.filter((t) => (t.spec.accessLogging?.length ?? 0) > 0 && !targeted(t));
  const root = all.filter((t) => t.namespace === ROOT && !hasSelector(t));
  const ns = namespace === ROOT ? [] : all.filter((t) => t.namespace === namespace && !hasSelector(t));
  const workload = all.filter(
    (t) =>
      t.namespace === namespace &&
      hasSelector(t) &&
      Object.entries(t.spec.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v),
  );
  return [...root, ...ns, ...workload];
}

/** Does this workload's proxy log its outbound requests, and why. */
export function accessLogDecision(
  snapshot: Snapshot,
  namespace: string,
  labels: Record<string, string>,
): AccessLogDecision {
  // with several control plane revisions, the proxy's own revision's mesh config
  const mesh = snapshot.meshFor(namespace, labels)?.telemetry ?? snapshot.meshTelemetry;
  const levels = telemetriesFor(snapshot, namespace, labels);
  let names = mesh.defaultAccessLogging;
  let namedBy = names.length ? 'meshConfig.defaultProviders.accessLogging' : '';
  const disabled = new Map<string, { off: boolean; by: string }>();
  for (const t of levels) {
    for (const l of t.spec.accessLogging ?? []) {
      const mode = l.match?.mode ?? 'CLIENT_AND_SERVER';
      if (mode === 'SERVER') continue;
      const own = (l.providers ?? []).map((p) => p.name ?? '').filter(Boolean);
      if (own.length) {
        names = own;
        namedBy = `Telemetry ${key(t)}`;
      }
      if (l.disabled !== undefined)
        for (const n of names)
          disabled.set(n, { off: l.disabled, by: `Telemetry ${key(t)} sets disabled: ${l.disabled}` });
    }
  }
  const legacy = (why: string): AccessLogDecision =>
    mesh.accessLogFile
      ? {
          on: true,
          reason: `${why}; meshConfig.accessLogFile is ${mesh.accessLogFile} (${mesh.accessLogSource})`,
        }
      : { on: false, reason: `${why}, and meshConfig.accessLogFile is empty (${mesh.accessLogSource})` };
  if (names.length === 0)
    return legacy(
      levels.length
        ? 'no Telemetry that applies names a provider'
        : 'no Telemetry turns access logging on for it',
    );
  const known = names.filter((n) => mesh.providers[n] !== undefined);
  if (known.length === 0)
    return legacy(
      `${namedBy} names provider ${names.map((n) => `"${n}"`).join(', ')}, which the mesh config does not define (istiod skips it)`,
    );
  const active = known.filter((n) => !disabled.get(n)?.off);
  if (active.length === 0) return { on: false, reason: disabled.get(known[0] ?? '')?.by ?? 'disabled' };
  const file = active.filter((n) => mesh.providers[n] === 'envoyFileAccessLog');
  if (file.length === 0)
    return {
      on: false,
      reason: `${namedBy} sends access logs to ${active.join(', ')}, not to the proxy's stdout`,
    };
  const reenabled = file.map((n) => disabled.get(n)?.by).find(Boolean);
  return {
    on: true,
    reason: `${namedBy} enables provider ${file.join(', ')}${reenabled ? ` (${reenabled})` : ''}`,
  };
}
