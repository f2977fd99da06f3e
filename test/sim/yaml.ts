// Istio YAML that the simulator tests (test/sim, test/content/yaml-checks.test.ts) and
// bench/sim.bench.ts write again and again: the Bookinfo DestinationRules and small
// builders for the resources around them. Plain strings and no imports, so that the
// bench can load it without vitest.

const API = 'apiVersion: networking.istio.io/v1';

/** The text with exactly one newline at its end, so that snippets join with `---\n`. */
const lines = (text: string): string => `${text.trimEnd()}\n`;

/** YAML documents, one after the other. */
export const documents = (...texts: string[]): string => texts.map(lines).join('---\n');

/** A port: number, name and protocol, as in `[443, 'https', 'HTTPS']`. */
export type Port = [number: number, name: string, protocol: string];

const port = ([number, name, protocol]: Port): string =>
  `{number: ${number}, name: ${name}, protocol: ${protocol}}`;

/**
 * A DestinationRule named after its host with one subset per version, each labelled
 * `version: <name>`; trafficPolicy is the indented block under `trafficPolicy:`.
 */
export function destinationRule(host: string, versions: string[], trafficPolicy = ''): string {
  const policy = trafficPolicy ? `  trafficPolicy:\n${lines(trafficPolicy)}` : '';
  const subsets = versions.length
    ? `  subsets:\n${versions.map((v) => `  - {name: ${v}, labels: {version: ${v}}}\n`).join('')}`
    : '';
  return `${API}
kind: DestinationRule
metadata: {name: ${host}}
spec:
  host: ${host}
${policy}${subsets}`;
}

/** The versions of reviews in Bookinfo. */
export const REVIEWS_VERSIONS = ['v1', 'v2', 'v3'];

/** The DestinationRule with every Bookinfo subset (Istio's destination-rule-all.yaml). */
export const DR_ALL = documents(
  destinationRule('productpage', ['v1']),
  destinationRule('reviews', REVIEWS_VERSIONS),
  destinationRule('ratings', ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']),
  destinationRule('details', ['v1', 'v2']),
);

/**
 * A VirtualService: rules are the lines under `http:` (or `tls:`, `tcp:` with kind);
 * its hosts are its name unless given, and it is bound to the mesh unless gateways are.
 */
export function virtualService(
  name: string,
  rules: string,
  o: { hosts?: string; gateways?: string; kind?: 'http' | 'tls' | 'tcp' } = {},
): string {
  const gateways = o.gateways ? `  gateways: [${o.gateways}]\n` : '';
  return `${API}
kind: VirtualService
metadata: {name: ${name}}
spec:
  hosts: [${o.hosts ?? name}]
${gateways}  ${o.kind ?? 'http'}:
${lines(rules)}`;
}

/** DR_ALL, then a mesh VirtualService for reviews with these http rules. */
export const reviewsVs = (http: string): string => documents(DR_ALL, virtualService('reviews', http));

/** DR_ALL, then a mesh VirtualService for ratings with these http rules. */
export const ratingsVs = (http: string): string => documents(DR_ALL, virtualService('ratings', http));

/**
 * One `- route:` rule to subsets of host: routeTo('reviews', 'v1'), weighted
 * routeTo('reviews', ['v1', 80], ['v2', 20]), or to the host alone: routeTo('db.example.com').
 */
export function routeTo(host: string, ...subsets: (string | [string, number])[]): string {
  const destinations = subsets.length
    ? subsets.map((s) =>
        typeof s === 'string'
          ? `    - destination: {host: ${host}, subset: ${s}}\n`
          : `    - destination: {host: ${host}, subset: ${s[0]}}\n      weight: ${s[1]}\n`,
      )
    : [`    - destination: {host: ${host}}\n`];
  return `  - route:\n${destinations.join('')}`;
}

/** productpage's Service port, as the gateway VirtualServices name it. */
const PRODUCTPAGE_9080 = '{host: productpage, port: {number: 9080}}';

/** Every request to productpage on port 9080. */
const TO_PRODUCTPAGE = `  - route:\n    - destination: ${PRODUCTPAGE_9080}\n`;

/** One Gateway server: its port, its hosts (a flow list's items) and its tls settings. */
export const server = (p: Port, hosts: string, tls?: string): string =>
  `  - port: ${port(p)}\n    hosts: [${hosts}]\n${tls ? `    tls: {${tls}}\n` : ''}`;

/** A Gateway with these servers on the ingress gateway (or the egress gateway: selector). */
export function gateway(name: string, servers: string[], selector = 'ingressgateway'): string {
  return `${API}
kind: Gateway
metadata: {name: ${name}}
spec:
  selector: {istio: ${selector}}
  servers:
${servers.join('')}`;
}

/**
 * Gateway gw with these servers, and VirtualService `name` for host bound to it that
 * sends every request to productpage.
 */
export const productpageBehindGw = (host: string, servers: string[], name = 'bookinfo'): string =>
  documents(gateway('gw', servers), virtualService(name, TO_PRODUCTPAGE, { hosts: host, gateways: 'gw' }));

/**
 * Bookinfo's bookinfo-gateway.yaml: Gateway bookinfo-gateway on port 8080 for hosts, and
 * VirtualService bookinfo bound to it sending these URIs (match values such as
 * `{exact: /productpage}`) to productpage.
 */
export function bookinfoGateway(hosts: string, uris: string[]): string {
  const match = uris.map((u) => `    - uri: ${u}\n`).join('');
  const rule = `  - match:\n${match}    route:\n    - destination: ${PRODUCTPAGE_9080}`;
  return documents(
    gateway('bookinfo-gateway', [server([8080, 'http', 'HTTP'], hosts)]),
    virtualService('bookinfo', rule, { hosts, gateways: 'bookinfo-gateway' }),
  );
}

/** A ServiceEntry for one host and port; more is the lines after `ports:` (DNS resolution unless given). */
export const serviceEntry = (name: string, host: string, p: Port, more = '  resolution: DNS'): string =>
  `${API}
kind: ServiceEntry
metadata: {name: ${name}}
spec:
  hosts: [${host}]
  ports: [${port(p)}]
${lines(more)}`;

/** httpbin.org registered on port 443 (TLS) only. */
export const HTTPBIN_TLS_ONLY = serviceEntry('httpbin', 'httpbin.org', [443, 'https', 'TLS']);
