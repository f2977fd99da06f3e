// The shapes a Snapshot hands out (Services, workloads, the mesh's outbound mode) and
// its typed resource aliases. Apart from snapshot.ts so that the modules building or
// looking these up (snapshot-objects.ts, host-registry.ts) need not import the class.
import type { Resource } from './resource.ts';
import type {
  AuthorizationPolicySpec,
  DestinationRuleSpec,
  GatewaySpec,
  PeerAuthenticationSpec,
  ProxyConfigSpec,
  RequestAuthenticationSpec,
  ServiceEntrySpec,
  SidecarSpec,
  TelemetrySpec,
  VirtualServiceSpec,
} from './schemas/index.ts';
import type { Dataplane } from './workload-facts.ts';

export type OutboundMode = 'ALLOW_ANY' | 'REGISTRY_ONLY';

export interface ServicePort {
  port: number;
  name?: string;
  targetPort?: number;
  protocol?: string;
  /** spec.ports[].appProtocol: Istio reads the port's protocol from it before the name */
  appProtocol?: string;
}

export interface ServiceInfo {
  name: string;
  namespace: string;
  fqdn: string;
  ports: ServicePort[];
  selector: Record<string, string>;
  resource: Resource;
}

/** A running (or would-be) pod: from Pod objects, or a Deployment's template. */
export interface Workload {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ready: boolean;
  /** pods this stands for (a Deployment's replicas) */
  replicas: number;
  resource: Resource;
  /** spec.serviceAccountName (`default` when unset): the workload's SPIFFE identity */
  serviceAccount: string;
  /** an Envoy proxy handles its traffic (a sidecar, or a gateway pod); see workload-facts.ts */
  sidecar: boolean;
  /** its sidecar's control plane revision (see workload-facts.ts); undefined without one */
  revision?: string;
  /** sidecar, ambient (ztunnel captures it) or none (see workload-facts.ts) */
  dataplane: Dataplane;
  /**
   * why its labels ask for a sidecar yet it gets none: no injector among the inputs
   * serves the revision they ask for (injectors.ts)
   */
  noInjector?: string;
}

export interface MeshConfigInfo {
  outboundMode: OutboundMode;
  /** where the mode came from: "flag", a file:line, "cluster" or "default" */
  source: string;
}

export type VirtualService = Resource<VirtualServiceSpec>;
export type DestinationRule = Resource<DestinationRuleSpec>;
export type Gateway = Resource<GatewaySpec>;
export type ServiceEntry = Resource<ServiceEntrySpec>;
export type Sidecar = Resource<SidecarSpec>;
export type Telemetry = Resource<TelemetrySpec>;
export type ProxyConfig = Resource<ProxyConfigSpec>;
export type PeerAuthentication = Resource<PeerAuthenticationSpec>;
export type AuthorizationPolicy = Resource<AuthorizationPolicySpec>;
export type RequestAuthentication = Resource<RequestAuthenticationSpec>;
