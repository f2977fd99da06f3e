// `cluster up` and `cluster down`: the lab cluster's life. Up is idempotent: an
// existing kind cluster is reused (its kubeconfig context exported again),
// `istioctl install` and `kubectl apply` converge on the same state, and the
// readiness waits pass at once when everything already runs.
import { BOOKINFO_NAMESPACE, LEGACY_NAMESPACE } from '../config/bookinfo.ts';
import { stateHome } from '../progress/store.ts';
import { forgetClusterRecord, writeClusterRecord } from './cluster-state.ts';
import { checkDockerEngine, requireTools, UP_TOOLS } from './cluster-up-preflight.ts';
import { CommandError, execaRunner, formatDuration, type Runner } from './exec.ts';
import { EXT_AUTHZ_NAMESPACE, extAuthzManifests } from './ext-authz-sample.ts';
import {
  installedControlPlanes,
  istioctlClientVersion,
  revisionProblem,
  upgradeQuestion,
} from './istio-upgrade.ts';
import { ISTIO_NAMESPACE, istioctlInstall, profileProblem } from './istioctl.ts';
import {
  clusterNameProblem,
  kindClusters,
  kindContext,
  kindCreateCluster,
  kindDeleteCluster,
  kindExportKubeconfig,
} from './kind.ts';
import { applyManifests, enableInjection, injectRevision, waitAvailable } from './kind-kubectl.ts';
import { labManifests, legacyClientManifests, manifestsYaml } from './manifests.ts';

/** Progress of a multi-step command, for the display (spinner on a TTY, plain lines otherwise). */
export type StepEvent =
  | { type: 'start'; id: string; title: string }
  | { type: 'done'; id: string; title: string; detail?: string }
  | { type: 'skip'; id: string; title: string; detail: string }
  | { type: 'fail'; id: string; title: string };

export interface ClusterDeps {
  run?: Runner;
  /** environment: PATH decides which tools are found; ICA_TRAINER_HOME the state folder */
  env?: NodeJS.ProcessEnv;
  /** state folder (default: $ICA_TRAINER_HOME or the platform's data directory) */
  home?: string;
  progress?: (event: StepEvent) => void;
}

export interface UpOptions {
  name: string;
  istioProfile: string;
  /** limit for each long step: cluster creation, Istio install, each readiness wait */
  timeoutMs: number;
  /** kind node image (a Kubernetes version Istio supports when kind's default is newer) */
  kindImage?: string;
  /** the namespace Bookinfo and fortio go to */
  namespace?: string;
  /** install this revision (istioctl --set revision=REV) and point the namespace at it */
  revision?: string;
  /** confirmed in advance: an install that changes a running mesh goes ahead without asking */
  yes?: boolean;
  /** asks before such an install; undefined when the session is not interactive */
  confirm?: (question: string) => Promise<boolean>;
}

export interface UpResult {
  name: string;
  context: string;
  created: boolean;
  dockerVersion: string;
  recordPath: string;
  applied: string[];
}

/** A usage problem found before anything ran (bad cluster name, bad profile). */
export class ClusterOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterOptionError';
  }
}

/** A step that failed: which one, and the command error behind it. */
export class StepError extends Error {
  /** the step's id (docker, find, create, kubeconfig, istio, inject, apply, legacy, ext-authz, wait-istio, wait-bookinfo, wait-legacy, wait-ext-authz, delete) */
  readonly id: string;
  /** the step's title, as the progress display showed it */
  readonly step: string;
  readonly failure: CommandError;
  constructor(id: string, step: string, failure: CommandError) {
    super(`${step}: ${failure.message}`);
    this.name = 'StepError';
    this.id = id;
    this.step = step;
    this.failure = failure;
  }
}

async function step<T>(
  deps: ClusterDeps,
  id: string,
  title: string,
  body: () => Promise<T>,
  detail?: (value: T) => string | undefined,
): Promise<T> {
  deps.progress?.({ type: 'start', id, title });
  try {
    const value = await body();
    const d = detail?.(value);
    deps.progress?.(d === undefined ? { type: 'done', id, title } : { type: 'done', id, title, detail: d });
    return value;
  } catch (e) {
    deps.progress?.({ type: 'fail', id, title });
    if (e instanceof CommandError) throw new StepError(id, title, e);
    throw e;
  }
}

function runnerOf(deps: ClusterDeps): Runner {
  return deps.run ?? execaRunner({ env: deps.env ?? process.env });
}

/** The learner said no to changing the running mesh: Istio and the lab were left as they were. */
export class UpgradeDeclined extends Error {
  constructor() {
    super('Istio was left as it is: nothing was installed or applied.');
    this.name = 'UpgradeDeclined';
  }
}

/**
 * Creates (or reuses) the kind cluster, installs Istio, enables sidecar injection,
 * applies Bookinfo and fortio, the plaintext client legacy/curl and Istio's sample
 * ext-authz in foo (its providers are in the mesh config: istioctlInstallArgs), waits for them,
 * records the context.
 * Throws PrerequisiteError before running anything when tools are missing,
 * ClusterOptionError for bad options, StepError when a command fails.
 */
export async function clusterUp(options: UpOptions, deps: ClusterDeps = {}): Promise<UpResult> {
  const optionProblem =
    clusterNameProblem(options.name) ??
    profileProblem(options.istioProfile) ??
    (options.revision !== undefined ? revisionProblem(options.revision) : undefined);
  if (optionProblem) throw new ClusterOptionError(optionProblem);
  const env = deps.env ?? process.env;
  const ns = options.namespace ?? BOOKINFO_NAMESPACE;
  requireTools(UP_TOOLS, '`cluster up`', env);
  const run = runnerOf(deps);
  const context = kindContext(options.name);
  const timeout = formatDuration(options.timeoutMs);

  const dockerVersion = await step(
    deps,
    'docker',
    'Checking the docker engine',
    () => checkDockerEngine(run),
    (v) => (v ? `docker ${v}` : undefined),
  );

  const existing = await step(deps, 'find', `Looking for kind cluster "${options.name}"`, () =>
    kindClusters(run),
  );
  const created = !existing.includes(options.name);
  if (created) {
    const title = `Creating kind cluster "${options.name}" (up to ${timeout})`;
    await step(deps, 'create', title, () =>
      kindCreateCluster(run, {
        name: options.name,
        timeoutMs: options.timeoutMs,
        ...(options.kindImage ? { image: options.kindImage } : {}),
      }),
    );
  } else {
    deps.progress?.({
      type: 'skip',
      id: 'create',
      title: `Creating kind cluster "${options.name}"`,
      detail: 'it already exists',
    });
    await step(deps, 'kubeconfig', `Exporting the kubeconfig context ${context}`, () =>
      kindExportKubeconfig(run, options.name),
    );
  }

  if (!created) await confirmMeshChange(options, deps, run, context);

  const rev = options.revision;
  const what = `profile ${options.istioProfile}${rev ? `, revision ${rev}` : ''}`;
  await step(deps, 'istio', `Installing Istio (${what}, up to ${timeout})`, () =>
    istioctlInstall(run, {
      profile: options.istioProfile,
      context,
      timeoutMs: options.timeoutMs,
      ...(rev ? { revision: rev } : {}),
    }),
  );
  if (rev)
    await step(deps, 'inject', `Pointing namespace ${ns} at revision ${rev} (istio.io/rev=${rev})`, () =>
      injectRevision(run, context, ns, rev),
    );
  else
    await step(deps, 'inject', `Enabling sidecar injection in namespace ${ns}`, () =>
      enableInjection(run, context, ns),
    );
  const applied = await step(
    deps,
    'apply',
    `Applying Bookinfo and the fortio client to namespace ${ns}`,
    () => applyManifests(run, context, manifestsYaml(labManifests(ns))),
    (lines) => `${lines.length} objects`,
  );
  const legacy = await step(
    deps,
    'legacy',
    `Applying the plaintext client ${LEGACY_NAMESPACE}/curl (no sidecar) to namespace ${LEGACY_NAMESPACE}`,
    () => applyManifests(run, context, manifestsYaml(legacyClientManifests())),
    (lines) => `${lines.length} objects`,
  );
  const extAuthz = await step(
    deps,
    'ext-authz',
    `Applying Istio's sample external authorizer ${EXT_AUTHZ_NAMESPACE}/ext-authz to namespace ${EXT_AUTHZ_NAMESPACE}`,
    () => applyManifests(run, context, manifestsYaml(extAuthzManifests())),
    (lines) => `${lines.length} objects`,
  );
  await step(deps, 'wait-istio', `Waiting for Istio's deployments in ${ISTIO_NAMESPACE}`, () =>
    waitAvailable(run, context, ISTIO_NAMESPACE, options.timeoutMs),
  );
  await step(deps, 'wait-bookinfo', `Waiting for Bookinfo and fortio in ${ns}`, () =>
    waitAvailable(run, context, ns, options.timeoutMs),
  );
  await step(deps, 'wait-legacy', `Waiting for the plaintext client in ${LEGACY_NAMESPACE}`, () =>
    waitAvailable(run, context, LEGACY_NAMESPACE, options.timeoutMs),
  );
  await step(
    deps,
    'wait-ext-authz',
    `Waiting for the sample external authorizer in ${EXT_AUTHZ_NAMESPACE}`,
    () => waitAvailable(run, context, EXT_AUTHZ_NAMESPACE, options.timeoutMs),
  );
  const recordPath = await step(
    deps,
    'record',
    `Recording the context ${context}`,
    () =>
      writeClusterRecord(
        {
          name: options.name,
          context,
          istioProfile: options.istioProfile,
          ...(rev ? { istioRevision: rev } : {}),
        },
        { home: deps.home ?? stateHome(env) },
      ),
    (path) => path,
  );
  return {
    name: options.name,
    context,
    created,
    dockerVersion,
    recordPath,
    applied: [...applied, ...legacy, ...extAuthz],
  };
}

/**
 * On a cluster that already runs Istio, an install that would upgrade a revision in
 * place or add one beside it goes ahead only when confirmed (--yes, or yes at the
 * prompt); without a terminal to ask on and without --yes it is refused, nothing run.
 */
async function confirmMeshChange(options: UpOptions, deps: ClusterDeps, run: Runner, context: string) {
  const revision = options.revision ?? 'default';
  const question = await step(
    deps,
    'control-plane',
    `Reading the control planes running in ${ISTIO_NAMESPACE}`,
    async () =>
      upgradeQuestion(await installedControlPlanes(run, context), revision, await istioctlClientVersion(run)),
    (q) => (q ? 'the install would change them' : 'nothing to upgrade'),
  );
  if (!question || options.yes) return;
  if (!options.confirm)
    throw new ConfirmationRequired(
      `${question.replace(/ (Upgrade|Install) it\?$/, '')} \`cluster up\` never changes a running mesh without asking: ` +
        'run it again with --yes to confirm (no terminal to ask on)',
    );
  if (!(await options.confirm(question))) throw new UpgradeDeclined();
}

export interface DownOptions {
  name: string;
  /** asked before deleting; undefined means the session is not interactive */
  confirm?: (question: string) => Promise<boolean>;
  yes?: boolean;
}

export type DownResult =
  | { outcome: 'deleted'; name: string; forgotRecord: boolean }
  | { outcome: 'absent'; name: string; forgotRecord: boolean }
  | { outcome: 'declined'; name: string };

/** Raised when deletion needs a confirmation nobody can give (no TTY, no --yes); nothing ran. */
export class ConfirmationRequired extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfirmationRequired';
  }
}

/** Deletes the kind cluster (after confirmation) and forgets the recorded context. */
export async function clusterDown(options: DownOptions, deps: ClusterDeps = {}): Promise<DownResult> {
  const problem = clusterNameProblem(options.name);
  if (problem) throw new ClusterOptionError(problem);
  if (!options.yes && !options.confirm) {
    throw new ConfirmationRequired(
      `\`cluster down\` deletes the kind cluster "${options.name}" and everything in it; ` +
        'run it again with --yes to confirm (no terminal to ask on)',
    );
  }
  const env = deps.env ?? process.env;
  requireTools(['docker', 'kind'], '`cluster down`', env);
  const run = runnerOf(deps);
  const home = deps.home ?? stateHome(env);
  await step(deps, 'docker', 'Checking the docker engine', () => checkDockerEngine(run));
  const existing = await step(deps, 'find', `Looking for kind cluster "${options.name}"`, () =>
    kindClusters(run),
  );
  if (!existing.includes(options.name)) {
    const forgotRecord = await forgetClusterRecord(options.name, home);
    return { outcome: 'absent', name: options.name, forgotRecord };
  }
  if (!options.yes && options.confirm) {
    const ok = await options.confirm(`Delete the kind cluster "${options.name}" and everything in it?`);
    if (!ok) return { outcome: 'declined', name: options.name };
  }
  await step(deps, 'delete', `Deleting kind cluster "${options.name}"`, () =>
    kindDeleteCluster(run, options.name),
  );
  const forgotRecord = await forgetClusterRecord(options.name, home);
  return { outcome: 'deleted', name: options.name, forgotRecord };
}
