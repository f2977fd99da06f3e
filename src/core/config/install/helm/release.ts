// What a release of one of Istio's charts would run, from its values: the summary of
// `install helm check` and the helm-install-order grader.
import { MESH_CONFIG_FIELDS } from '../../schemas/install/mesh-config.ts';
import { profileNamed } from '../profiles.ts';
import { deepMerge } from '../resolve.ts';
import type { ChartName } from './charts.ts';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export interface ReleaseSummary {
  chart: ChartName;
  release: string;
  namespace: string;
  /** what the release runs, one line each */
  components: string[];
  /** istiod: the mesh config it would serve (its profile's, then meshConfig) */
  meshConfig?: Record<string, unknown>;
}

const get = (v: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((cur, k) => (isMap(cur) ? cur[k] : undefined), v);

/** What a release of `chart` with these values would run, for the summary. */
export function summarizeRelease(
  chart: ChartName,
  release: string,
  namespace: string,
  values: Record<string, unknown>,
): ReleaseSummary {
  const components: string[] = [];
  const rev = typeof values.revision === 'string' && values.revision ? values.revision : '';
  const suffix = rev ? `-${rev}` : '';
  if (chart === 'base') {
    components.push('CustomResourceDefinitions of Istio (networking, security, telemetry, extensions)');
    const def = values.defaultRevision;
    if (def !== '' && def !== undefined)
      components.push(
        `ValidatingWebhookConfiguration istiod-default-validator (defaultRevision ${String(def)})`,
      );
  } else if (chart === 'istiod') {
    // 1.26's chart reads istiod's settings at the top or under pilot
    const own = (k: string) => get(values, `pilot.${k}`) ?? values[k];
    const autoscale = own('autoscaleEnabled') !== false;
    const min = own('autoscaleMin') ?? 1;
    const max = own('autoscaleMax') ?? 5;
    const replicas = own('replicaCount') ?? 1;
    components.push(
      `Deployment istiod${suffix}: ${autoscale ? `HPA ${String(min)}-${String(max)} replicas (replicaCount is not used while autoscaleEnabled is true)` : `${String(replicas)} replica(s), no HPA`}`,
    );
    components.push(`MutatingWebhookConfiguration istio-sidecar-injector${suffix}`);
    components.push(`ConfigMap istio${suffix} (the mesh config)`);
    const tags = values.revisionTags;
    if (Array.isArray(tags) && tags.length)
      components.push(
        `revision tags: ${tags.map(String).join(', ')} (MutatingWebhookConfigurations istio-revision-tag-<tag>)`,
      );
  } else if (chart === 'gateway') {
    const name = typeof values.name === 'string' && values.name ? values.name : release;
    const kind = typeof values.kind === 'string' ? values.kind : 'Deployment';
    const type = get(values, 'service.type') ?? 'LoadBalancer';
    const hpa = get(values, 'autoscaling.enabled') !== false;
    // the chart's defaults (autoscaling.minReplicas 1, maxReplicas 5), shown as istiod's are
    const min = get(values, 'autoscaling.minReplicas') ?? 1;
    const max = get(values, 'autoscaling.maxReplicas') ?? 5;
    const scale =
      kind !== 'Deployment'
        ? ''
        : hpa
          ? `, HPA ${String(min)}-${String(max)} replicas`
          : `, ${String(get(values, 'replicaCount') ?? 1)} replica(s), no HPA`;
    components.push(
      `${kind} ${name} (pods labelled app=${name}, istio=${name.replace(/^istio-/, '')}: a Gateway selects them with that label)${scale}`,
    );
    if (type !== 'None') components.push(`Service ${name} (${String(type)})`);
  } else if (chart === 'cni') {
    const ambient = get(values, 'ambient.enabled') === true || values.profile === 'ambient';
    components.push(`DaemonSet istio-cni-node${ambient ? ' (ambient redirection on)' : ''}`);
  } else {
    components.push(
      `DaemonSet ${typeof values.resourceName === 'string' && values.resourceName ? values.resourceName : 'ztunnel'}`,
    );
  }
  const summary: ReleaseSummary = { chart, release, namespace, components };
  if (chart === 'istiod') {
    const profile =
      typeof values.profile === 'string' ? profileNamed(values.profile)?.spec.meshConfig : undefined;
    // istiod drops the fields MeshConfig does not have: they are not served
    const known = new Set(
      MESH_CONFIG_FIELDS.flatMap((f) => [f, f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
    );
    const own = Object.fromEntries(
      Object.entries(isMap(values.meshConfig) ? values.meshConfig : {}).filter(([k]) => known.has(k)),
    );
    summary.meshConfig = deepMerge(profile ?? {}, own) as Record<string, unknown>;
  }
  return summary;
}
