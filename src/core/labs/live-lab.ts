// A lab graded from a cluster namespace, again whenever something is applied: one
// read to check the cluster and learn its namespace and served Istio versions,
// then a grade per change (the same gradeLab, live mode) and a watch on the
// namespace's Istio resources and the credential Secrets its Gateways name. Used by
// `lab watch --live` and the lab screen's cluster mode.

import { liveReadGaps } from '../cluster/findings.ts';
import { GATEWAY_API_GROUP, GATEWAY_API_PLURALS, type GatewayApiKind } from '../cluster/gateway-api.ts';
import { resolveKubeconfig } from '../cluster/kubeconfig.ts';
import { type LiveLoad, type LiveSourceOptions, loadCluster } from '../cluster/live-source.ts';
import { trainerCommand } from '../command-name.ts';
import type { LoadResult } from '../config/load.ts';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { UserFacingError } from '../errors.ts';
import { gradeLab } from '../grading/grade.ts';
import type { LabResult } from '../grading/types.ts';
import { type CredentialWatch, watchCredentials } from './credential-watch.ts';
import { watchIstio } from './live-watch.ts';

/** What the installation labs read live (see live-install.ts), as watchable collections. */
const INSTALL_WATCHES = [
  { kind: 'Namespace', plural: 'namespaces', path: '/api/v1/namespaces' },
  { kind: 'Pod', plural: 'pods', path: '/api/v1/pods' },
  { kind: 'Deployment', plural: 'deployments', path: '/apis/apps/v1/deployments' },
  {
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
    path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
  },
  { kind: 'ConfigMap', plural: 'configmaps', path: '/api/v1/namespaces/istio-system/configmaps' },
] as const;

export interface LiveLab {
  context: string;
  namespace: string;
  /** reads the namespace and grades it; `load` is what was read */
  grade(): Promise<{ result: LabResult; load: LoadResult }>;
  /** calls `onChange` on every apply, change or delete (with what: `modified Namespace shop`); returns a function that stops */
  watch(onChange: (what: string) => void, onStatus: (message: string) => void): () => void;
}

/**
 * A lab without the live mode is refused with why (its exercise.yaml's offlineOnly), not
 * graded on a cluster that cannot answer its checks.
 */
export function assertGradedLive(lab: Pick<LoadedExercise, 'id' | 'modes' | 'offlineOnly'>): void {
  if (lab.modes.includes('live')) return;
  throw new UserFacingError(
    `${lab.id} is graded from files only, not from a cluster: ${
      lab.offlineOnly?.trim().replace(/\.$/, '') ?? 'it has no live grading'
    }. Grade your files with \`${trainerCommand()} lab check ${lab.id}\` (without --live)`,
  );
}

/**
 * What the read could not see, for a lab applied as written (its `namespace`): its files
 * name other namespaces too (istio-system, payments, legacy), so a user who may list
 * only one namespace, or not the installation's kinds, must learn why a criterion failed.
 * A lab graded in the learner's own namespace gets none (a cohort learner's usual reads).
 */
export function labReadGaps(lab: Pick<LoadedExercise, 'namespace'>, live: LiveLoad): string | undefined {
  return lab.namespace ? liveReadGaps(live.notes, live.namespace) : undefined;
}

/** Throws the ClusterError of the first read (no kubeconfig, unreachable, forbidden ...). */
export async function openLiveLab(lab: LoadedExercise, given: LiveSourceOptions): Promise<LiveLab> {
  assertGradedLive(lab);
  // a lab whose YAML names its namespace (the security labs: default) is read there
  if (lab.namespace && given.namespace && given.namespace !== lab.namespace)
    throw new UserFacingError(
      `-n ${given.namespace}: ${lab.id}'s resources and checks name namespace ${lab.namespace}; watch it without -n, or with -n ${lab.namespace}`,
    );
  // the Gateways' credentialName Secrets are read by name: their certificates and CA are graded
  const options = { ...given, ...(lab.namespace ? { namespace: lab.namespace } : {}), credentialData: true };
  const first = await loadCluster(options);
  const target = resolveKubeconfig(options);
  const namespace = first.namespace ?? target.namespace;
  const read = { ...options, namespace };
  // the credential Secrets the Gateways name, watched while a watch runs (each grade may name others)
  let resources = first.load.resources;
  let credentials: CredentialWatch | undefined;
  return {
    context: first.context,
    namespace,
    grade: async () => {
      const live = await loadCluster(read);
      resources = live.load.resources;
      credentials?.update(resources);
      const readGaps = labReadGaps(lab, live);
      const result = await gradeLab(lab, {
        dir: `${live.context}/${namespace}`,
        mode: 'live',
        load: live.load,
        namespace,
        ...(readGaps ? { readGaps } : {}),
      });
      return { result, load: live.load };
    },
    watch: (onChange, onStatus) => {
      // the Installation labs are graded on labels, webhooks, injector ConfigMaps and pods
      // anywhere in the cluster: watch those too, so that a relabelling or a restart re-grades
      const extra: { kind: string; plural: string; path: string }[] = lab.domain.startsWith('Installation')
        ? [...INSTALL_WATCHES]
        : [];
      // waypoints and HTTPRoutes (a learner's `istioctl waypoint apply`, an HTTPRoute), when served
      for (const [kind, version] of Object.entries(first.gatewayApiVersions)) {
        const plural = GATEWAY_API_PLURALS[kind as GatewayApiKind];
        extra.push({
          kind,
          plural,
          path: `/apis/${GATEWAY_API_GROUP}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}`,
        });
      }
      const w = watchIstio({ target, namespace, versions: first.istioVersions, extra, onChange, onStatus });
      const secrets = watchCredentials({ target, onChange, onStatus });
      secrets.update(resources);
      credentials = secrets;
      return () => {
        w.stop();
        secrets.stop();
        if (credentials === secrets) credentials = undefined;
      };
    },
  };
}
