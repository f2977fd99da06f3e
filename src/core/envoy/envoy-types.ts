// The parts of Envoy's xDS configuration the trainer models, in Envoy's own
// JSON shape (camelCase, as `istioctl proxy-config ... -o json` prints it).

export interface EnvoyStringMatch {
  exact?: string;
  prefix?: string;
  safeRegex?: { regex: string };
}

export interface EnvoyHeaderMatcher {
  name: string;
  stringMatch?: EnvoyStringMatch;
  presentMatch?: boolean;
  invertMatch?: boolean;
}

export interface EnvoyRouteMatch {
  prefix?: string;
  path?: string;
  safeRegex?: { regex: string };
  caseSensitive?: boolean;
  headers?: EnvoyHeaderMatcher[];
  queryParameters?: { name: string; stringMatch?: EnvoyStringMatch; presentMatch?: boolean }[];
}

export interface EnvoyRouteAction {
  cluster?: string;
  weightedClusters?: { clusters: { name: string; weight: number }[] };
  timeout?: string;
  retryPolicy?: {
    retryOn: string;
    numRetries: number;
    perTryTimeout?: string;
    retriableStatusCodes?: number[];
  };
  requestMirrorPolicies?: {
    cluster: string;
    runtimeFraction: { defaultValue: { numerator: number; denominator: 'MILLION' } };
  }[];
  prefixRewrite?: string;
  regexRewrite?: { pattern: { regex: string }; substitution: string };
  hostRewriteLiteral?: string;
}

/** A header Envoy sets (OVERWRITE_IF_EXISTS_OR_ADD) or appends (APPEND_IF_EXISTS_OR_ADD). */
export interface EnvoyHeaderValueOption {
  header: { key: string; value: string };
  appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' | 'APPEND_IF_EXISTS_OR_ADD';
}

export interface EnvoyRoute {
  name?: string;
  match: EnvoyRouteMatch;
  route?: EnvoyRouteAction;
  redirect?: {
    responseCode?: string;
    pathRedirect?: string;
    prefixRewrite?: string;
    hostRedirect?: string;
    portRedirect?: number;
    schemeRedirect?: string;
    httpsRedirect?: boolean;
  };
  directResponse?: { status: number };
  requestHeadersToAdd?: EnvoyHeaderValueOption[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: EnvoyHeaderValueOption[];
  responseHeadersToRemove?: string[];
  metadata?: { filterMetadata: { istio: { config: string } } };
  typedPerFilterConfig?: Record<string, unknown>;
}

export interface EnvoyVirtualHost {
  name: string;
  domains: string[];
  routes: EnvoyRoute[];
  includeRequestAttemptCount?: boolean;
  /** `ALL`: Envoy redirects every plaintext request to https (a Gateway server's httpsRedirect) */
  requireTls?: 'ALL';
}

export interface EnvoyRouteConfiguration {
  name: string;
  virtualHosts: EnvoyVirtualHost[];
  validateClusters?: boolean;
}

export type ClusterType = 'EDS' | 'STATIC' | 'STRICT_DNS' | 'ORIGINAL_DST' | 'LOGICAL_DNS';

export interface EnvoyCluster {
  name: string;
  type: ClusterType;
  connectTimeout: string;
  lbPolicy?: string;
  circuitBreakers?: {
    thresholds: {
      maxConnections: number;
      maxPendingRequests: number;
      maxRequests: number;
      maxRetries: number;
    }[];
  };
  outlierDetection?: {
    consecutive5xx?: number;
    consecutiveGatewayFailure?: number;
    interval: string;
    baseEjectionTime: string;
    maxEjectionPercent: number;
  };
  edsClusterConfig?: { edsConfig: { ads: Record<string, never> }; serviceName: string };
  metadata?: { filterMetadata: { istio: Record<string, unknown> } };
}

export interface EnvoyLbEndpoint {
  endpoint: { address: { socketAddress: { address: string; portValue: number } } };
  healthStatus: 'HEALTHY' | 'UNHEALTHY';
  metadata?: { filterMetadata: { istio: { workload: string } } };
}

export interface EnvoyClusterLoadAssignment {
  clusterName: string;
  endpoints: { locality: Record<string, string>; lbEndpoints: EnvoyLbEndpoint[] }[];
}
