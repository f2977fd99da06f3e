// The mesh config settings the security simulation reads besides the trust domain:
// the external authorizers a CUSTOM AuthorizationPolicy names (meshConfig
// extensionProviders of type envoyExtAuthzHttp / envoyExtAuthzGrpc), and how many
// proxies stand in front of the gateways (defaultConfig.gatewayTopology.numTrustedProxies,
// which a gateway pod's proxy.istio.io/config annotation overrides).
import { asRecord, firstSetting, type MeshSource } from './snapshot-objects.ts';
import { parseYamlStream } from './yaml.ts';

export interface ExtAuthzProvider {
  name: string;
  kind: 'http' | 'grpc';
  /** as written: a hostname, or namespace/hostname */
  service: string;
  port: number;
  /** request headers the HTTP check carries besides Host, Method, Path, Content-Length and Authorization */
  includeHeaders: string[];
  failOpen: boolean;
  /** the status a failed check answers (statusOnError; Envoy's default 403) */
  statusOnError: number;
}

/** A provider entry istiod cannot use for CUSTOM: another type, or an error of its own. */
export interface OtherProvider {
  name: string;
  kind: 'other';
  /** the provider's type (envoyFileAccessLog, prometheus ...) */
  type: string;
  error?: string;
}

export interface MeshSecurity {
  /** meshConfig.extensionProviders by name (the first mesh config source that lists them) */
  providers: Map<string, ExtAuthzProvider | OtherProvider>;
  /** where the providers came from: a file:line, "cluster", or Istio's default mesh config */
  providersSource: string;
  /** whether any mesh config source is among the inputs (or read from a cluster) */
  configured: boolean;
  /** meshConfig.defaultConfig.gatewayTopology.numTrustedProxies, with where it came from */
  numTrustedProxies?: { value: number; source: string };
  /** meshConfig.defaultConfig.proxyMetadata.ISTIO_META_ENABLE_HBONE is "true" (the ambient profile sets it), with where */
  sidecarHbone?: string;
}

/** Where providers come from when no mesh config among the inputs lists any. */
export const DEFAULT_SOURCE = "Istio's default mesh config";
/** The extension providers of Istio's default mesh config: none is an external authorizer. */
const DEFAULT_PROVIDERS = ['envoy', 'prometheus', 'stackdriver'];

export function meshSecurity(sources: readonly MeshSource[]): MeshSecurity {
  // istiod keeps the default providers and lays the mesh config's over them by name
  // (pkg/config/mesh ApplyMeshConfig): a later entry of the same name replaces an earlier one
  const providers = new Map<string, ExtAuthzProvider | OtherProvider>();
  for (const name of DEFAULT_PROVIDERS) providers.set(name, { name, kind: 'other', type: name });
  let providersSource = DEFAULT_SOURCE;
  const listed = sources.find((s) => Array.isArray(asRecord(s.value).extensionProviders));
  if (listed) {
    providersSource = listed.source();
    for (const p of asRecord(listed.value).extensionProviders as unknown[]) {
      const parsed = parseProvider(asRecord(p));
      if (parsed) providers.set(parsed.name, parsed);
    }
  }
  const trusted = firstSetting(sources, (m) => trustedProxiesOf(asRecord(m).defaultConfig));
  const from =
    trusted === undefined
      ? undefined
      : sources.find((s) => trustedProxiesOf(asRecord(s.value).defaultConfig) !== undefined);
  const hbone = sources.find((x) => hboneOf(asRecord(x.value).defaultConfig) !== undefined);
  return {
    providers,
    providersSource,
    configured: sources.length > 0,
    ...(hbone && hboneOf(asRecord(hbone.value).defaultConfig) ? { sidecarHbone: hbone.source() } : {}),
    ...(trusted !== undefined && from
      ? { numTrustedProxies: { value: trusted, source: from.source() } }
      : {}),
  };
}

function parseProvider(p: Record<string, unknown>): ExtAuthzProvider | OtherProvider | undefined {
  if (typeof p.name !== 'string' || p.name === '') return undefined;
  const name = p.name;
  const http = p.envoyExtAuthzHttp;
  const grpc = p.envoyExtAuthzGrpc;
  if (!http && !grpc)
    return { name, kind: 'other', type: Object.keys(p).find((k) => k !== 'name') ?? 'unknown' };
  const c = asRecord(http ?? grpc);
  // protobuf JSON reads a uint32 written as a string ("9000") too
  const port = Number(c.port);
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const headers = strings(c.includeRequestHeadersInCheck);
  const status = c.statusOnError === undefined || c.statusOnError === '' ? 403 : Number(c.statusOnError);
  const errors: string[] = [];
  if (typeof c.service !== 'string' || c.service === '') errors.push('service must not be empty');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    errors.push(`port must be in the range [1, 65535], found: ${String(c.port ?? 0)}`);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    errors.push(`invalid statusOnError "${String(c.statusOnError)}"`);
  if (errors.length > 0)
    return {
      name,
      kind: 'other',
      type: http ? 'envoyExtAuthzHttp' : 'envoyExtAuthzGrpc',
      error: errors.join('; '),
    };
  return {
    name,
    kind: http ? 'http' : 'grpc',
    service: c.service as string,
    port,
    // includeHeadersInCheck is the deprecated name, read only when the new one is unset
    includeHeaders: headers.length > 0 ? headers : strings(c.includeHeadersInCheck),
    failOpen: c.failOpen === true,
    statusOnError: status,
  };
}

function trustedProxiesOf(defaultConfig: unknown): number | undefined {
  const n = asRecord(asRecord(defaultConfig).gatewayTopology).numTrustedProxies;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * numTrustedProxies for one gateway workload: its pod template's proxy.istio.io/config
 * annotation when that sets gatewayTopology.numTrustedProxies, else the mesh's, else 0.
 */
export function gatewayTrustedProxies(
  mesh: MeshSecurity,
  podAnnotations: Record<string, unknown> | undefined,
): { value: number; source: string } {
  const annotation = podAnnotations?.['proxy.istio.io/config'];
  if (typeof annotation === 'string') {
    const n = trustedProxiesOf(parseYamlStream(annotation)[0]?.value);
    if (n !== undefined) return { value: n, source: 'the proxy.istio.io/config annotation' };
  }
  return mesh.numTrustedProxies ?? { value: 0, source: 'the default' };
}

/** proxyMetadata.ISTIO_META_ENABLE_HBONE of a proxy config: true, false, or undefined when unset. */
function hboneOf(proxyConfig: unknown): boolean | undefined {
  const v = asRecord(asRecord(proxyConfig).proxyMetadata).ISTIO_META_ENABLE_HBONE;
  return v === undefined ? undefined : String(v) === 'true';
}

/**
 * Whether a sidecar accepts HBONE (port 15008), so that ztunnel sends it mTLS with the
 * ambient client's identity: injection labels the pod networking.istio.io/tunnel: http
 * when its proxyMetadata has ISTIO_META_ENABLE_HBONE "true" (the pod's
 * proxy.istio.io/config annotation, else the mesh's defaultConfig). Undefined: it does not.
 */
export function sidecarAcceptsHbone(
  mesh: MeshSecurity,
  labels: Record<string, string>,
  annotations: Record<string, unknown> | undefined,
): string | undefined {
  if (labels['networking.istio.io/tunnel'] === 'http') return 'its label networking.istio.io/tunnel: http';
  const annotation = annotations?.['proxy.istio.io/config'];
  const own = typeof annotation === 'string' ? hboneOf(parseYamlStream(annotation)[0]?.value) : undefined;
  if (own !== undefined)
    return own ? 'ISTIO_META_ENABLE_HBONE in its proxy.istio.io/config annotation' : undefined;
  return mesh.sidecarHbone
    ? `ISTIO_META_ENABLE_HBONE in the mesh's defaultConfig.proxyMetadata (${mesh.sidecarHbone})`
    : undefined;
}

/** Does an HTTP check carry `header` (includeRequestHeadersInCheck: exact, prefix* or *suffix, any case)? */
export function checkCarries(provider: ExtAuthzProvider, header: string): boolean {
  if (provider.kind === 'grpc') return true;
  const h = header.toLowerCase();
  if (['host', 'authorization', 'content-length', ':method', ':path'].includes(h)) return true;
  return provider.includeHeaders.some((p) => {
    const x = p.toLowerCase();
    if (x.startsWith('*')) return h.endsWith(x.slice(1));
    if (x.endsWith('*')) return h.startsWith(x.slice(0, -1));
    return h === x;
  });
}
