// Kubeconfig and context, resolved the way kubectl resolves them:
//   --kubeconfig FILE                  that file only (it must exist)
//   KUBECONFIG=a:b:c                   merged; the first file to define a name wins,
//                                      and the first current-context set wins; missing files are skipped
//   ~/.kube/config                     otherwise
//   in-cluster service account         when running in a pod and nothing else is found
// then --context (or the current-context), and the namespace from -n, else the
// context's namespace, else "default".
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Cluster, type Context, KubeConfig, type User } from '@kubernetes/client-node';
import { trainerCommand } from '../command-name.ts';
import { ClusterError } from './errors.ts';

export interface KubeconfigOptions {
  /** --kubeconfig: this file only */
  kubeconfig?: string;
  /** --context */
  context?: string;
  /** -n: overrides the context's namespace */
  namespace?: string;
  /** the environment to read KUBECONFIG and HOME from (tests pass their own) */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedKubeconfig {
  kc: KubeConfig;
  /** the context in use (its name is the origin of every resource read) */
  context: string;
  /** the API server URL */
  server: string;
  /** -n, else the context's namespace, else "default" */
  namespace: string;
  /** where the configuration came from, for messages */
  source: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function resolveKubeconfig(options: KubeconfigOptions = {}): ResolvedKubeconfig {
  const env = options.env ?? process.env;
  let kc: KubeConfig;
  let source: string;
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) {
      throw new ClusterError(
        'no-kubeconfig',
        `kubeconfig ${options.kubeconfig} does not exist (--kubeconfig)`,
      );
    }
    kc = loadFile(options.kubeconfig);
    source = options.kubeconfig;
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter((f) => f.length > 0);
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0) {
      throw new ClusterError(
        'no-kubeconfig',
        `no kubeconfig: none of the files in KUBECONFIG exist (${files.join(delimiter)}); create a cluster with \`${trainerCommand()} cluster up\` or fix KUBECONFIG`,
      );
    }
    kc = mergeFirstWins(present.map(loadFile));
    source = `KUBECONFIG=${env.KUBECONFIG}`;
  } else {
    const home = env.HOME || homedir();
    const file = join(home, '.kube', 'config');
    if (existsSync(file)) {
      kc = loadFile(file);
      source = file;
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      kc = new KubeConfig();
      kc.loadFromCluster();
      source = 'in-cluster service account';
    } else {
      throw new ClusterError(
        'no-kubeconfig',
        `no kubeconfig: KUBECONFIG is not set and ${file} does not exist; create a cluster with \`${trainerCommand()} cluster up\`, or pass --kubeconfig FILE`,
      );
    }
  }

  const names = kc.getContexts().map((c) => c.name);
  const available = names.length ? `available: ${names.join(', ')}` : 'the kubeconfig defines no contexts';
  let context = options.context;
  if (context) {
    if (!names.includes(context)) {
      throw new ClusterError('no-context', `context "${context}" not found in ${source} (${available})`);
    }
  } else {
    context = kc.getCurrentContext();
    if (!context) {
      throw new ClusterError(
        'no-context',
        `${source} sets no current-context: pass --context NAME (${available})`,
      );
    }
    if (!names.includes(context)) {
      throw new ClusterError(
        'no-context',
        `the current-context "${context}" is not defined in ${source} (${available}); pass --context NAME`,
      );
    }
  }
  kc.setCurrentContext(context);
  const ctx = kc.getContextObject(context) as Context;
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster?.server) {
    throw new ClusterError(
      'bad-kubeconfig',
      `context "${context}" refers to cluster "${ctx.cluster}", which ${source} does not define (or defines without a server URL)`,
    );
  }
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new ClusterError(
      'bad-kubeconfig',
      `context "${context}" refers to user "${ctx.user}", which ${source} does not define`,
    );
  }
  return {
    kc,
    context,
    server: cluster.server,
    namespace: options.namespace || ctx.namespace || 'default',
    source,
  };
}

function loadFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    const detail = message.startsWith('Cannot read properties') ? 'it is empty or not a kubeconfig' : message;
    throw new ClusterError('bad-kubeconfig', `kubeconfig ${file} cannot be read: ${detail}`);
  }
  return kc;
}

/** kubectl's merge: for each name, the first file that defines it wins; so does the first current-context. */
function mergeFirstWins(configs: KubeConfig[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const kc of configs) {
    for (const c of kc.getClusters() ?? []) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers() ?? []) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts() ?? []) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && kc.getCurrentContext()) currentContext = kc.getCurrentContext();
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return merged;
}
