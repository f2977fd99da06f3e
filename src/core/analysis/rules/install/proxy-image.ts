// IST0158, as istioctl 1.26's injection.ImageAnalyzer: in a namespace labelled for
// injection, pods whose istio-proxy container (a container, or a native sidecar
// among the init containers) runs another image than the namespace's injector
// ConfigMap (istio-sidecar-injector[-<rev>], data.values) now injects. This is
// what an in-place upgrade leaves behind: the injector changed, the pods did not.
// Like istioctl, the namespace's istio.io/rev is taken as written (a tag names no
// injector ConfigMap, so its pods are not checked: ICA1102 covers tags), and a
// pod that chose its own image (sidecar.istio.io/proxyImage) is left alone.
import type { Resource } from '../../../config/resource.ts';
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

/** meshConfig.defaultConfig.image.imageType of the istio ConfigMap ('default' when unset). */
function imageType(configMaps: readonly Resource[]): string {
  const cm = configMaps.find((c) => c.name === 'istio' && c.namespace === 'istio-system');
  const mesh = asRecord(cm?.raw.data).mesh;
  if (typeof mesh !== 'string') return 'default';
  const doc = parseYamlStream(mesh)[0];
  const type = asRecord(asRecord(asRecord(doc?.value).defaultConfig).image).imageType;
  return typeof type === 'string' && type ? type : 'default';
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
  reads: ['Namespace', 'Pod', 'ConfigMap'],
  codes: ['IST0158'],
  run(ctx) {
    const s = ctx.snapshot;
    const configMaps = s.list('ConfigMap');
    const images = new Map<string, string>();
    for (const cm of configMaps)
      if (cm.name.startsWith(INJECTOR)) images.set(cm.name, injectorProxyImage(cm));
    if (images.size === 0) return;
    const variant = imageType(configMaps);

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
      if (asRecord(asRecord(pod.raw.metadata).annotations)['sidecar.istio.io/proxyImage']) continue;
      const injector = injectorConfigMapName(target.revision);
      const image = images.get(injector);
      if (image === undefined) continue;
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
