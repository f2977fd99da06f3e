// `cluster status`: what is there (tools, docker engine, kind cluster, Istio,
// sidecar injection, the Bookinfo and fortio deployments) and whether it is
// healthy. Checks run in order and stop at the first one that makes the rest
// meaningless (no docker engine: no cluster to look at); a skipped check is null.

import { trainerCommand } from '../command-name.ts';
import { BOOKINFO_NAMESPACE, LEGACY_CLIENT, LEGACY_NAMESPACE } from '../config/bookinfo.ts';
import { stateHome } from '../progress/store.ts';
import { type ClusterRecord, readClusterRecord } from './cluster-state.ts';
import type { ClusterDeps } from './cluster-up.ts';
import { checkDockerEngine, missingTools, UP_TOOLS } from './cluster-up-preflight.ts';
import { CommandError, execaRunner, PrerequisiteError, type Runner } from './exec.ts';
import { ISTIO_NAMESPACE, istioVersionFromImage } from './istioctl.ts';
import { kindClusters, kindContext } from './kind.ts';
import {
  type DeploymentState,
  kubectlGetJson,
  namespaceLabels,
  parseDeployments,
  parsePods,
} from './kind-kubectl.ts';
import { expectedDeployments } from './manifests.ts';

export interface DeploymentHealth {
  name: string;
  present: boolean;
  desired: number;
  ready: number;
  /** every pod of it has an istio-proxy sidecar (undefined when it has no pods) */
  sidecar?: boolean;
}

export interface ClusterStatus {
  name: string;
  context: string;
  /** what `cluster up` recorded (null when nothing is) */
  recorded: ClusterRecord | null;
  healthy: boolean;
  /** tools not on PATH */
  missingTools: string[];
  docker: { ok: boolean; version?: string } | null;
  cluster: { exists: boolean } | null;
  istio: { installed: boolean; version?: string; deployments: DeploymentHealth[] } | null;
  injection: { namespace: string; enabled: boolean } | null;
  workloads: { namespace: string; deployments: DeploymentHealth[] } | null;
  /** the plaintext client legacy/curl the security labs call from (no sidecar wanted) */
  legacy: { namespace: string; deployment: DeploymentHealth } | null;
  /** what is wrong, each with what to do */
  problems: string[];
}

export interface StatusOptions {
  name: string;
  namespace?: string;
}

function health(d: DeploymentState): DeploymentHealth {
  return { name: d.name, present: true, desired: d.desired, ready: d.ready };
}

function firstLine(e: CommandError): string {
  const text = (e.result.stderr || e.result.stdout).trim();
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line ? `${e.message}: ${line.trim()}` : e.message;
}

export async function clusterStatus(options: StatusOptions, deps: ClusterDeps = {}): Promise<ClusterStatus> {
  const env = deps.env ?? process.env;
  const run: Runner = deps.run ?? execaRunner({ env });
  const ns = options.namespace ?? BOOKINFO_NAMESPACE;
  const context = kindContext(options.name);
  const status: ClusterStatus = {
    name: options.name,
    context,
    recorded: (await readClusterRecord(deps.home ?? stateHome(env))) ?? null,
    healthy: false,
    missingTools: [],
    docker: null,
    cluster: null,
    istio: null,
    injection: null,
    workloads: null,
    legacy: null,
    problems: [],
  };
  const done = () => {
    status.healthy = status.problems.length === 0;
    return status;
  };
  const up = `run \`${trainerCommand()} cluster up --name ${options.name}\``;

  // the same tools `cluster up` asks for, so the two commands agree on what is missing;
  // reading the cluster needs only docker, kind and kubectl, so istioctl alone does not stop it
  const missing = missingTools(UP_TOOLS, env);
  status.missingTools = missing.map((t) => t.name);
  const blocking = missing.filter((t) => t.name !== 'istioctl');
  for (const t of blocking)
    status.problems.push(`${t.name} is not installed: get ${t.versions} from ${t.url}`);
  if (blocking.length > 0) return done();

  try {
    status.docker = { ok: true, version: await checkDockerEngine(run) };
  } catch (e) {
    if (!(e instanceof PrerequisiteError)) throw e;
    status.docker = { ok: false };
    status.problems.push(e.message);
    return done();
  }

  try {
    status.cluster = { exists: (await kindClusters(run)).includes(options.name) };
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    status.problems.push(`cannot list kind clusters: ${firstLine(e)}`);
    return done();
  }
  if (!status.cluster.exists) {
    status.problems.push(`there is no kind cluster named "${options.name}": ${up}`);
    return done();
  }

  let istioDeployments: DeploymentState[];
  try {
    istioDeployments = parseDeployments(
      await kubectlGetJson(run, context, ['deployments', '-n', ISTIO_NAMESPACE]),
    );
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    const text = `${e.result.stderr}\n${e.result.stdout}`;
    if (/context .* does not exist|no context exists/i.test(text)) {
      status.problems.push(
        `your kubeconfig has no context ${context}: run \`kind export kubeconfig --name ${options.name}\``,
      );
    } else {
      status.problems.push(`cannot read the cluster through ${context}: ${firstLine(e)}`);
    }
    return done();
  }
  const istiod = istioDeployments.find((d) => d.name === 'istiod');
  const version = istiod?.images.map(istioVersionFromImage).find((v) => v !== undefined);
  status.istio = {
    installed: istiod !== undefined,
    ...(version ? { version } : {}),
    deployments: istioDeployments.map(health),
  };
  if (!istiod) status.problems.push(`Istio is not installed (no istiod in ${ISTIO_NAMESPACE}): ${up}`);
  for (const d of istioDeployments) {
    if (d.ready < d.desired) status.problems.push(`${d.name}: ${d.ready} of ${d.desired} replicas ready`);
  }

  try {
    const labels = namespaceLabels(await kubectlGetJson(run, context, ['namespace', ns]));
    const enabled = labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined;
    status.injection = { namespace: ns, enabled };
    if (!enabled) status.problems.push(`sidecar injection is not enabled in namespace ${ns}: ${up}`);
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    status.problems.push(`cannot read namespace ${ns}: ${firstLine(e)}`);
    return done();
  }

  let deployments: DeploymentState[];
  let pods: ReturnType<typeof parsePods>;
  try {
    deployments = parseDeployments(await kubectlGetJson(run, context, ['deployments', '-n', ns]));
    pods = parsePods(await kubectlGetJson(run, context, ['pods', '-n', ns]));
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    status.problems.push(`cannot read the workloads in ${ns}: ${firstLine(e)}`);
    return done();
  }
  const workloads: DeploymentHealth[] = [];
  for (const want of expectedDeployments()) {
    const d = deployments.find((x) => x.name === want.name);
    if (!d) {
      workloads.push({ name: want.name, present: false, desired: 1, ready: 0 });
      status.problems.push(`${want.name} is not deployed in ${ns}: ${up}`);
      continue;
    }
    const mine = pods.filter(
      (p) => p.labels.app === want.app && (want.version === undefined || p.labels.version === want.version),
    );
    const h = health(d);
    if (mine.length > 0) h.sidecar = mine.every((p) => p.sidecar);
    workloads.push(h);
    if (d.ready < d.desired) status.problems.push(`${d.name}: ${d.ready} of ${d.desired} replicas ready`);
    if (h.sidecar === false) {
      status.problems.push(
        `${d.name} runs without an istio-proxy sidecar (its pods started before injection was enabled): ` +
          `run \`kubectl --context ${context} rollout restart deployment/${d.name} -n ${ns}\``,
      );
    }
  }
  status.workloads = { namespace: ns, deployments: workloads };
  await legacyClient(run, context, status, up);
  return done();
}

/** The plaintext client: deployed, ready, and without a sidecar (else it is not plaintext). */
async function legacyClient(run: Runner, context: string, status: ClusterStatus, up: string): Promise<void> {
  const where = `${LEGACY_NAMESPACE}/${LEGACY_CLIENT}`;
  let deployments: DeploymentState[];
  let pods: ReturnType<typeof parsePods>;
  try {
    deployments = parseDeployments(
      await kubectlGetJson(run, context, ['deployments', '-n', LEGACY_NAMESPACE]),
    );
    pods = parsePods(await kubectlGetJson(run, context, ['pods', '-n', LEGACY_NAMESPACE]));
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    status.problems.push(`cannot read the plaintext client ${where}: ${firstLine(e)}`);
    return;
  }
  const d = deployments.find((x) => x.name === LEGACY_CLIENT);
  if (!d) {
    status.legacy = {
      namespace: LEGACY_NAMESPACE,
      deployment: { name: LEGACY_CLIENT, present: false, desired: 1, ready: 0 },
    };
    status.problems.push(
      `the plaintext client ${where} (the security labs call from it) is not deployed: ${up}`,
    );
    return;
  }
  const h = health(d);
  const mine = pods.filter((p) => p.labels.app === LEGACY_CLIENT);
  if (mine.length > 0) h.sidecar = mine.some((p) => p.sidecar);
  status.legacy = { namespace: LEGACY_NAMESPACE, deployment: h };
  if (d.ready < d.desired) status.problems.push(`${where}: ${d.ready} of ${d.desired} replicas ready`);
  if (h.sidecar === true)
    status.problems.push(
      `${where} runs with an istio-proxy sidecar, so its requests are not plaintext: namespace ${LEGACY_NAMESPACE} must not be labelled for injection (${up})`,
    );
}
