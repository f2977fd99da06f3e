// The Secrets Gateways name in tls.credentialName, watched so that `lab watch --live`
// re-grades when the learner creates or changes one (`kubectl create -n istio-system
// secret tls bookinfo-credential ...` after the Gateway, as the TLS labs' READMEs have it).
// The watch asks for metadata only (PartialObjectMetadata): no Secret data travels on
// it; the grade reads the named Secrets by GET as before. One watch per namespace the
// gateway pods run in, started once a Gateway names a credential there (the Gateway's
// own watch re-grades first, and the grade brings the names); events of other Secrets
// are dropped. An account that may not watch Secrets there is told once, and such a
// Secret is graded at the next other change.
import { credentialsNamed } from '../cluster/credential-secrets.ts';
import type { ResolvedKubeconfig } from '../cluster/kubeconfig.ts';
import type { Resource } from '../config/resource.ts';
import { type LiveWatch, watchIstio } from './live-watch.ts';

/** `namespace/name` of every Secret a grade of `resources` reads: each credential and, for MUTUAL, its -cacert. */
export function credentialSecretKeys(resources: readonly Resource[]): Set<string> {
  const keys = new Set<string>();
  for (const w of credentialsNamed(resources)) {
    keys.add(`${w.namespace}/${w.name}`);
    if (w.mutual) keys.add(`${w.namespace}/${w.name}-cacert`);
  }
  return keys;
}

export interface CredentialWatch {
  /** the Secrets the latest read's Gateways name: watches the namespaces not watched yet */
  update(resources: readonly Resource[]): void;
  stop(): void;
}

export function watchCredentials(options: {
  target: ResolvedKubeconfig;
  onChange: (what: string) => void;
  onStatus: (message: string) => void;
}): CredentialWatch {
  let keys = new Set<string>();
  const watches = new Map<string, LiveWatch>();
  let stopped = false;
  return {
    update(resources) {
      if (stopped) return;
      keys = credentialSecretKeys(resources);
      for (const key of keys) {
        const namespace = key.slice(0, key.indexOf('/'));
        if (watches.has(namespace)) continue;
        const w = watchIstio({
          target: options.target,
          namespace,
          versions: {},
          extra: [
            {
              kind: 'Secret',
              plural: 'secrets',
              label: `secrets in ${namespace}`,
              path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`,
              metadataOnly: true,
              only: (name) => keys.has(`${namespace}/${name}`),
              ifUnwatchable: `a credential Secret created or changed there is graded at the next other change`,
            },
          ],
          onChange: options.onChange,
          onStatus: options.onStatus,
        });
        watches.set(namespace, w);
      }
    },
    stop() {
      stopped = true;
      for (const w of watches.values()) w.stop();
      watches.clear();
    },
  };
}
