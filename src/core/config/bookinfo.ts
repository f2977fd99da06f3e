// The Bookinfo sample as the labs assume it (shared/istio-semantics.md section 4),
// plus Istio's ingress and egress gateway workloads. Offline, these objects join
// the snapshot so that `reviews` resolves as it would on the lab cluster.
// The live-mode manifests are generated from the same data.

import { deploymentManifest } from './deployment-manifest.ts';

export interface WorkloadVersion {
  version: string;
  image: string;
}

export interface BookinfoService {
  name: string;
  port: number;
  versions: WorkloadVersion[];
}

export const BOOKINFO_NAMESPACE = 'default';
export const BOOKINFO_PORT = 9080;
/**
 * Whom each Bookinfo application calls (`service:9080` in its own namespace), by app
 * label; reviews v1 shows no stars and never calls ratings.
 */
export const BOOKINFO_CALLS: Readonly<Record<string, readonly string[]>> = {
  productpage: ['details', 'reviews'],
  reviews: ['ratings'],
};

/**
 * ratings' metrics exporter, a second container in every ratings pod: HTTP on container
 * port 9090 (fortio's echo server), so that PeerAuthentication portLevelMtls has a real
 * second port to act on (lab mtls-port-level, whose own Service exposes it as 15090).
 * Bookinfo's ratings Service stays 9080 only: other labs see Bookinfo as istio.io has it.
 */
export const RATINGS_METRICS = {
  service: 'ratings',
  container: 'metrics',
  port: 9090,
  /** the fortio client's image (cluster/manifests.ts FORTIO), already on the cluster */
  image: 'fortio/fortio:latest_release',
} as const;

const image = (svc: string, v: string) => `docker.io/istio/examples-bookinfo-${svc}-${v}:1.20.2`;

export const BOOKINFO_SERVICES: readonly BookinfoService[] = [
  {
    name: 'productpage',
    port: BOOKINFO_PORT,
    versions: [{ version: 'v1', image: image('productpage', 'v1') }],
  },
  { name: 'details', port: BOOKINFO_PORT, versions: [{ version: 'v1', image: image('details', 'v1') }] },
  { name: 'ratings', port: BOOKINFO_PORT, versions: [{ version: 'v1', image: image('ratings', 'v1') }] },
  {
    name: 'reviews',
    port: BOOKINFO_PORT,
    versions: ['v1', 'v2', 'v3'].map((v) => ({ version: v, image: image('reviews', v) })),
  },
];

export interface GatewayWorkload {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Service ports: port -> targetPort (what the proxy listens on) */
  ports: { name: string; port: number; targetPort: number }[];
}

/** Istio's demo-profile gateways: the Service maps 80->8080 and 443->8443. */
export const GATEWAY_WORKLOADS: readonly GatewayWorkload[] = [
  {
    name: 'istio-ingressgateway',
    namespace: 'istio-system',
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    ports: [
      { name: 'status-port', port: 15021, targetPort: 15021 },
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ],
  },
  {
    name: 'istio-egressgateway',
    namespace: 'istio-system',
    labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
    ports: [
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ],
  },
];

/** Kubernetes objects of the model, as plain manifests (namespace `ns` for Bookinfo). */
export function bookinfoManifests(ns: string = BOOKINFO_NAMESPACE): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const svc of BOOKINFO_SERVICES) {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svc.name, namespace: ns, labels: { app: svc.name, service: svc.name } },
      spec: { ports: [{ port: svc.port, name: 'http' }], selector: { app: svc.name } },
    });
    for (const v of svc.versions) {
      out.push(
        deploymentManifest({
          name: `${svc.name}-${v.version}`,
          namespace: ns,
          labels: { app: svc.name, version: v.version },
          pod: {
            serviceAccountName: `bookinfo-${svc.name}`,
            containers: [
              { name: svc.name, image: v.image, ports: [{ containerPort: svc.port }] },
              ...(svc.name === RATINGS_METRICS.service
                ? [
                    {
                      name: RATINGS_METRICS.container,
                      image: RATINGS_METRICS.image,
                      ports: [{ containerPort: RATINGS_METRICS.port }],
                    },
                  ]
                : []),
            ],
          },
        }),
      );
    }
  }
  return out;
}

export function gatewayManifests(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const gw of GATEWAY_WORKLOADS) {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: gw.name, namespace: gw.namespace, labels: gw.labels },
      spec: { selector: gw.labels, ports: gw.ports.map((p) => ({ ...p })) },
    });
    out.push(
      deploymentManifest({
        name: gw.name,
        namespace: gw.namespace,
        labels: gw.labels,
        pod: { serviceAccountName: `${gw.name}-service-account` },
      }),
    );
  }
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
  return out;
}

/** The namespace of the plaintext client: not labelled for injection, so its pods have no sidecar. */
export const LEGACY_NAMESPACE = 'legacy';
export const LEGACY_CLIENT = 'curl';

/**
 * A client without a sidecar in a namespace without injection (istio.io's mTLS
 * migration task: `legacy/curl`). Its requests are plaintext and carry no
 * identity, so STRICT servers reset them and principals/namespaces never match.
 */
export function plaintextClientManifests(): Record<string, unknown>[] {
  const labels = { app: LEGACY_CLIENT };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEGACY_NAMESPACE } },
    deploymentManifest({
      name: LEGACY_CLIENT,
      namespace: LEGACY_NAMESPACE,
      labels,
      pod: {
        serviceAccountName: LEGACY_CLIENT,
        containers: [{ name: LEGACY_CLIENT, image: 'curlimages/curl', command: ['sleep', 'infinity'] }],
      },
    }),
  ];
}
