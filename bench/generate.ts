// Generates a large, realistic mesh dump: per host a VirtualService,
// DestinationRule, Gateway and ServiceEntry (4 resources per host).
export function meshYaml(hosts: number): string {
  const docs: string[] = [];
  for (let i = 0; i < hosts; i++) {
    const h = `svc-${i}.example.com`;
    docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-${i}
  namespace: ns-${i % 50}
spec:
  hosts:
  - ${h}
  gateways:
  - gw-${i}
  - mesh
  http:
  - match:
    - headers:
        end-user:
          exact: jason
      uri:
        prefix: /api
    route:
    - destination:
        host: ${h}
        subset: v2
  - route:
    - destination:
        host: ${h}
        subset: v1
      weight: 80
    - destination:
        host: ${h}
        subset: v2
      weight: 20
    timeout: 6s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,reset`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: dr-${i}
  namespace: ns-${i % 50}
spec:
  host: ${h}
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 100}
      http: {http1MaxPendingRequests: 10}
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels:
      version: v2`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-${i}
  namespace: ns-${i % 50}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 8080, name: http-${i}, protocol: HTTP}
    hosts: ["${h}"]`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: se-${i}
  namespace: ns-${i % 50}
spec:
  hosts: [${h}]
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: DNS
  location: MESH_EXTERNAL`);
  }
  return `${docs.join('\n---\n')}\n`;
}

/**
 * What a Helm-style generator writes for `services` apps: per app a Service, a
 * Deployment, its own ingress Gateway (all on the one ingress gateway, port 80) and a
 * VirtualService bound to it: the Gateway x VirtualService host matching shape.
 * 4 resources per service.
 */
export function gatewayHeavyYaml(services: number): string {
  const docs: string[] = [];
  for (let i = 0; i < services; i++) {
    const ns = `team-${i % 100}`;
    const h = `app-${i}.example.com`;
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  selector: {app: app-${i}}
  ports:
  - {name: http, port: 8080, targetPort: 8080}`);
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}, version: v1}
    spec:
      containers:
      - name: app
        image: example/app:1`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: app-${i}-gw
  namespace: ${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["${h}"]`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  hosts: ["${h}"]
  gateways: [app-${i}-gw]
  http:
  - match:
    - uri: {prefix: /api}
    route:
    - destination: {host: app-${i}, port: {number: 8080}}
    timeout: 5s
  - route:
    - destination: {host: app-${i}, port: {number: 8080}}`);
  }
  return `${docs.join('\n---\n')}\n`;
}

/**
 * Hosts-heavy: `resources` VirtualServices and ServiceEntries that each list many
 * hosts (wildcards among them), all bound to one shared Gateway for `*.example.com`.
 */
export function hostsHeavyYaml(resources: number, hostsEach = 20): string {
  const docs: string[] = [
    `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: edge
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*/*.example.com"]`,
  ];
  for (let i = 1; i < resources; i++) {
    const hosts = Array.from({ length: hostsEach }, (_, j) =>
      j === 0 ? `"*.w${i}.example.com"` : `h${j}.s${i}.example.com`,
    );
    if (i % 2 === 0) {
      docs.push(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: se-${i}
  namespace: ns-${i % 50}
spec:
  hosts: [${hosts.slice(1).join(', ')}]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
  location: MESH_EXTERNAL`);
    } else {
      docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-${i}
  namespace: ns-${i % 50}
spec:
  hosts: [${hosts.join(', ')}]
  gateways: [edge/shared, mesh]
  http:
  - route:
    - destination: {host: h1.s${i}.example.com}`);
    }
  }
  return `${docs.join('\n---\n')}\n`;
}

/** One VirtualService with `hosts` hosts (the 7 MB, 300k-host attack). */
export function oneVsManyHostsYaml(hosts: number): string {
  const list = Array.from({ length: hosts }, (_, i) => `  - h${i}.example.com`).join('\n');
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: many
spec:
  hosts:
${list}
  http:
  - route:
    - destination: {host: reviews}
`;
}

/** `count` VirtualServices for one and the same host (the 350 MB-of-text attack). */
export function sameHostYaml(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-${i}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}`);
  }
  return `${docs.join('\n---\n')}\n`;
}
