// `ica-trainer simulate`: play requests through local YAML the way Envoy would
// (offline, seeded) and show where they went. Registration only imports
// commander; the simulator loads when the command runs, so `--help` stays fast.
import { type Command, Option } from 'commander';
import { snapshotOptions } from './options.ts';
import { EXIT, palette, UserError, write } from './output.ts';
import {
  clientTimeout,
  collect,
  EXAMPLES,
  ipv4,
  rate,
  type SimulateFlags,
  seedValue,
  wholeNumber,
} from './simulate-flags.ts';

export type { SimulateFlags } from './simulate-flags.ts';

export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description(
      'Play requests through your Istio YAML the way Envoy would (offline, seeded) and show where they went',
    )
    .argument('<paths...>', 'YAML files or directories (recursive, *.yaml/*.yml); "-" reads stdin')
    .requiredOption(
      '--to <host>',
      'destination: reviews, reviews:9080, an FQDN, an external host, a URL (https:// sends a TLS connection)',
    )
    .option('--path <path>', 'request path (with query string)', '/')
    .option('-X, --method <method>', 'request method', 'GET')
    .option('-H, --header <name=value>', 'request header (repeatable), e.g. end-user=jason', collect)
    .option(
      '--jwt <name>',
      "send a sample token as Authorization: Bearer: demo, groups (Istio's samples, issuer testing@secure.istio.io) or forged (a bad signature)",
    )
    .option(
      '--sni <name>',
      'the TLS SNI of an https:// request when it is not the host (curl sends the URL host; openssl s_client -servername)',
    )
    .option(
      '--cert <name>',
      "present a client certificate in the TLS handshake (curl --cert/--key), for a MUTUAL gateway server; the name is a label, taken as signed by the server's CA",
    )
    .option(
      '--client-ip <address>',
      'the IPv4 address of the client outside the mesh, as the ingress gateway sees it (--from ingress; default 203.0.113.10): ipBlocks, remoteIpBlocks',
      ipv4,
    )
    .addOption(
      new Option(
        '--ext-authz <answer>',
        "what an external authorizer answers a CUSTOM policy's check when the simulation cannot know it (any provider but Istio's sample ext-authz, which is modelled)",
      )
        .choices(['allow', 'deny'])
        .default('allow'),
    )
    .option(
      '--from <workload>',
      'calling workload: a Deployment/Pod name (productpage-v1), ns/name, deploy/NAME, "ingress", a Gateway API Gateway of class istio as <name>-istio, legacy/curl (no sidecar: plaintext), or labels app=x,version=y (default: an in-mesh client)',
    )
    .option(
      '--requests <n>',
      "number of requests (fortio's -n; -n is the namespace, as in kubectl)",
      wholeNumber('--requests', 1, 10_000_000),
      1000,
    )
    .option(
      '-c, --concurrency <c>',
      'concurrent clients in a closed loop, like fortio -c',
      wholeNumber('--concurrency', 1, 10_000),
      1,
    )
    .option('--qps <q>', 'total requests per second (0: as fast as responses return)', rate, 0)
    .option('--seed <s>', 'random seed: the same seed gives the same result', seedValue, 1)
    .option(
      '--fail <spec>',
      'make a service fail: SERVICE[:VERSION]=P%[:STATUS] (repeatable), e.g. ratings:v1=50%',
      collect,
    )
    .option(
      '--latency <spec>',
      'set a processing time: SERVICE[:VERSION]=DURATION (repeatable), e.g. reviews:v2=200ms',
      collect,
    )
    .option(
      '--client-timeout <duration>',
      "the client's own timeout (curl --max-time), e.g. 2s: past it the client disconnects, and the proxy logs 0 DC",
      clientTimeout,
    );
  snapshotOptions(cmd)
    .option('-n, --namespace <ns>', 'namespace for resources that do not set one', 'default')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--access-log',
      "print the calling proxy's access log line for every request (Envoy's default format, with response flags) before the summary; with -o json, an accessLog list",
    )
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: SimulateFlags) => {
      process.exitCode = await runSimulate(paths, flags);
    });
}

/** Runs the command; returns the exit code. Throws UserError for usage errors. */
export async function runSimulate(paths: string[], flags: SimulateFlags): Promise<number> {
  // -n used to be the request count (fortio's habit); it is the namespace now, as in kubectl
  if (/^\d+$/.test(flags.namespace))
    throw new UserError(
      `-n ${flags.namespace}: -n is the namespace, as in kubectl; give the number of requests with --requests ${flags.namespace}`,
    );
  const sim = await import('../core/sim/index.ts');
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const m = /^\s*([^:=\s]+)\s*[:=]\s*(.*)$/.exec(h);
    if (!m) throw new UserError(`--header "${h}": write NAME=VALUE (or "NAME: VALUE"), e.g. end-user=jason`);
    headers[m[1]!.toLowerCase()] = m[2]!;
  }
  if (flags.jwt !== undefined) {
    const { SAMPLE_TOKENS } = await import('../core/sim/security/samples.ts');
    const sample = SAMPLE_TOKENS[flags.jwt];
    if (!sample)
      throw new UserError(
        `--jwt "${flags.jwt}": no such sample token (known: ${Object.keys(SAMPLE_TOKENS).join(', ')})`,
      );
    headers.authorization = `Bearer ${sample.token}`;
  }
  if (!flags.path.startsWith('/')) throw new UserError(`--path "${flags.path}": a path starts with "/"`);
  try {
    for (const f of flags.fail ?? []) sim.parseFailSpec(f);
    for (const l of flags.latency ?? []) sim.parseLatencySpec(l);
  } catch (e) {
    if (e instanceof sim.SimError) throw new UserError(e.message);
    throw e;
  }
  const { analyzePaths } = await import('../core/analysis/analyze.ts');
  const { snapshot, findings, load } = await analyzePaths(paths, {
    bookinfo: flags.bookinfo,
    defaultNamespace: flags.namespace,
    ...(flags.outboundMode ? { outboundMode: flags.outboundMode } : {}),
  });
  const errors = findings.filter((f) => f.level === 'Error');
  const c = palette();
  if (load.filesRead === 0) {
    const { formatFinding } = await import('./format-findings.ts');
    process.stderr.write(`${errors.map((f) => formatFinding(f, c)).join('\n')}\n`);
    throw new UserError('no input could be read, so there is nothing to simulate');
  }
  let result: import('../core/sim/index.ts').SimResult;
  try {
    result = sim.simulate(snapshot, {
      to: flags.to,
      path: flags.path,
      method: flags.method.toUpperCase(),
      headers,
      ...(flags.from ? { from: flags.from } : {}),
      ...(flags.sni ? { sni: flags.sni } : {}),
      ...(flags.cert ? { clientCert: flags.cert } : {}),
      ...(flags.clientIp ? { clientIp: flags.clientIp } : {}),
      extAuthz: flags.extAuthz,
      requests: flags.requests,
      concurrency: flags.concurrency,
      qps: flags.qps,
      seed: flags.seed,
      fail: flags.fail ?? [],
      latency: flags.latency ?? [],
      ...(flags.clientTimeout ? { clientTimeoutMs: flags.clientTimeout } : {}),
    });
  } catch (e) {
    if (e instanceof sim.SimError) throw new UserError(e.message);
    throw e;
  }
  const { findingsToJson, formatFinding } = await import('./format-findings.ts');
  const accessLog = flags.accessLog ? await accessLogFor(snapshot, result, flags, headers) : undefined;
  if (flags.output === 'json') {
    const json = {
      findings: JSON.parse(findingsToJson(errors)) as unknown[],
      ...result.summary,
      ...(accessLog ? { accessLog } : {}),
    };
    await write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  let text = accessLog ? `${accessLog.join('\n')}\n\n` : '';
  if (errors.length > 0) {
    text += `${c.red(c.bold(`The analyzer found ${errors.length} error${errors.length === 1 ? '' : 's'}`))} ${c.dim('(they may explain the result below)')}\n`;
    text += `${errors.map((f) => formatFinding(f, c)).join('\n')}\n\n`;
  }
  text += sim.formatSummaryText(result.summary, c);
  try {
    const route = routeText(sim.routeRequest(snapshot, routeOptions(flags, headers)));
    text += `\n${c.bold('Route')}      ${route}\n`;
  } catch (e) {
    if (!(e instanceof sim.SimError)) throw e;
  }
  // control planes side by side: which revision's mesh config the rest came from
  if (snapshot.meshChoice?.why)
    text += `${c.yellow(`note: ${snapshot.meshChoice.why}`)}
`;
  await write(text);
  return EXIT.ok;
}

/** The access log lines of a run: the caller's proxy, the route that answered. */
async function accessLogFor(
  snapshot: import('../core/config/snapshot.ts').Snapshot,
  result: import('../core/sim/index.ts').SimResult,
  flags: SimulateFlags,
  headers: Record<string, string>,
): Promise<string[]> {
  const sim = await import('../core/sim/index.ts');
  const envoy = await import('../core/envoy/index.ts');
  const view = envoy.envoyView(snapshot);
  let routeName = '-';
  let port = 80;
  try {
    const r = sim.routeRequest(snapshot, routeOptions(flags, headers));
    port = r.request.port;
    if (r.virtualService && r.rule) {
      const vs = snapshot.virtualServices.find(
        (v) => v.namespace === r.virtualService?.namespace && v.name === r.virtualService?.name,
      );
      routeName = (r.rule.kind === 'http' ? vs?.spec.http?.[r.rule.index]?.name : undefined) ?? '-';
    } else if (r.outcome === 'route') {
      routeName = r.destinations[0]?.cluster === 'PassthroughCluster' ? 'allow_any' : 'default';
    } else if (r.local?.cluster === 'BlackHoleCluster') routeName = 'block_all';
  } catch (e) {
    if (!(e instanceof sim.SimError)) throw e;
  }
  let callerPod: { namespace: string; pod: string } | undefined;
  // whose proxy writes the lines: the caller's workload, else the in-mesh client of -n
  let logger = {
    name: `the in-mesh client of namespace ${flags.namespace}`,
    namespace: flags.namespace,
    labels: {},
  };
  if (flags.from && !flags.from.includes('=')) {
    try {
      // --from takes ns/name (legacy/curl); proxies are named name.ns, as istioctl names them
      const slash = /^([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(flags.from);
      const p = envoy.resolveProxy(
        view.mesh,
        flags.from === 'ingress' ? 'istio-ingressgateway' : slash ? `${slash[2]}.${slash[1]}` : flags.from,
        flags.namespace,
      );
      callerPod = { namespace: p.namespace, pod: p.pod };
      logger = {
        name: `${p.workload.name}.${p.namespace}`,
        namespace: p.namespace,
        labels: p.workload.labels,
      };
    } catch (e) {
      // a client without a sidecar has no proxy to write an access log
      if (e instanceof envoy.NoSidecarError)
        return [
          `# no access log: ${e.message
            .replace(/: there is no Envoy configuration to show$/, '')
            .replace(
              /: there is no Envoy configuration of its own to show; .*$/,
              ': ztunnel writes no Envoy access log line for it (a waypoint would, for the requests it serves; not simulated)',
            )}`,
        ];
      // a caller the model has no pod for: the client address stands in
    }
  }
  const { accessLogDecision } = await import('../core/config/telemetry-scope.ts');
  const decision = accessLogDecision(snapshot.applied(), logger.namespace, logger.labels);
  // a proxy whose access logging is off prints nothing: say why instead of lines
  if (!decision.on) return [`# no access log from ${logger.name}: ${decision.reason}`];
  return envoy.accessLogLines(view, result.records, {
    summary: result.summary,
    routeName,
    port,
    ...(callerPod ? { callerPod } : {}),
  });
}

function routeOptions(
  flags: SimulateFlags,
  headers: Record<string, string>,
): import('../core/sim/index.ts').RouteRequestOptions {
  return {
    to: flags.to,
    path: flags.path,
    method: flags.method.toUpperCase(),
    headers,
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.sni ? { sni: flags.sni } : {}),
    ...(flags.cert ? { clientCert: flags.cert } : {}),
    ...(flags.clientIp ? { clientIp: flags.clientIp } : {}),
  };
}

/** Why the request went where it did, hop by hop (the first destination that leads to a gateway). */
function routeText(r: import('../core/sim/index.ts').RouteResult): string {
  const parts = [r.reason];
  let next = r.destinations.find((d) => d.next)?.next;
  while (next) {
    parts.push(`then at Gateway ${next.context || '(none)'}: ${next.reason}`);
    next = next.destinations.find((d) => d.next)?.next;
  }
  return parts.join('; ');
}
