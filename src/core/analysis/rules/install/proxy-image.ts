// IST0158, as istioctl 1.26's injection.ImageAnalyzer: in a namespace labelled for
// injection, pods whose istio-proxy container (a container, or a native sidecar
// among the init containers) runs another image than the namespace's injector
// ConfigMap (istio-sidecar-injector[-<rev>], data.values) now injects. This is
// what an in-place upgrade leaves behind: the injector changed, the pods did not.
// Like istioctl, the namespace's istio.io/rev is taken as written (a tag names no
// injector ConfigMap, so its pods are not checked: ICA1102 covers tags), and a
// pod that chose its own image (sidecar.istio.io/proxyImage) is left alone. The image
// variant (-distroless, -debug) comes from the mesh config, ProxyConfigs and the pod's
// proxy.istio.io/config annotation, as istioctl's EffectiveProxyConfigResolver reads them.
import type { Resource } from '../../../config/resource.ts';
import { ROOT_NAMESPACE } from '../../../config/security-policies.ts';
import type { ProxyConfig } from '../../../config/snapshot.ts';
import { parseYamlStream } from '../../../config/yaml.ts';
import type { Rule } from '../../rule.ts';

const INJECTOR = 'istio-sidecar-injector';

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The image an injector ConfigMap's values inject ('' when they cannot be read, as
 * istioctl): the proxy's (global.proxy.image), or istio-init's (global.proxy_init.image).
 */
export function injectorProxyImage(cm: Resource, which: 'proxy' | 'proxy_init' = 'proxy'): string {
  const values = asRecord(cm.raw.data).values;
  if (typeof values !== 'string') return '';
  let global: Record<string, unknown>;
  try {
    global = asRecord(asRecord(JSON.parse(values)).global);
  } catch {
    return '';
  }
  const image = asRecord(global[which]).image ?? (which === 'proxy_init' ? 'proxyv2' : '');
  const { hub = '', tag = '' } = global;
  // istioctl decodes into strings: any other type fails the whole document
  if (typeof image !== 'string' || typeof hub !== 'string' || typeof tag !== 'string') return '';
  return image.includes('/') ? image : `${hub}/${image}:${tag}`;
}

/** The injector ConfigMap a revision reads: istio-sidecar-injector or istio-sidecar-injector-<rev>. */
export function injectorConfigMapName(revision: string): string {
  return revision === '' || revision === 'default' ? INJECTOR : `${INJECTOR}-${revision}`;
}

/** meshConfig.defaultConfig.image.imageType of the istio ConfigMap ('' when unset). */
function meshImageType(configMaps: readonly Resource[]): string {
  const cm = configMaps.find((c) => c.name === 'istio' && c.namespace === 'istio-system');
  const mesh = asRecord(cm?.raw.data).mesh;
  if (typeof mesh !== 'string') return '';
  const doc = parseYamlStream(mesh)[0];
  const type = asRecord(asRecord(asRecord(doc?.value).defaultConfig).image).imageType;
  return typeof type === 'string' ? type : '';
}

/**
 * The image variant a pod's proxy gets, as istioctl's EffectiveProxyConfigResolver:
 * the mesh's defaultConfig, then a ProxyConfig in the root namespace, its namespace's
 * (no selector), one selecting the pod, then the pod's proxy.istio.io/config
 * annotation; each that sets image.imageType wins over the ones before. "default" is none.
 */
function imageTypeResolver(
  meshType: string,
  proxyConfigs: readonly ProxyConfig[],
): (pod: Resource) => string {
  let root = '';
  const byNamespace = new Map<string, string>();
  const selecting: ProxyConfig[] = [];
  for (const pc of proxyConfigs) {
    const type = pc.spec.image?.imageType ?? '';
    if (pc.namespace === ROOT_NAMESPACE) root = type || root;
    else if (!pc.spec.selector) byNamespace.set(pc.namespace, type);
    else selecting.push(pc);
  }
  return (pod) => {
    let variant = meshType;
    if (root) variant = root;
    const ns = byNamespace.get(pod.namespace);
    if (ns) variant = ns;
    for (const pc of selecting) {
      if (pc.namespace !== pod.namespace || !pc.spec.image?.imageType) continue;
      const want = pc.spec.selector?.matchLabels ?? {};
      if (Object.entries(want).every(([k, v]) => pod.labels[k] === v)) variant = pc.spec.image.imageType;
    }
    const annotation = asRecord(asRecord(pod.raw.metadata).annotations)['proxy.istio.io/config'];
    if (typeof annotation === 'string') {
      const type = asRecord(asRecord(parseYamlStream(annotation)[0]?.value).image).imageType;
      if (typeof type === 'string' && type) variant = type;
    }
    return variant === 'default' ? '' : variant;
  };
}

function proxyContainers(pod: Resource): Record<string, unknown>[] {
  const spec = asRecord(pod.raw.spec);
  const all = [
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ];
  return all.map(asRecord).filter((c) => c.name === 'istio-proxy');
}

export const proxyImage: Rule = {
  name: 'install.proxy-image',
  description:
    "Pods of an injected namespace running another istio-proxy image than the namespace's injector now injects (not restarted after an upgrade).",
  reads: ['Namespace', 'Pod', 'Deployment', 'ConfigMap', 'ProxyConfig'],
  codes: ['IST0158'],
  run(ctx) {
    const s = ctx.snapshot;
    const configMaps = s.list('ConfigMap');
    const images = new Map<string, string>();
    for (const cm of configMaps)
      if (cm.name.startsWith(INJECTOR)) images.set(cm.name, injectorProxyImage(cm));
    if (images.size === 0) return;
    const variantOf = imageTypeResolver(meshImageType(configMaps), s.proxyConfigs);

    const injected = new Map<string, { ns: Resource; revision: string }>();
    for (const ns of s.list('Namespace')) {
      const rev = ns.labels['istio.io/rev'];
      if (rev !== undefined) injected.set(ns.name, { ns, revision: rev });
      else if (ns.labels['istio-injection'] === 'enabled') injected.set(ns.name, { ns, revision: 'default' });
    }

    const mismatched = new Map<string, { pods: string[]; image: string; injector: string }>();
    for (const pod of s.list('Pod')) {
      const target = injected.get(pod.namespace);
      if (!target) continue;
      // a pod its Deployment's later restartedAt (kubectl rollout restart) replaces is not running any more
      if (!s.workloads(pod.namespace).some((w) => w.resource === pod)) continue;
      if (asRecord(asRecord(pod.raw.metadata).annotations)['sidecar.istio.io/proxyImage']) continue;
      const injector = injectorConfigMapName(target.revision);
      const image = images.get(injector);
      if (image === undefined) continue;
      const variant = variantOf(pod);
      for (const c of proxyContainers(pod)) {
        if (c.image === image || c.image === `${image}-${variant}`) continue;
        const entry = mismatched.get(pod.namespace) ?? { pods: [], image, injector };
        entry.pods.push(pod.name);
        mismatched.set(pod.namespace, entry);
      }
    }
    for (const [namespace, found] of mismatched) {
      const ns = injected.get(namespace)?.ns;
      if (ns) ctx.report('IST0158', found, ns, ['metadata', 'labels']);
    }
  },
};
