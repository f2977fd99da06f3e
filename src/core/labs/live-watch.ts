// Watching the Istio resources (networking and security.istio.io) of a namespace through the Kubernetes watch API,
// so that `lab watch --live` re-grades whenever the learner applies something.
// A broken watch (server restarted, network gone) is reported and retried with
// backoff; when it comes back, a change is assumed and the lab is graded again.
import { Watch } from '@kubernetes/client-node';
import type { ResolvedKubeconfig } from '../cluster/kubeconfig.ts';
import { istioGroupOf, PLURALS } from '../cluster/live-source.ts';
import type { IstioKind } from '../config/resource.ts';

export interface LiveWatchOptions {
  target: ResolvedKubeconfig;
  namespace: string;
  /** the version each Istio kind is served at in its group (from the first read); kinds not served are not watched */
  versions: Partial<Record<IstioKind, string>>;
  /** more collections to watch (API paths, any namespace): the installation labs' Namespaces, webhooks ... */
  extra?: readonly { kind: string; plural: string; path: string }[];
  /** something was applied, changed or deleted */
  onChange: (what: string) => void;
  /** connection news for the learner: lost, retrying, back */
  onStatus: (message: string) => void;
  /** first retry delay (ms); doubles up to maxBackoffMs */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface LiveWatch {
  stop(): void;
}

export function watchIstio(options: LiveWatchOptions): LiveWatch {
  const watch = new Watch(options.target.kc);
  let stopped = false;
  const controllers = new Set<AbortController>();
  const timers = new Set<NodeJS.Timeout>();
  const first = options.backoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 10_000;

  const start = (kind: string, plural: string, path: string, delay: number, lost: boolean): void => {
    let seen = false;
    let failed = false;
    const retry = (err: unknown): void => {
      if (stopped || failed) return;
      failed = true;
      const why = err instanceof Error ? err.message : err ? String(err) : 'the server closed it';
      if (seen || !lost)
        options.onStatus(`lost the watch on ${plural} (${why}); retrying in ${Math.round(delay / 1000)} s`);
      const t = setTimeout(() => {
        timers.delete(t);
        start(kind, plural, path, Math.min(max, delay * 2), true);
      }, delay);
      timers.add(t);
    };
    watch
      .watch(
        path,
        { allowWatchBookmarks: true },
        (phase, obj: { metadata?: { name?: string } }) => {
          if (phase === 'BOOKMARK') return;
          if (!seen) {
            seen = true;
            if (lost) options.onStatus(`watching ${plural} again`);
          }
          options.onChange(`${phase.toLowerCase()} ${kind} ${obj?.metadata?.name ?? ''}`.trim());
        },
        (err) => {
          // a watch that ends cleanly is restarted too (servers close watches after a while)
          retry(err);
        },
      )
      .then((controller) => {
        if (stopped) controller.abort();
        else {
          controllers.add(controller);
          if (lost && !seen) {
            // connected again with nothing to report yet: grade once, state may have changed
            seen = true;
            options.onStatus(`watching ${plural} again`);
            options.onChange(`reconnected to ${plural}`);
          }
        }
      })
      .catch((err: unknown) => retry(err));
  };

  for (const [kind, version] of Object.entries(options.versions) as [IstioKind, string][]) {
    const plural = PLURALS[kind];
    start(
      kind,
      plural,
      `/apis/${istioGroupOf(kind)}/${version}/namespaces/${options.namespace}/${plural}`,
      first,
      false,
    );
  }
  for (const e of options.extra ?? []) start(e.kind, e.plural, e.path, first, false);
  return {
    stop() {
      stopped = true;
      for (const c of controllers) c.abort();
      for (const t of timers) clearTimeout(t);
    },
  };
}
