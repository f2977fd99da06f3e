// Resolves an IstioOperator over its profile, as `istioctl install` and
// `manifest generate` do: the profile is overlaid with the user's spec (maps
// merge, lists are replaced, gateway lists too, as istioctl 1.24+ does), then each component's
// k8s settings win over the chart values they translate to. The result says
// what would run: components, replicas, resources, gateway Services and the
// mesh config istiod would serve.
import { CHART_DEFAULTS, PROFILE_NAMES, profileNamed, type Spec } from './profiles.ts';

export type ComponentKind =
  | 'base'
  | 'pilot'
  | 'cni'
  | 'ztunnel'
  | 'istiodRemote'
  | 'ingressGateway'
  | 'egressGateway';

export interface Resources {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

export interface InstalledComponent {
  kind: ComponentKind;
  /** the name of its workload (istiod-canary, istio-ingressgateway, ztunnel ...) */
  name: string;
  enabled: boolean;
  namespace: string;
  workload?: 'Deployment' | 'DaemonSet';
  /** fixed replicas (no HPA) */
  replicas?: number;
  /** HPA bounds when autoscaling is on */
  autoscale?: { min: number; max: number };
  resources?: Resources;
  service?: { name: string; type: string; ports: ServicePort[] };
  /** pod labels (gateways: istio=ingressgateway ...) */
  labels?: Record<string, string>;
}

export interface ResolvedInstall {
  profile: string;
  /** '' for the default revision */
  revision: string;
  namespace: string;
  hub: string;
  tag: string;
  components: InstalledComponent[];
  meshConfig: Record<string, unknown>;
  values: Record<string, unknown>;
  /** the merged spec (profile + overlay), as `manifest translate` would see it */
  spec: Spec;
}

export class InstallResolveError extends Error {}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Overlay `b` on `a`: maps merge, anything else (lists too) replaces; null/undefined leaves `a`. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (b === undefined || b === null) return structuredClone(a);
  const ra = a && typeof a === 'object' && !Array.isArray(a);
  const rb = typeof b === 'object' && !Array.isArray(b);
  if (!ra || !rb) return structuredClone(b);
  const out: Record<string, unknown> = structuredClone(a as Record<string, unknown>);
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
  return out;
}

/** Gateway lists merge item by item on `name` (a new name is added). */
function mergeGateways(base: unknown, overlay: unknown): unknown[] {
  // istioctl 1.24+ (render.MergeInputs, values.Map.MergeFrom) merges maps key by key and
  // replaces lists: a gateway list in the files replaces the profile's list whole
  const list = Array.isArray(overlay) ? overlay : Array.isArray(base) ? base : [];
  return list.map((g) => structuredClone(g) as Record<string, unknown>);
}

/** The profile's spec over the charts' defaults, then the user's spec over it. */
export function mergeSpecs(base: Spec, overlay: Spec): Spec {
  const merged = deepMerge(base, { ...overlay, components: undefined }) as Spec;
  const bc = asRecord(base.components);
  const oc = asRecord(overlay.components);
  const components = deepMerge(bc, { ...oc, ingressGateways: undefined, egressGateways: undefined }) as Spec;
  for (const key of ['ingressGateways', 'egressGateways'] as const) {
    const list = mergeGateways(bc[key], oc[key]);
    // an empty list in the overlay replaces the profile's too (egressGateways: [] installs none)
    if (list.length || Array.isArray(oc[key])) components[key] = list;
  }
  merged.components = components;
  return merged;
}

/** A profile's full spec (charts' defaults + default profile + the profile), as `profile dump` prints it. */
export function profileSpec(name: string): Spec {
  const profile = profileNamed(name);
  if (!profile)
    throw new InstallResolveError(`unknown profile "${name}"; the profiles are ${PROFILE_NAMES.join(', ')}`);
  // istioctl overlays every profile on the default one (profile.go), then the charts fill in the rest
  const base = mergeSpecs(CHART_DEFAULTS, profileNamed('default')?.spec ?? {});
  return { profile: name, ...mergeSpecs(base, profile.spec) };
}

/** Resolves an IstioOperator spec (already schema-checked) over its profile. */
export function resolveInstall(spec: Spec): ResolvedInstall {
  const profile = typeof spec.profile === 'string' && spec.profile ? spec.profile : 'default';
  const merged = mergeSpecs(profileSpec(profile), spec);
  merged.profile = profile;
  const values = asRecord(merged.values);
  const global = asRecord(values.global);
  const revision = typeof merged.revision === 'string' ? merged.revision : '';
  const namespace =
    (typeof merged.namespace === 'string' && merged.namespace) ||
    (typeof global.istioNamespace === 'string' && global.istioNamespace) ||
    'istio-system';
  const suffix = revision ? `-${revision}` : '';
  const comps = asRecord(merged.components);
  const components: InstalledComponent[] = [];
  const enabled = (c: unknown) => asRecord(c).enabled === true;
  const k8s = (c: unknown) => asRecord(asRecord(c).k8s);
  const nsOf = (c: unknown) => {
    const ns = asRecord(c).namespace;
    return typeof ns === 'string' && ns ? ns : namespace;
  };

  components.push({ kind: 'base', name: 'base', enabled: enabled(comps.base), namespace });

  const pilotValues = asRecord(values.pilot);
  components.push({
    kind: 'pilot',
    name: `istiod${suffix}`,
    enabled: enabled(comps.pilot),
    namespace: nsOf(comps.pilot),
    workload: 'Deployment',
    ...scaling(pilotValues, k8s(comps.pilot)),
    resources: deepMerge(pilotValues.resources, k8s(comps.pilot).resources) as Resources,
    service: {
      name: `istiod${suffix}`,
      type: 'ClusterIP',
      ports: [
        { name: 'grpc-xds', port: 15010 },
        { name: 'https-dns', port: 15012 },
        { name: 'https-webhook', port: 443, targetPort: 15017 },
        { name: 'http-monitoring', port: 15014 },
      ],
    },
    labels: { app: 'istiod', 'istio.io/rev': revision || 'default' },
  });
  if (comps.istiodRemote !== undefined)
    components.push({
      kind: 'istiodRemote',
      name: `istiod${suffix}`,
      enabled: enabled(comps.istiodRemote),
      namespace,
    });
  for (const [kind, name] of [
    ['cni', 'istio-cni-node'],
    ['ztunnel', 'ztunnel'],
  ] as const) {
    const c = comps[kind];
    components.push({
      kind,
      name,
      enabled: enabled(c),
      namespace: nsOf(c),
      workload: 'DaemonSet',
      resources: deepMerge(asRecord(values[kind]).resources, k8s(c).resources) as Resources,
    });
  }
  for (const [kind, key, valuesKey, istioLabel] of [
    ['ingressGateway', 'ingressGateways', 'istio-ingressgateway', 'ingressgateway'],
    ['egressGateway', 'egressGateways', 'istio-egressgateway', 'egressgateway'],
  ] as const) {
    const gwValues = asRecord(asRecord(values.gateways)[valuesKey]);
    for (const g of Array.isArray(comps[key]) ? (comps[key] as unknown[]) : []) {
      const gw = asRecord(g);
      const name = typeof gw.name === 'string' && gw.name ? gw.name : valuesKey;
      const settings = k8s(gw);
      const service = asRecord(settings.service);
      const ports = (Array.isArray(service.ports) ? service.ports : gwValues.ports) as
        | ServicePort[]
        | undefined;
      components.push({
        kind,
        name,
        // a list item without `enabled` is installed (component.Get: Enabled.GetValueOrTrue)
        enabled: gw.enabled !== false,
        namespace: nsOf(gw),
        workload: 'Deployment',
        ...scaling(gwValues, settings),
        resources: deepMerge(gwValues.resources, settings.resources) as Resources,
        service: {
          name,
          type: typeof service.type === 'string' ? service.type : String(gwValues.type ?? 'ClusterIP'),
          ports: ports ?? [],
        },
        labels: { app: name, istio: istioLabel, ...(asRecord(gw.label) as Record<string, string>) },
      });
    }
  }
  // istiod's chart derives the proxies' discovery address from the revision and the
  // namespace (istiod-<rev>.<ns>.svc:15012) unless the configuration sets one
  const meshConfig = asRecord(merged.meshConfig);
  const givenDefaults = asRecord(asRecord(spec.meshConfig).defaultConfig);
  if (givenDefaults.discoveryAddress === undefined && (revision || namespace !== 'istio-system'))
    meshConfig.defaultConfig = {
      ...asRecord(meshConfig.defaultConfig),
      discoveryAddress: `istiod${suffix}.${namespace}.svc:15012`,
    };
  return {
    profile,
    revision,
    namespace,
    hub: String(merged.hub ?? ''),
    tag: String(merged.tag ?? ''),
    components,
    meshConfig,
    values,
    spec: merged,
  };
}

/** Fixed replicas, or the HPA's bounds when autoscaling is on (the chart then sets no replicas). */
function scaling(
  chart: Record<string, unknown>,
  k8s: Record<string, unknown>,
): { replicas?: number; autoscale?: { min: number; max: number } } {
  const hpa = asRecord(k8s.hpaSpec);
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  if (chart.autoscaleEnabled !== false) {
    const min = num(hpa.minReplicas, num(chart.autoscaleMin, 1));
    return { autoscale: { min, max: Math.max(min, num(hpa.maxReplicas, num(chart.autoscaleMax, 5))) } };
  }
  return { replicas: num(k8s.replicaCount, num(chart.replicaCount, 1)) };
}

/** The enabled components only. */
export function enabledComponents(r: ResolvedInstall): InstalledComponent[] {
  return r.components.filter((c) => c.enabled);
}
