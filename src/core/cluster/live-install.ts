// What the live source reads about the installation, beside the routing kinds:
//   LIST mutatingwebhookconfigurations   (cluster-scoped: the injectors istio-sidecar-injector[-<rev>]
//                                         and the revision tags istio-revision-tag-<tag>)
//   LIST configmaps in istio-system      (kept: istio-sidecar-injector[-<rev>], the image each
//                                         revision injects, and the mesh configs istio and
//                                         istio-<rev> that each revision's istiod reads)
// Namespaces (their injection labels), Pods (their containers and sidecar.istio.io/status)
// and Deployments (istiod's, and the templates new pods are made from) are listed with
// the other core kinds. Either list refused is a note and a missing kind, so the rules
// that need it are skipped rather than run on an empty list.
import type { Kind } from '../config/resource.ts';
import type { Denied } from './errors.ts';
import { ApiStatusError, type KubeHttp } from './http.ts';

export interface InstallSpec {
  kind: Kind;
  apiVersion: string;
  path: string;
  /** the name RBAC uses, for notes */
  resource: string;
  keep?: (name: string, item: unknown) => boolean;
}

export const ISTIO_NAMESPACE = 'istio-system';

export const INSTALL_READS: readonly InstallSpec[] = [
  {
    kind: 'MutatingWebhookConfiguration',
    apiVersion: 'admissionregistration.k8s.io/v1',
    path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
    resource: 'mutatingwebhookconfigurations.admissionregistration.k8s.io',
  },
  {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    path: `/api/v1/namespaces/${ISTIO_NAMESPACE}/configmaps`,
    resource: 'configmaps',
    keep: (name, item) =>
      name.startsWith('istio-sidecar-injector') ||
      ((name === 'istio' || name.startsWith('istio-')) &&
        typeof (item as { data?: { mesh?: unknown } }).data?.mesh === 'string'),
  },
];

export type InstallOutcome =
  | { spec: InstallSpec; items: unknown[] }
  | { spec: InstallSpec; denied: Denied }
  | { spec: InstallSpec; notServed: true };

/** One LIST per install kind; 403 and 404 become outcomes, anything else is thrown. */
export async function readInstall(http: KubeHttp, spec: InstallSpec): Promise<InstallOutcome> {
  try {
    const body = await http.get<{ items?: unknown[] }>(spec.path);
    const items = (body.items ?? []).filter((i) => {
      const name = (i as { metadata?: { name?: unknown } }).metadata?.name;
      return !spec.keep || (typeof name === 'string' && spec.keep(name, i));
    });
    return { spec, items };
  } catch (e) {
    if (!(e instanceof ApiStatusError)) throw e;
    if (e.status === 404) return { spec, notServed: true };
    if (e.status !== 403) throw e;
    const user = /User "([^"]+)"/.exec(e.body?.message ?? '')?.[1];
    const namespace = spec.path.includes('/namespaces/') ? ISTIO_NAMESPACE : undefined;
    return {
      spec,
      denied: {
        verb: 'list',
        resource: spec.resource,
        ...(namespace ? { namespace } : {}),
        ...(user ? { user } : {}),
      },
    };
  }
}
