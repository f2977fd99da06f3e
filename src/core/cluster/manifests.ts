// The Kubernetes objects `cluster up` applies, generated from the project's own
// Bookinfo model (src/core/config/bookinfo.ts), so that the live cluster and the
// offline snapshot agree on services, versions, labels, ports and accounts:
// a ServiceAccount bookinfo-<svc>, a Service <svc> (port 9080 named http,
// selector app=<svc>) and one Deployment <svc>-<version> per version (labels app
// and version); ratings' pods also run a metrics exporter on 9090 (RATINGS_METRICS).
// Plus a fortio client for load tests (circuit breaking), shaped like Istio's
// samples/httpbin/sample-client/fortio-deploy.yaml.
import { dump } from 'js-yaml';
import {
  BOOKINFO_NAMESPACE,
  BOOKINFO_SERVICES,
  type BookinfoService,
  LEGACY_CLIENT,
  LEGACY_NAMESPACE,
  plaintextClientManifests,
  RATINGS_METRICS,
} from '../config/bookinfo.ts';
import { deploymentManifest } from '../config/deployment-manifest.ts';

export type Manifest = Record<string, unknown>;

/** The fortio load-test client: `kubectl exec deploy/fortio-deploy -c fortio -- fortio load ...` */
export const FORTIO = {
  app: 'fortio',
  service: 'fortio',
  deployment: 'fortio-deploy',
  serviceAccount: 'fortio',
  image: 'fortio/fortio:latest_release',
  port: 8080,
} as const;

/** The Envoy statistics the fortio sidecar exposes on :15000/stats (circuit-breaking lessons read them). */
const FORTIO_PROXY_CONFIG = ['proxyStatsMatcher:', '  inclusionPrefixes:', '  - cluster.outbound', ''].join(
  '\n',
);

export function bookinfoServiceAccount(svc: BookinfoService, ns: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: `bookinfo-${svc.name}`, namespace: ns, labels: { account: svc.name } },
  };
}

export function bookinfoService(svc: BookinfoService, ns: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc.name, namespace: ns, labels: { app: svc.name, service: svc.name } },
    spec: { ports: [{ port: svc.port, name: 'http' }], selector: { app: svc.name } },
  };
}

/** What some images need to run as in Istio's bookinfo.yaml: writable folders, a log dir. */
function containerExtras(service: string): { container: Manifest; pod: Manifest } {
  if (service === 'reviews') {
    return {
      container: {
        env: [{ name: 'LOG_DIR', value: '/tmp/logs' }],
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' },
        ],
      },
      pod: {
        volumes: [
          { name: 'wlp-output', emptyDir: {} },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    };
  }
  if (service === 'productpage') {
    return {
      container: { volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] },
      pod: { volumes: [{ name: 'tmp', emptyDir: {} }] },
    };
  }
  return { container: {}, pod: {} };
}

/**
 * ratings' metrics exporter: fortio's echo server on 9090 only (its gRPC, redirect, TCP
 * and UDP listeners off), answering any path with 200. The image is fortio's, already
 * pulled for the fortio client.
 */
function ratingsMetricsContainer(): Manifest {
  return {
    name: RATINGS_METRICS.container,
    image: FORTIO.image,
    imagePullPolicy: 'IfNotPresent',
    args: [
      'server',
      '-http-port',
      String(RATINGS_METRICS.port),
      ...['-grpc-port', '-redirect-port', '-tcp-port', '-udp-port'].flatMap((f) => [f, 'disabled']),
    ],
    ports: [{ containerPort: RATINGS_METRICS.port, name: 'http-metrics' }],
  };
}

export function bookinfoDeployments(svc: BookinfoService, ns: string): Manifest[] {
  const extras = containerExtras(svc.name);
  return svc.versions.map((v) =>
    deploymentManifest({
      name: `${svc.name}-${v.version}`,
      namespace: ns,
      labels: { app: svc.name, version: v.version },
      pod: {
        serviceAccountName: `bookinfo-${svc.name}`,
        containers: [
          {
            name: svc.name,
            image: v.image,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: svc.port, name: 'http' }],
            ...extras.container,
          },
          ...(svc.name === RATINGS_METRICS.service ? [ratingsMetricsContainer()] : []),
        ],
        ...extras.pod,
      },
    }),
  );
}

/** Bookinfo in namespace `ns`: per service its ServiceAccount, Service and one Deployment per version. */
export function bookinfoClusterManifests(ns: string = BOOKINFO_NAMESPACE): Manifest[] {
  const out: Manifest[] = [];
  for (const svc of BOOKINFO_SERVICES) {
    out.push(bookinfoServiceAccount(svc, ns), bookinfoService(svc, ns), ...bookinfoDeployments(svc, ns));
  }
  return out;
}

/** The fortio client: ServiceAccount, Service (8080 named http) and Deployment fortio-deploy. */
export function fortioManifests(ns: string = BOOKINFO_NAMESPACE): Manifest[] {
  const labels = { app: FORTIO.app };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: FORTIO.serviceAccount, namespace: ns, labels: { account: FORTIO.app } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: FORTIO.service, namespace: ns, labels: { app: FORTIO.app, service: FORTIO.service } },
      spec: { ports: [{ port: FORTIO.port, name: 'http' }], selector: { ...labels } },
    },
    deploymentManifest({
      name: FORTIO.deployment,
      namespace: ns,
      labels,
      podAnnotations: { 'proxy.istio.io/config': FORTIO_PROXY_CONFIG },
      pod: {
        serviceAccountName: FORTIO.serviceAccount,
        containers: [
          {
            name: 'fortio',
            image: FORTIO.image,
            imagePullPolicy: 'IfNotPresent',
            ports: [
              { containerPort: FORTIO.port, name: 'http-fortio' },
              { containerPort: 8079, name: 'grpc-ping' },
            ],
          },
        ],
      },
    }),
  ];
}

/** Everything `cluster up` applies to the lab namespace: Bookinfo, then fortio. */
export function labManifests(ns: string = BOOKINFO_NAMESPACE): Manifest[] {
  return [...bookinfoClusterManifests(ns), ...fortioManifests(ns)];
}

/**
 * The plaintext client the security labs call from: namespace legacy, labelled
 * istio-injection=disabled (so no sidecar even where injection is on by default),
 * its ServiceAccount, and Deployment curl (`kubectl exec -n legacy deploy/curl -- curl ...`).
 */
export function legacyClientManifests(): Manifest[] {
  return plaintextClientManifests().flatMap((m) => {
    if (m.kind === 'Namespace')
      return [{ ...m, metadata: { name: LEGACY_NAMESPACE, labels: { 'istio-injection': 'disabled' } } }];
    if (m.kind === 'Deployment')
      return [
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: LEGACY_CLIENT, namespace: LEGACY_NAMESPACE },
        },
        m,
      ];
    return [m];
  });
}

/** A multi-document YAML stream for `kubectl apply -f -`. */
export function manifestsYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => dump(m, { noRefs: true, lineWidth: -1 })).join('---\n');
}

export interface ExpectedDeployment {
  name: string;
  app: string;
  version?: string;
}

/** The Deployments `cluster status` expects in the lab namespace, in apply order. */
export function expectedDeployments(): ExpectedDeployment[] {
  const out: ExpectedDeployment[] = [];
  for (const svc of BOOKINFO_SERVICES) {
    for (const v of svc.versions)
      out.push({ name: `${svc.name}-${v.version}`, app: svc.name, version: v.version });
  }
  out.push({ name: FORTIO.deployment, app: FORTIO.app });
  return out;
}
