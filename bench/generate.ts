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
