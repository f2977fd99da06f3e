// Envoy's view of the mesh, offline: what `istioctl proxy-config` would show

export { type AccessLogContext, accessLogLines, responseDetails } from './access-log.ts';
// for a proxy, derived from the simulator's compiled tables (see view.ts).
export { type ClusterEntry, clusterEntries, endpointAssignments } from './clusters.ts';
export { describePod } from './describe.ts';
export type * from './envoy-types.ts';
export { type EnvoyListener, listeners } from './listeners.ts';
export { asRunning, NoSidecarError, type ProxyTarget, resolveProxy, UnknownProxyError } from './proxy.ts';
export { DRILL_CONFIGMAP, drillState, proxyStatusRows, proxyStatusTable } from './proxy-status.ts';
export { routeConfigs } from './routes.ts';
export { type SecretEntry, secrets } from './secrets.ts';
export * from './tables.ts';
export { EnvoyView, envoyView } from './view.ts';
