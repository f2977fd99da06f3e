// Watching the Istio resources (networking and security.istio.io) of a namespace through the Kubernetes watch API,
// so that `lab watch --live` re-grades whenever the learner applies something.
// A broken watch (server restarted, network gone) is reported and retried with
// backoff; when it comes back, a change is assumed and the lab is graded again. A watch
// the server ends (every WATCH_SECONDS) resumes quietly at its last resourceVersion.
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { ResolvedKubeconfig } from '../cluster/kubeconfig.ts';
import { istioGroupOf, PLURALS } from '../cluster/live-source.ts';
import type { IstioKind } from '../config/resource.ts';

export interface LiveWatchOptions {
  target: ResolvedKubeconfig;
  namespace: string;
  /** the version each Istio kind is served at in its group (from the first read); kinds not served are not watched */
  versions: Partial<Record<IstioKind, string>>;
  /** more collections to watch (API paths, any namespace): the installation labs' Namespaces, webhooks ... */
  extra?: readonly ExtraWatch[];
  /** something was applied, changed or deleted */
  onChange: (what: string) => void;
  /** connection news for the learner: lost, retrying, back */
  onStatus: (message: string) => void;
  /** first retry delay (ms); doubles up to maxBackoffMs */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface ExtraWatch {
  kind: string;
  plural: string;
  path: string;
  /** how the learner is told of it (default: the plural) */
  label?: string;
  /** ask for PartialObjectMetadata (names and labels, never data: Secrets); an answer with more is refused */
  metadataOnly?: boolean;
  /** report only the objects with these names (the others' events are dropped) */
  only?: (name: string) => boolean;
  /**
   * what the learner gets instead when the collection cannot be watched (the account may
   * not: 403; the server will not send metadata only): said once, and it is not watched
   */
  ifUnwatchable?: string;
}

/** A watch's Accept for objects as metadata only (the watch events carry PartialObjectMetadata). */
export const METADATA_ONLY_WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** The same kubeconfig, its requests asking for metadata only (Watch takes no headers of its own). */
function metadataOnly(kc: KubeConfig): KubeConfig {
  const asking = Object.create(kc) as KubeConfig;
  asking.applySecurityAuthentication = async (ctx) => {
    await kc.applySecurityAuthentication(ctx);
    ctx.setHeaderParam('Accept', METADATA_ONLY_WATCH_ACCEPT);
  };
  return asking;
}

export interface LiveWatch {
  stop(): void;
}

/**
 * How long the server keeps one watch open (s): under client-node's 30 s limit for a
 * connection that sends nothing, which a quiet namespace's watch would otherwise hit
 * (the server's bookmarks come just before the end, or once a minute).
 */
export const WATCH_SECONDS = 25;
const RESUME_MS = 200;

export function watchIstio(options: LiveWatchOptions): LiveWatch {
  const watch = new Watch(options.target.kc);
  let metadataWatch: Watch | undefined;
  let stopped = false;
  const controllers = new Set<AbortController>();
  const timers = new Set<NodeJS.Timeout>();
  const first = options.backoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 10_000;

  /** `from`: the resourceVersion a watch the server ended resumes at (nothing missed, nothing listed again) */
  const start = (spec: ExtraWatch, delay: number, lost: boolean, from?: string): void => {
    const { kind, path } = spec;
    const plural = spec.label ?? spec.plural;
    let seen = false;
    let failed = false;
    let version = from;
    const retry = (err: unknown): void => {
      if (stopped || failed) return;
      failed = true;
      if (err == null) {
        // the server ended it (timeoutSeconds): resumed quietly where it stopped, no news for
        // the learner (a short pause, so that a server that ends every watch at once is not hammered)
        const t = setTimeout(() => {
          timers.delete(t);
          start(spec, first, false, version);
        }, RESUME_MS);
        timers.add(t);
        return;
      }
      const status = (err as { statusCode?: unknown } | null)?.statusCode;
      if (spec.ifUnwatchable && (status === 403 || status === 406)) {
        const why = status === 403 ? 'forbidden' : 'the server will not send metadata only';
        options.onStatus(`cannot watch ${plural} (${why}): ${spec.ifUnwatchable}`);
        return;
      }
      const why = err instanceof Error ? err.message : String(err);
      if (seen || !lost)
        options.onStatus(`lost the watch on ${plural} (${why}); retrying in ${Math.round(delay / 1000)} s`);
      const t = setTimeout(() => {
        timers.delete(t);
        start(spec, Math.min(max, delay * 2), true);
      }, delay);
      timers.add(t);
    };
    let controller: AbortController | undefined;
    const by = spec.metadataOnly ? (metadataWatch ??= new Watch(metadataOnly(options.target.kc))) : watch;
    by.watch(
      path,
      // The server ends the watch before the client's 30 s inactivity limit, with a bookmark
      // just before (the resourceVersion to resume at): a quiet namespace is no lost watch.
      { allowWatchBookmarks: true, timeoutSeconds: WATCH_SECONDS, resourceVersion: from },
      (phase, obj: { kind?: string; metadata?: { name?: string; resourceVersion?: string } }) => {
        if (failed) return;
        // an ERROR (410 Gone: too old to resume at) ends the watch: the next one lists afresh
        version = phase === 'ERROR' ? undefined : (obj?.metadata?.resourceVersion ?? version);
        if (phase === 'BOOKMARK') return;
        if (spec.metadataOnly && phase !== 'ERROR' && obj?.kind !== 'PartialObjectMetadata') {
          // the server sent whole objects: stop before any more arrive
          failed = true;
          controller?.abort();
          const instead = spec.ifUnwatchable ? `: ${spec.ifUnwatchable}` : '';
          options.onStatus(`stopped watching ${plural} (the server sent more than metadata)${instead}`);
          return;
        }
        if (!seen) {
          seen = true;
          if (lost) options.onStatus(`watching ${plural} again`);
        }
        const name = obj?.metadata?.name ?? '';
        if (spec.only && phase !== 'ERROR' && !spec.only(name)) return;
        options.onChange(`${phase.toLowerCase()} ${kind} ${name}`.trim());
      },
      (err) => retry(err),
    )
      .then((c) => {
        controller = c;
        if (stopped || failed) c.abort();
        else {
          controllers.add(c);
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
    const path = `/apis/${istioGroupOf(kind)}/${version}/namespaces/${options.namespace}/${plural}`;
    start({ kind, plural, path }, first, false);
  }
  for (const e of options.extra ?? []) start(e, first, false);
  return {
    stop() {
      stopped = true;
      for (const c of controllers) c.abort();
      for (const t of timers) clearTimeout(t);
    },
  };
}
