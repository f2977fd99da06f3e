// `ica-trainer proxy-config TYPE WORKLOAD [paths...]`: what `istioctl
// proxy-config` would show for a proxy, offline, from local YAML plus the
// Bookinfo model. Registration only imports commander; the simulator and the
// Envoy view load when the command runs.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { snapshotOptions } from './options.ts';
import { EXIT, palette, UserError, write } from './output.ts';

export const CONFIG_TYPES = ['routes', 'clusters', 'listeners', 'endpoints', 'secret'] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** istioctl's names and short aliases for each type. */
const TYPE_ALIASES: Record<string, ConfigType> = {
  route: 'routes',
  routes: 'routes',
  r: 'routes',
  cluster: 'clusters',
  clusters: 'clusters',
  c: 'clusters',
  listener: 'listeners',
  listeners: 'listeners',
  l: 'listeners',
  endpoint: 'endpoints',
  endpoints: 'endpoints',
  ep: 'endpoints',
  secret: 'secret',
  secrets: 'secret',
  s: 'secret',
};

export interface ProxyConfigFlags {
  namespace: string;
  output: 'short' | 'json';
  name?: string;
  fqdn?: string;
  port?: number;
  subset?: string;
  direction?: 'inbound' | 'outbound';
  address?: string;
  type?: string;
  cluster?: string;
  status?: string;
  bookinfo: boolean;
  outboundMode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
  live?: boolean;
  context?: string;
  kubeconfig?: string;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 65535) {
    throw new InvalidArgumentError(`--port must be a port number from 1 to 65535, not "${value}".`);
  }
  return n;
}

const EXAMPLES = `
Examples:
  $ ica-trainer proxy-config routes deploy/productpage-v1
      the routes productpage's sidecar has for every service (Bookinfo only)
  $ ica-trainer proxy-config routes deploy/productpage-v1 labs/ --name 9080
      the same with your VirtualServices: which one answers for reviews:9080
  $ ica-trainer proxy-config clusters productpage-v1 reviews.yaml --fqdn reviews
      reviews' clusters: one per subset your DestinationRule defines
  $ ica-trainer proxy-config endpoints deploy/productpage-v1 dr.yaml \\
      --cluster "outbound|9080|v2|reviews.default.svc.cluster.local"
      the pods behind subset v2 (none listed: 503 UH)
  $ ica-trainer proxy-config listeners istio-ingressgateway gateway.yaml
      what the ingress gateway listens on
  $ ica-trainer proxy-config secret istio-ingressgateway gateway.yaml
      the certificates it holds (WARMING: its credentialName Secret is missing)

TYPE is routes, clusters, listeners, endpoints or secret (istioctl's singular
forms and short aliases r, c, l, ep, s also work). WORKLOAD is named as istioctl
names it: deploy/NAME, a pod name (NAME-<hash>-<id>), NAME.NAMESPACE, or a
gateway (istio-ingressgateway). The tables have istioctl 1.26's columns and
order; -o json prints Envoy's own configuration shape for the fields the
trainer models. Addresses are the offline model's (Service 10.96.x.y, pod
10.244.x.y), not a cluster's.

With --live the prediction (from your files and the Bookinfo model) is printed,
then what istioctl proxy-config prints for the same proxy and filters, then the
rows that differ, compared on what means the same on both sides (names,
matches, subsets, VirtualServices, endpoint counts; not addresses) and only for
the services the model knows.

Exit codes: 0 the configuration was shown (--live: and the cluster agrees), 1
--live: the cluster differs from the prediction, 2 usage error (unknown type or
workload, bad flag value), no input readable, or istioctl missing or failing.`;

export function registerProxyConfig(program: Command): void {
  const cmd = program
    .command('proxy-config')
    .alias('pc')
    .description(
      "Show a proxy's Envoy configuration (routes, clusters, listeners, endpoints, secret) as istioctl proxy-config would, offline",
    )
    .argument('<type>', 'routes | clusters | listeners | endpoints | secret')
    .argument('<workload>', 'deploy/NAME, a pod name, NAME.NAMESPACE or istio-ingressgateway')
    .argument(
      '[paths...]',
      'YAML files or directories (recursive); "-" reads stdin; none: the Bookinfo model only',
    )
    .option(
      '-n, --namespace <ns>',
      'namespace of the workload and of resources that do not set one',
      'default',
    )
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['short', 'json']).default('short'),
    )
    .option('--name <name>', 'routes: only the route configuration with this name (e.g. 9080, http.8080)')
    .option('--fqdn <fqdn>', 'clusters: only clusters whose name contains this FQDN')
    .option('--port <port>', 'clusters, listeners, endpoints: only this port', portNumber)
    .option('--subset <subset>', 'clusters: only clusters of this subset')
    .addOption(
      new Option('--direction <dir>', 'clusters: only inbound or outbound clusters').choices([
        'inbound',
        'outbound',
      ]),
    )
    .option('--address <address>', 'listeners, endpoints: only this address')
    .option('--type <type>', 'listeners: only HTTP, TCP, HTTP+TCP or UNKNOWN listeners')
    .option('--cluster <cluster>', 'endpoints: only the endpoints of this cluster')
    .option('--status <status>', 'endpoints: only endpoints with this health status (HEALTHY, UNHEALTHY)')
    .option(
      '--live',
      "also run istioctl proxy-config on the cluster (kubeconfig and context as kubectl) and compare its answer with the trainer's prediction from your files",
    )
    .option('--context <name>', 'with --live: the kubeconfig context to use')
    .option('--kubeconfig <file>', 'with --live: the kubeconfig file to use');
  snapshotOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (type: string, workload: string, paths: string[], flags: ProxyConfigFlags) => {
      process.exitCode = await runProxyConfig(type, workload, paths, flags);
    });
}

/** Runs the command; returns the exit code. Throws UserError for usage errors. */
export async function runProxyConfig(
  typeName: string,
  workload: string,
  paths: string[],
  flags: ProxyConfigFlags,
): Promise<number> {
  const type = TYPE_ALIASES[typeName.toLowerCase()];
  if (!type)
    throw new UserError(`unknown configuration type "${typeName}": use one of ${CONFIG_TYPES.join(', ')}`);
  const only = (names: string[], allowed: ConfigType[]) => {
    for (const n of names) {
      const key = n as keyof ProxyConfigFlags;
      if (flags[key] !== undefined && !allowed.includes(type))
        throw new UserError(`--${n} filters ${allowed.join(' and ')}, not ${type}`);
    }
  };
  only(['name'], ['routes']);
  only(['fqdn', 'subset', 'direction'], ['clusters']);
  only(['port'], ['clusters', 'listeners', 'endpoints']);
  only(['address'], ['listeners', 'endpoints']);
  only(['type'], ['listeners']);
  only(['cluster', 'status'], ['endpoints']);
  const envoy = await import('../core/envoy/index.ts');
  // a proxy that missed istiod's last push (a drill) shows the configuration it runs
  const current = await loadEnvoyView(paths, flags);
  const { view, proxy } = envoy.asRunning({
    view: current,
    proxy: await resolveOrExplain(current, workload, flags.namespace),
  });
  if (flags.live)
    return runLive(
      type,
      workload,
      paths,
      render(envoy, view, proxy, type, { ...flags, output: 'short' }),
      flags,
    );
  await write(render(envoy, view, proxy, type, flags));
  return EXIT.ok;
}

/** The filters as istioctl's flags (they have the same names). */
function filterFlags(flags: ProxyConfigFlags): [string, string][] {
  const out: [string, string][] = [];
  for (const k of [
    'name',
    'fqdn',
    'port',
    'subset',
    'direction',
    'address',
    'type',
    'cluster',
    'status',
  ] as const) {
    if (flags[k] !== undefined) out.push([`--${k}`, String(flags[k])]);
  }
  return out;
}

async function runLive(
  type: ConfigType,
  workload: string,
  paths: string[],
  predicted: string,
  flags: ProxyConfigFlags,
): Promise<number> {
  const live = await import('../core/envoy/live.ts');
  const { askIstioctl, sideBySide } = await import('./istioctl-live.ts');
  const args = live.istioctlArgs(type, workload, {
    namespace: flags.namespace,
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    filters: filterFlags(flags),
  });
  const answer = await askIstioctl(args, 'istioctl proxy-config');
  const { command, stdout } = answer;
  const cmp = live.compareTables(type, predicted, stdout);
  if (flags.output === 'json') {
    await write(
      `${JSON.stringify({ predicted, cluster: stdout, command, comparison: cmp ?? null }, null, 2)}\n`,
    );
    return cmp && !cmp.agree ? EXIT.fail : EXIT.ok;
  }
  const c = palette();
  let text = sideBySide(paths, predicted, answer);
  if (!cmp) {
    text += `${c.yellow("istioctl's table has another layout than istioctl 1.26's: not compared.")}\n`;
    await write(text);
    return EXIT.ok;
  }
  const scope = cmp.outOfScope
    ? ` (${cmp.outOfScope} cluster row${cmp.outOfScope === 1 ? '' : 's'} about things the model does not have left out)`
    : '';
  if (cmp.agree) text += `${c.green(`The cluster agrees with the prediction${scope}.`)}\n`;
  else {
    text += `${c.red(c.bold(`The cluster differs from the prediction${scope}:`))}\n`;
    for (const row of cmp.onlyPredicted) text += `  predicted, not on the cluster:  ${row}\n`;
    for (const row of cmp.onlyCluster) text += `  on the cluster, not predicted:  ${row}\n`;
  }
  await write(text);
  return cmp.agree ? EXIT.ok : EXIT.fail;
}

/** Loads the inputs (no analyzer rules: only loading problems matter here) into Envoy's view. */
export async function loadEnvoyView(
  paths: string[],
  flags: { bookinfo: boolean; namespace: string; outboundMode?: 'REGISTRY_ONLY' | 'ALLOW_ANY' },
): Promise<import('../core/envoy/index.ts').EnvoyView> {
  const { analyzePaths } = await import('../core/analysis/analyze.ts');
  const { snapshot, findings, load } = await analyzePaths(paths, {
    rules: [],
    bookinfo: flags.bookinfo,
    defaultNamespace: flags.namespace,
    ...(flags.outboundMode ? { outboundMode: flags.outboundMode } : {}),
  });
  if (paths.length > 0 && load.filesRead === 0) {
    const { formatFinding } = await import('./format-findings.ts');
    const { palette } = await import('./output.ts');
    const c = palette();
    const errors = findings.filter((f) => f.level === 'Error');
    process.stderr.write(`${errors.map((f) => formatFinding(f, c)).join('\n')}\n`);
    throw new UserError('no input could be read, so there is no configuration to show');
  }
  // A document that does not parse (or is not a Kubernetes object) is left out, as
  // kubectl would refuse it: say so, or the tables silently show Bookinfo alone.
  const skipped = findings.filter((f) => f.level === 'Error' && /^ICA000\d$/.test(f.code));
  const read =
    load.resources.length +
    load.meshConfigs.length +
    (load.httpRoutes?.length ?? 0) +
    (load.kubernetesGateways?.length ?? 0);
  if (paths.length > 0 && read === 0 && skipped.length > 0) {
    const f = skipped[0]!;
    throw new UserError(`${findingPlace(f)}: ${f.message}; no resource could be read`);
  }
  for (const f of skipped)
    process.stderr.write(
      `ica-trainer: ${findingPlace(f)}: ${f.message} (left out, as kubectl would refuse it)\n`,
    );
  const envoy = await import('../core/envoy/index.ts');
  return envoy.envoyView(snapshot);
}

/** The proxy a command names, or a UserError listing the workloads there are. */
export async function resolveOrExplain(
  view: import('../core/envoy/index.ts').EnvoyView,
  workload: string,
  namespace: string,
  options: { ambient?: boolean } = {},
): Promise<import('../core/envoy/index.ts').ProxyTarget> {
  const envoy = await import('../core/envoy/index.ts');
  try {
    return envoy.resolveProxy(view.mesh, workload, namespace, options);
  } catch (e) {
    if (e instanceof envoy.UnknownProxyError) throw new UserError(e.message);
    throw e;
  }
}

function render(
  envoy: typeof import('../core/envoy/index.ts'),
  view: import('../core/envoy/index.ts').EnvoyView,
  proxy: import('../core/envoy/index.ts').ProxyTarget,
  type: ConfigType,
  flags: ProxyConfigFlags,
): string {
  const json = flags.output === 'json';
  const dump = (v: unknown) => `${JSON.stringify(v, null, 4)}\n`;
  switch (type) {
    case 'routes': {
      const configs = envoy.routeConfigs(view, proxy);
      const f = { ...(flags.name ? { name: flags.name } : {}) };
      return json ? dump(envoy.filterRoutes(configs, f)) : envoy.routesTable(configs, f);
    }
    case 'clusters': {
      const entries = envoy.clusterEntries(view, proxy);
      const f = {
        ...(flags.fqdn ? { fqdn: flags.fqdn } : {}),
        ...(flags.port ? { port: flags.port } : {}),
        ...(flags.subset ? { subset: flags.subset } : {}),
        ...(flags.direction ? { direction: flags.direction } : {}),
      };
      return json
        ? dump(entries.filter((e) => envoy.clusterMatches(e.cluster.name, f)).map((e) => e.cluster))
        : envoy.clustersTable(entries, f);
    }
    case 'listeners': {
      const list = envoy.listeners(view, proxy);
      const f = {
        ...(flags.address ? { address: flags.address } : {}),
        ...(flags.port ? { port: flags.port } : {}),
        ...(flags.type ? { type: flags.type } : {}),
      };
      return json ? dump(envoy.filterListeners(list, f)) : envoy.listenersTable(list, f);
    }
    case 'endpoints': {
      const list = envoy.endpointAssignments(view, proxy);
      const f = {
        ...(flags.address ? { address: flags.address } : {}),
        ...(flags.port ? { port: flags.port } : {}),
        ...(flags.cluster ? { cluster: flags.cluster } : {}),
        ...(flags.status ? { status: flags.status } : {}),
      };
      return json ? dump(envoy.filterEndpoints(list, f)) : envoy.endpointsTable(list, f);
    }
    case 'secret': {
      const list = envoy.secrets(view, proxy);
      return json ? dump(list) : envoy.secretsTable(list);
    }
  }
}

/** `file:line:column` of a finding, as far as it is known. */
function findingPlace(f: { file?: string; line?: number; column?: number }): string {
  return [f.file ?? 'input', f.line, f.column].filter((x) => x !== undefined).join(':');
}
