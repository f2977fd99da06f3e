// Istio's sample external authorizer on the lab cluster, as istio.io's authz-custom task
// sets it up (Istio 1.26): `cluster up` installs Istio with the two extension providers
// that task adds to the mesh config (sample-ext-authz-grpc on 9000, sample-ext-authz-http
// on 8000 with includeRequestHeadersInCheck x-ext-authz), and deploys
// samples/extauthz/ext-authz.yaml (Service and Deployment ext-authz) in namespace foo,
// labelled for injection. The CUSTOM lab (fix-custom-provider) is graded live against them.
// The providers go in with istioctl --set, not a ConfigMap edit, so that running
// `cluster up` again converges on them instead of being undone by the next install.
import { deploymentManifest } from '../config/deployment-manifest.ts';
import type { Manifest } from './manifests.ts';

export const EXT_AUTHZ_NAMESPACE = 'foo';
export const EXT_AUTHZ_NAME = 'ext-authz';
const HOST = `${EXT_AUTHZ_NAME}.${EXT_AUTHZ_NAMESPACE}.svc.cluster.local`;
const HTTP_PORT = 8000;
const GRPC_PORT = 9000;

/** meshConfig.extensionProviders as the authz-custom task writes them (the lab's mesh-config.yaml). */
export const SAMPLE_EXT_AUTHZ_PROVIDERS = [
  { name: 'sample-ext-authz-grpc', envoyExtAuthzGrpc: { service: HOST, port: GRPC_PORT } },
  {
    name: 'sample-ext-authz-http',
    envoyExtAuthzHttp: { service: HOST, port: HTTP_PORT, includeRequestHeadersInCheck: ['x-ext-authz'] },
  },
] as const;

/** The `istioctl install --set` values that put SAMPLE_EXT_AUTHZ_PROVIDERS in the mesh config. */
export function extAuthzProviderSets(): string[] {
  const sets: string[] = [];
  const walk = (path: string, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(`${path}[${i}]`, v);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v);
    } else sets.push(`${path}=${String(value)}`);
  };
  walk('meshConfig.extensionProviders', SAMPLE_EXT_AUTHZ_PROVIDERS);
  return sets;
}

/** The mesh config's extensionProviders as YAML lines (for a `mesh:` ConfigMap key). */
export function extAuthzProvidersMeshYaml(): string {
  const lines = ['extensionProviders:'];
  for (const p of SAMPLE_EXT_AUTHZ_PROVIDERS) {
    lines.push(`- name: ${p.name}`);
    const [kind, spec] = Object.entries(p).find(([k]) => k !== 'name') as [string, Record<string, unknown>];
    lines.push(`  ${kind}:`);
    for (const [k, v] of Object.entries(spec))
      lines.push(`    ${k}: ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : v}`);
  }
  return `${lines.join('\n')}\n`;
}

/** samples/extauthz/ext-authz.yaml (1.26) in namespace foo, and foo labelled for injection. */
export function extAuthzManifests(): Manifest[] {
  const ns = EXT_AUTHZ_NAMESPACE;
  const labels = { app: EXT_AUTHZ_NAME };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'istio-injection': 'enabled' } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: EXT_AUTHZ_NAME, namespace: ns, labels },
      spec: {
        ports: [
          { name: 'http', port: HTTP_PORT, targetPort: HTTP_PORT },
          { name: 'grpc', port: GRPC_PORT, targetPort: GRPC_PORT },
        ],
        selector: labels,
      },
    },
    // samples/extauthz/ext-authz.yaml labels the pods, not the Deployment
    deploymentManifest({
      name: EXT_AUTHZ_NAME,
      namespace: ns,
      labels,
      labelled: false,
      pod: {
        containers: [
          {
            image: 'docker.io/istio/ext-authz:0.5',
            imagePullPolicy: 'IfNotPresent',
            name: EXT_AUTHZ_NAME,
            ports: [{ containerPort: HTTP_PORT }, { containerPort: GRPC_PORT }],
          },
        ],
      },
    }),
  ];
}
