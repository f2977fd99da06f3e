// `cohort init`, `add` and `remove` in core: create or update each learner's namespace
// (Bookinfo, ServiceAccount, Role, RoleBinding) and kubeconfig, the cohort's grading
// access, and the cohort record. Idempotent: an object that already says what we want
// is not written, and a kubeconfig whose token is still good is not rewritten.
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomically } from '../atomic-file.ts';
import { DEFAULT_TIMEOUT_MS, KubeHttp } from '../cluster/http.ts';
import { type KubeconfigOptions, resolveKubeconfig } from '../cluster/kubeconfig.ts';
import type { Manifest } from '../cluster/manifests.ts';
import { prepareWorkspaceDir } from '../labs/workspace.ts';
import { meshExportCheck, NO_SIDECAR_CRD, sidecarServed } from './isolation.ts';
import {
  type ApplyAction,
  describeRef,
  type KubeObject,
  mapBounded,
  ObjectClient,
  refOf,
  serviceAccountToken,
} from './kube.ts';
import {
  type ClusterAccess,
  clusterAccess,
  kubeconfigText,
  tokenInFile,
  tokenReusable,
} from './learner-kubeconfig.ts';
import {
  COHORT_LABEL,
  cohortManifests,
  GATEWAY_NAMESPACE,
  GRADER_SERVICE_ACCOUNT,
  gatewayReadBindingName,
  LEARNER_LABEL,
  LEARNER_ROLE,
  LEARNER_SERVICE_ACCOUNT,
  learnerGatewayReadManifest,
  learnerManifests,
  learnerSidecarManifest,
  SIDECAR_NAME,
} from './manifests.ts';
import { cohortNamespace, learnerNamespace } from './roster.ts';
import { type CohortRecord, type CohortStoreOptions, readCohort, saveCohort } from './store.ts';

export class CohortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CohortError';
  }
}

export interface CohortClusterOptions extends KubeconfigOptions {
  /** per-request timeout (default 10 s) */
  timeoutMs?: number;
}

export interface SetupOptions extends CohortClusterOptions, CohortStoreOptions {
  name: string;
  ids: readonly string[];
  /** where learner kubeconfigs go */
  dir: string;
  /** API server URL for the learners (default: the instructor's) */
  server?: string;
  /** lifetime of requested learner tokens (default 30 days) */
  tokenTtlSeconds?: number;
  /** learners set up at once (default 4) */
  concurrency?: number;
  now?: () => Date;
  /** called as each learner is done */
  onLearner?: (l: LearnerSetup) => void;
}

export type Counts = Record<ApplyAction, number>;

export interface LearnerSetup {
  id: string;
  namespace: string;
  kubeconfig: string;
  objects: Counts;
  /** what changed, for `--verbose` style listings: `created Role spring-alice/ica-trainer-learner` */
  changes: string[];
  kubeconfigAction: 'written' | 'unchanged';
}

export interface SetupResult {
  cohort: string;
  context: string;
  /** the server URL in the learner kubeconfigs */
  server: string;
  learners: LearnerSetup[];
  /** the ClusterRole, the cohort namespace, grader account and binding */
  shared: Counts;
  sharedChanges: string[];
  graderKubeconfig: string;
  graderKubeconfigAction: 'written' | 'unchanged';
  /** learners in the record that the roster no longer lists (kept; `cohort remove` removes them) */
  notInRoster: string[];
  recordWritten: boolean;
  /** isolation the cluster lacks: no Sidecar CRD, mesh-wide exportTo defaults (one line each) */
  warnings: string[];
  requests: number;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
export const GRADER_KUBECONFIG = '_grader.kubeconfig';

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });

export function learnerKubeconfigPath(dir: string, id: string): string {
  return join(dir, `${id}.kubeconfig`);
}

function connect(options: CohortClusterOptions) {
  const target = resolveKubeconfig(options);
  const http = new KubeHttp(target, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return { target, http, client: new ObjectClient(http) };
}

/** Refuses a namespace that exists but is not this cohort's learner `id` (or is being deleted). */
function checkOwnership(ns: KubeObject | undefined, cohort: string, id: string | undefined): void {
  if (!ns) return;
  const name = ns.metadata?.name ?? '';
  const labels = ns.metadata?.labels ?? {};
  if (labels[COHORT_LABEL] !== cohort || (id !== undefined && labels[LEARNER_LABEL] !== id)) {
    const owner = labels[COHORT_LABEL] ? `cohort "${labels[COHORT_LABEL]}"` : 'no cohort';
    throw new CohortError(
      `namespace ${name} already exists and belongs to ${owner}, not to cohort "${cohort}"${id ? ` (learner ${id})` : ''}; nothing in it was changed. Choose another cohort name (--name) or learner id`,
    );
  }
  if (ns.metadata?.deletionTimestamp) {
    throw new CohortError(`namespace ${name} is being deleted; run this again once it is gone`);
  }
}

async function applyAll(
  client: ObjectClient,
  manifests: readonly Manifest[],
  counts: Counts,
  changes: string[],
  /** the first manifest's object as just read (null: it does not exist) */
  first?: KubeObject | null,
): Promise<Map<string, KubeObject>> {
  const objects = new Map<string, KubeObject>();
  for (const [i, m] of manifests.entries()) {
    const { action, object } = await client.apply(m, i === 0 ? first : undefined);
    counts[action]++;
    if (action !== 'unchanged') changes.push(`${action} ${describeRef(refOf(m))}`);
    objects.set(describeRef(refOf(m)), object);
  }
  return objects;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

interface KubeconfigJob {
  path: string;
  namespace: string;
  serviceAccount: string;
  uid: string | undefined;
  context: string;
  access: ClusterAccess;
}

/** Writes (or keeps) a kubeconfig for a ServiceAccount. */
async function ensureKubeconfig(
  client: ObjectClient,
  job: KubeconfigJob,
  ttlSeconds: number,
  now: Date,
): Promise<'written' | 'unchanged'> {
  const existing = await readText(job.path);
  const old = existing ? tokenInFile(existing) : undefined;
  const minValid = Math.min(24 * 3600, Math.floor(ttlSeconds / 2));
  const base = { cluster: job.context, context: job.context, user: job.context, namespace: job.namespace };
  let token = old;
  if (
    !token ||
    !tokenReusable(
      token,
      { namespace: job.namespace, serviceAccount: job.serviceAccount, uid: job.uid },
      now,
      minValid,
    )
  ) {
    token = (await serviceAccountToken(client, job.namespace, job.serviceAccount, ttlSeconds)).token;
  }
  const text = kubeconfigText({ ...base, token, access: job.access });
  if (text === existing) return 'unchanged';
  await writeFileAtomically(job.path, text, { mode: 0o600 });
  return 'written';
}

/** `cohort init` (and `cohort add`): everything for each id, then the record. */
export async function setupCohort(options: SetupOptions): Promise<SetupResult> {
  const now = options.now ?? (() => new Date());
  const { target, http, client } = connect(options);
  const access = clusterAccess(target.kc, options.server);
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const dir = resolve(options.dir);
  await prepareWorkspaceDir(dir);
  const cohort = options.name;

  // The cohort's own objects first: they fail early (RBAC, a taken namespace) before any learner.
  const shared = zero();
  const sharedChanges: string[] = [];
  const sharedManifests = cohortManifests(cohort);
  const gradingNs = cohortNamespace(cohort);
  const existingNs = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: gradingNs });
  checkOwnership(existingNs, cohort, undefined);
  const sharedObjects = await applyAll(client, sharedManifests, shared, sharedChanges);
  const grader = sharedObjects.get(`ServiceAccount ${gradingNs}/${GRADER_SERVICE_ACCOUNT}`);
  const graderKubeconfig = join(dir, GRADER_KUBECONFIG);
  const graderKubeconfigAction = await ensureKubeconfig(
    client,
    {
      path: graderKubeconfig,
      namespace: gradingNs,
      serviceAccount: GRADER_SERVICE_ACCOUNT,
      uid: grader?.metadata?.uid,
      context: `${cohort}-grader`,
      access,
    },
    ttl,
    now(),
  );

  // The ingress gateway's namespace: learners get read access there once it exists
  // (init again after installing Istio adds it).
  const gatewayNs = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: GATEWAY_NAMESPACE });
  // Isolation: a Sidecar per learner namespace where Istio serves the kind; the mesh
  // config's exportTo defaults are checked, never changed.
  const sidecars = await sidecarServed(client);
  const warnings = sidecars ? [] : [NO_SIDECAR_CRD];
  const meshWarning = await meshExportCheck(client);
  if (meshWarning) warnings.push(meshWarning);
  const learners = await mapBounded(options.ids, options.concurrency ?? 4, async (id) => {
    const ns = learnerNamespace(cohort, id);
    const current = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    checkOwnership(current, cohort, id);
    const objects = zero();
    const changes: string[] = [];
    const applied = await applyAll(client, learnerManifests(cohort, id), objects, changes, current ?? null);
    if (gatewayNs) await applyAll(client, [learnerGatewayReadManifest(cohort, id)], objects, changes);
    if (sidecars) await applyAll(client, [learnerSidecarManifest(cohort, id)], objects, changes);
    const sa = applied.get(`ServiceAccount ${ns}/${LEARNER_SERVICE_ACCOUNT}`);
    const kubeconfig = learnerKubeconfigPath(dir, id);
    const kubeconfigAction = await ensureKubeconfig(
      client,
      {
        path: kubeconfig,
        namespace: ns,
        serviceAccount: LEARNER_SERVICE_ACCOUNT,
        uid: sa?.metadata?.uid,
        context: ns,
        access,
      },
      ttl,
      now(),
    );
    const result: LearnerSetup = { id, namespace: ns, kubeconfig, objects, changes, kubeconfigAction };
    options.onLearner?.(result);
    return result;
  });

  const before = await readCohort(cohort, options);
  const stamp = now().toISOString();
  const known = new Map((before?.learners ?? []).map((l) => [l.id, l]));
  for (const id of options.ids) {
    if (!known.has(id)) known.set(id, { id, namespace: learnerNamespace(cohort, id), addedAt: stamp });
  }
  const record: CohortRecord = {
    version: 1,
    name: cohort,
    createdAt: before?.createdAt ?? stamp,
    updatedAt: stamp,
    context: target.context,
    server: access.server,
    kubeconfigDir: dir,
    learners: [...known.values()],
    removed: (before?.removed ?? []).filter((r) => !options.ids.includes(r.id)),
  };
  const recordWritten = await saveCohort(record, options);
  return {
    cohort,
    context: target.context,
    server: access.server,
    learners,
    shared,
    sharedChanges,
    graderKubeconfig,
    graderKubeconfigAction,
    notInRoster: (before?.learners ?? []).map((l) => l.id).filter((id) => !options.ids.includes(id)),
    recordWritten,
    warnings,
    requests: http.requests,
  };
}

export interface RemoveOptions extends CohortClusterOptions, CohortStoreOptions {
  record: CohortRecord;
  ids: readonly string[];
  now?: () => Date;
}

export interface Removal {
  id: string;
  namespace: string;
  /** false: there was no such namespace (already gone) */
  deleted: boolean;
}

/**
 * `cohort remove`: revokes access first (RoleBinding, ServiceAccount: its tokens stop
 * working at once), then deletes the namespace and the kubeconfig. Results stay.
 */
export async function removeLearners(
  options: RemoveOptions,
): Promise<{ removals: Removal[]; requests: number }> {
  const { http, client } = connect(options);
  const cohort = options.record.name;
  const removals: Removal[] = [];
  for (const id of options.ids) {
    const ns = learnerNamespace(cohort, id);
    const current = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    if (current) {
      const labels = current.metadata?.labels ?? {};
      if (labels[COHORT_LABEL] !== cohort || labels[LEARNER_LABEL] !== id) {
        throw new CohortError(
          `namespace ${ns} does not belong to learner ${id} of cohort "${cohort}"; it was left alone`,
        );
      }
      await client.delete({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        name: LEARNER_ROLE,
        namespace: ns,
      });
      await client.delete({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        name: gatewayReadBindingName(cohort, id),
        namespace: GATEWAY_NAMESPACE,
      });
      // the Sidecar goes with the namespace; deleted first so that it is gone even when the
      // namespace lingers in Terminating (a cluster without the kind answers 404: fine)
      await client.delete({
        apiVersion: 'networking.istio.io/v1',
        kind: 'Sidecar',
        name: SIDECAR_NAME,
        namespace: ns,
      });
      await client.delete({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        name: LEARNER_SERVICE_ACCOUNT,
        namespace: ns,
      });
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    }
    await rm(learnerKubeconfigPath(options.record.kubeconfigDir, id), { force: true });
    removals.push({ id, namespace: ns, deleted: Boolean(current) });
  }
  const stamp = (options.now?.() ?? new Date()).toISOString();
  const gone = new Set(options.ids);
  const record: CohortRecord = {
    ...options.record,
    updatedAt: stamp,
    learners: options.record.learners.filter((l) => !gone.has(l.id)),
    removed: [
      ...options.record.removed.filter((r) => !gone.has(r.id)),
      ...options.ids.map((id) => ({ id, namespace: learnerNamespace(cohort, id), removedAt: stamp })),
    ],
  };
  await saveCohort(record, options);
  return { removals, requests: http.requests };
}
