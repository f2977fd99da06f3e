// `ica-trainer simulate`: play requests through local YAML the way Envoy would
// (offline, seeded) and show where they went. Registration only imports
// commander; the simulator loads when the command runs, so `--help` stays fast.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDurationMs } from '../core/config/duration.ts';
import { snapshotOptions } from './options.ts';
import { EXIT, palette, UserError, write } from './output.ts';

export interface SimulateFlags {
  to: string;
  path: string;
  method: string;
  header?: string[];
  jwt?: string;
  sni?: string;
  cert?: string;
  clientIp?: string;
  from?: string;
  requests: number;
  concurrency: number;
  qps: number;
  seed: number;
  fail?: string[];
  latency?: string[];
  bookinfo: boolean;
  outboundMode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
  namespace: string;
  output: 'text' | 'json';
  accessLog?: boolean;
  clientTimeout?: number;
}

function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
    }
    return n;
  };
}

function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(
      `--qps must be 0 (as fast as responses return) or a positive rate, not "${value}".`,
    );
  }
  return n;
}

function seedValue(value: string): number {
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`--seed must be a whole number, not "${value}".`);
  }
  return Number(value);
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function ipv4(value: string): string {
  const parts = value.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new InvalidArgumentError(
      `--client-ip must be an IPv4 address such as 198.51.100.7, not "${value}".`,
    );
  return value.trim();
}

function clientTimeout(value: string): number {
  const ms = parseDurationMs(value.trim());
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError(
      `--client-timeout must be a duration such as 2s or 500ms, not "${value}".`,
    );
  return ms;
}

const EXAMPLES = `
Examples:
  $ ica-trainer simulate reviews-vs.yaml --to reviews --requests 10000
      where an 80/20 split really sends traffic (by subset and version)
  $ ica-trainer simulate labs/ --to productpage --path /productpage --header end-user=jason
      what jason's page shows (reviews version, stars, error sections)
  $ ica-trainer simulate cb.yaml --to reviews -c 3 --requests 30
      the circuit-breaking exercise: how many 503 UO at 3 concurrent clients
  $ ica-trainer simulate vs.yaml --to reviews --fail reviews:v1=50% -o json
      retries in front of a failing version, as JSON
  $ ica-trainer simulate egress/ --to https://external.example.com --from productpage-v1 \
      --outbound-mode REGISTRY_ONLY
      a TLS connection through the egress gateway (TLS passthrough): the hops it takes
  $ ica-trainer simulate mtls/ --to productpage.default --from legacy/curl
      STRICT mTLS against a client without a sidecar: the connection is reset
  $ ica-trainer simulate tls/ --from ingress --to https://bookinfo.example.com/productpage --cert client
      HTTPS at the ingress gateway: SIMPLE serves credentialName's certificate; MUTUAL also
      needs a client certificate (without --cert the handshake fails, no HTTP status)
  $ ica-trainer simulate jwt/ --to productpage --jwt demo
      a valid token through RequestAuthentication and AuthorizationPolicy (--jwt forged: 401)

Routing model: HTTP requests follow http rules (first match wins); a TLS
connection follows tls rules by SNI (the host) and port, unread and without
faults, timeouts, retries or mirrors. A request is TLS for https://, or without
a scheme when the registry declares the port TLS/HTTPS (a ServiceEntry port, a
Service port named https or tls) or it reaches a TLS/HTTPS Gateway server. Gateway
servers: HTTP and terminating HTTPS apply http rules, httpsRedirect answers 301,
PASSTHROUGH applies tls rules only. A TLS client is matched to a server by its SNI
(--sni, else the host); MUTUAL needs --cert and ISTIO_MUTUAL an Istio certificate
(outside clients have none): without, the handshake fails (status 0, no HTTP
status); plaintext (http://) to a port only TLS servers serve is closed. A
ServiceEntry registers its ports only: other ports go to the PassthroughCluster
(ALLOW_ANY) or the BlackHoleCluster (502 with REGISTRY_ONLY). When a route leads
to gateway pods, that gateway routes the request again ("via" in the results).
Status 0 is a TLS connection closed without a response (NR: no tls rule for the
SNI; UH: no endpoint, BlackHoleCluster).
Egress TLS origination: an outside server speaks TLS on its port 443 (a
ServiceEntry targetPort 443, or a port declared HTTPS/TLS); a DestinationRule
tls SIMPLE/MUTUAL makes the sidecar encrypt http:// requests to it (plaintext
to it: 503 UC; TLS to a plaintext port: 503 UF).
Not simulated: tcp routes and the Gateway servers that need them (TCP, TLS
terminated to TCP, AUTO_PASSTHROUGH; the command says so), destinationSubnets,
Sidecar resources, locality, and exportTo except a ServiceEntry's (a sidecar sees
only entries exported to its namespace).

Behaviour model: every service/version answers after a typical processing time
(Bookinfo: productpage 8ms, details 3ms, reviews 4-6ms, ratings 2ms, others 5ms,
±25%) and never fails unless told to: --fail SERVICE[:VERSION]=P%[:STATUS]
(STATUS 500 by default; "reset" drops the connection mid-request, "connect-failure"
refuses it) and --latency SERVICE[:VERSION]=DURATION (Go syntax:
200ms, 7s). Bookinfo calls itself as the sample does: productpage calls details
and reviews (3 s timeout, reviews tried twice), reviews v2/v3 call ratings (10 s
/ 2.5 s), and an end-user header stands for the signed-in user.

The analyzer runs first; its errors are shown, since a broken configuration
often explains a surprising result.

Exit codes: 0 the simulation ran, 2 usage error (bad flag value, unknown host or
workload, a request the simulator does not model) or no input readable.`;

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
    .option(
      '--from <workload>',
      'calling workload: a Deployment/Pod name (productpage-v1), ns/name, "ingress", legacy/curl (no sidecar: plaintext), or labels app=x,version=y (default: an in-mesh client)',
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
      const p = envoy.resolveProxy(
        view.mesh,
        flags.from === 'ingress' ? 'istio-ingressgateway' : flags.from,
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
        return [`# no access log: ${e.message.replace(/: there is no Envoy configuration to show$/, '')}`];
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
