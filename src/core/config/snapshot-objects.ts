// Reading Kubernetes objects and mesh config into the Snapshot's shapes: Services,
// Pods and Deployments as workloads (with their sidecar facts), built-in model objects.
// Kept apart from snapshot.ts so the Snapshot class holds only its lookups.
import { toFqdn } from './hosts.ts';
import { installMeshConfig } from './install/index.ts';
import type { Kind, Position, Resource } from './resource.ts';
import type { MeshConfigInfo, OutboundMode, ServiceInfo, ServicePort, Workload } from './snapshot-types.ts';
import { type Injection, workloadFacts } from './workload-facts.ts';
import { parseYamlStream } from './yaml.ts';

/** One place mesh settings come from, with where (computed only when a setting is taken from it). */
export interface MeshSource {
  value: unknown;
  source: () => string;
}

/**
 * The mesh configs among the inputs, in precedence order, each parsed once: bare
 * meshConfig documents, IstioOperators (their profile, then spec.meshConfig), the
 * data.mesh of the mesh ConfigMap taken (istio, or istio-<rev>: mesh-revisions.ts).
 */
export function meshSources(
  bare: readonly { value: unknown; file: string; line: number }[] | undefined,
  operators: readonly Resource[] | undefined,
  configMap: Resource | undefined,
): MeshSource[] {
  const out: MeshSource[] = (bare ?? []).map((m) => ({
    value: m.value,
    source: () => `${m.file}:${m.line}`,
  }));
  for (const r of operators ?? [])
    out.push({ value: installMeshConfig(r), source: () => where(r.locate(['spec', 'meshConfig'])) });
  const data = configMap?.raw.data as Record<string, unknown> | undefined;
  if (configMap && typeof data?.mesh === 'string') {
    out.push({
      value: parseYamlStream(data.mesh)[0]?.value,
      // from a cluster: say which revision's ConfigMap, since several may exist
      source: () =>
        configMap.origin.file || configMap.name === 'istio'
          ? where(configMap.locate(['data', 'mesh']))
          : `ConfigMap ${configMap.namespace}/${configMap.name}`,
    });
  }
  return out;
}

/** The first source that sets a setting. */
export function firstSetting<T>(
  sources: readonly MeshSource[],
  read: (mesh: unknown) => T | undefined,
): T | undefined {
  for (const s of sources) {
    const v = read(s.value);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The outbound traffic mode: the flag, else the first source that sets it, else ALLOW_ANY. */
export function resolveMesh(flag: OutboundMode | undefined, sources: readonly MeshSource[]): MeshConfigInfo {
  if (flag) return { outboundMode: flag, source: 'flag' };
  for (const s of sources) {
    const mode = outboundModeOf(s.value);
    if (mode) return { outboundMode: mode, source: s.source() };
  }
  return { outboundMode: 'ALLOW_ANY', source: 'default' };
}

export function where(p: Position): string {
  return p.file ? `${p.file}:${p.line ?? 1}` : 'cluster';
}

export function trustDomainOf(mesh: unknown): string | undefined {
  const td = asRecord(mesh).trustDomain;
  return typeof td === 'string' && td !== '' ? td : undefined;
}

export function outboundModeOf(mesh: unknown): OutboundMode | undefined {
  if (!mesh || typeof mesh !== 'object') return undefined;
  // istiod reads protobuf JSON: the proto name outbound_traffic_policy is accepted too
  const m = mesh as Record<string, unknown>;
  const otp = m.outboundTrafficPolicy ?? m.outbound_traffic_policy;
  if (!otp || typeof otp !== 'object') return undefined;
  const mode = (otp as Record<string, unknown>).mode;
  return mode === 'REGISTRY_ONLY' || mode === 'ALLOW_ANY' ? mode : undefined;
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(asRecord(v))) if (x !== null && x !== undefined) out[k] = String(x);
  return out;
}

export function serviceInfo(r: Resource): ServiceInfo {
  const spec = asRecord(r.raw.spec);
  const ports: ServicePort[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    const port = asRecord(p);
    if (typeof port.port !== 'number') continue;
    ports.push({
      port: port.port,
      ...(typeof port.name === 'string' ? { name: port.name } : {}),
      ...(typeof port.targetPort === 'number' ? { targetPort: port.targetPort } : {}),
      ...(typeof port.protocol === 'string' ? { protocol: port.protocol } : {}),
      ...(typeof port.appProtocol === 'string' ? { appProtocol: port.appProtocol } : {}),
    });
  }
  return {
    name: r.name,
    namespace: r.namespace,
    fqdn: toFqdn(r.name, r.namespace),
    ports,
    selector: stringRecord(spec.selector),
    resource: r,
  };
}

export function podWorkload(
  r: Resource,
  injection: Injection | undefined,
  nsRevision: string | undefined,
  nsAmbient?: boolean,
): Workload {
  const status = asRecord(r.raw.status);
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(asRecord) : [];
  const readyCondition = conditions.find((c) => c.type === 'Ready');
  // A pod without status (written in a file, or just created) counts as ready.
  const ready = readyCondition ? readyCondition.status === 'True' : status.phase !== 'Failed';
  const annotations = asRecord(asRecord(r.raw.metadata).annotations);
  // a pod that already ran (read from a cluster, or a dump with a creationTimestamp) has the proxy it has
  const observed = r.origin.cluster !== undefined || asRecord(r.raw.metadata).creationTimestamp !== undefined;
  const facts = workloadFacts(r.raw.spec, r.labels, annotations, injection, observed, nsRevision, nsAmbient);
  return {
    name: r.name,
    namespace: r.namespace,
    labels: r.labels,
    ready,
    replicas: 1,
    resource: r,
    ...facts,
  };
}

export function deploymentWorkload(
  r: Resource,
  injection: Injection | undefined,
  nsRevision: string | undefined,
  nsAmbient?: boolean,
): Workload {
  const spec = asRecord(r.raw.spec);
  const template = asRecord(asRecord(spec.template).metadata);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const labels = stringRecord(template.labels);
  const podSpec = asRecord(spec.template).spec;
  // a Deployment shows the template, never the injected container: injection decides
  const facts = workloadFacts(
    podSpec,
    labels,
    asRecord(template.annotations),
    injection,
    false,
    nsRevision,
    nsAmbient,
  );
  return {
    name: r.name,
    namespace: r.namespace,
    labels,
    ready: replicas > 0,
    replicas,
    resource: r,
    ...facts,
  };
}

export function builtinResource(m: Record<string, unknown>): Resource {
  const meta = asRecord(m.metadata);
  return {
    apiVersion: String(m.apiVersion),
    kind: m.kind as Kind,
    name: String(meta.name),
    namespace: String(meta.namespace ?? ''),
    labels: stringRecord(meta.labels),
    spec: asRecord(m.spec),
    raw: m,
    origin: { builtin: true },
    locate: () => ({}),
  };
}

/** Written into a pod template by `kubectl rollout restart`: the pods from before are replaced. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** When a Deployment's pods were last restarted (ms since the epoch), or NaN. */
export function templateRestartedAt(r: Resource): number {
  const template = asRecord(asRecord(asRecord(r.raw.spec).template).metadata);
  const at = asRecord(template.annotations)[RESTARTED_AT];
  return typeof at === 'string' ? Date.parse(at) : Number.NaN;
}
