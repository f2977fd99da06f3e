// The simulator's layers. SimMesh compiles a snapshot once into what each proxy
// knows (callers, route tables, clusters); routing reads that compiled form, and
// every other concern of a hop (the ambient data path: ztunnel and waypoints;
// sidecar mTLS and authorization) is a layer reading the same form: on each upstream attempt the
// layers are asked, in order, whether the server side lets the request through.
// A layer is a new file registered in HOP_LAYERS, not a branch in proxy.ts.

import { ambientLayer } from './ambient/layer.ts';
import type { SimMesh } from './mesh.ts';
import { securityLayer } from './security/layer.ts';
import { sidecarIngressLayer } from './sidecar-ingress.ts';
import type { Caller, Cluster, Endpoint, SimRequest } from './types.ts';

/** One upstream attempt: the caller's proxy sends `req` to `endpoint` of `cluster`. */
export interface Hop {
  caller: Caller;
  cluster: Cluster;
  endpoint: Endpoint;
  req: SimRequest;
  /** records a decision that let the request through (the run's summary counts them) */
  note?: (decision: string) => void;
}

/** What a layer decides instead of the application answering. */
export type HopVerdict =
  /** the connection fails: refused before the request (503 UF at the caller) or reset after it (503 UC) */
  | { kind: 'reset'; connect: boolean; reason: string }
  /** the server's proxy answers itself (403 RBAC, 401 JWT): the application never sees the request */
  | {
      kind: 'reply';
      status: number;
      reason: string;
      /** answered on the way, by a waypoint: the pod itself never sees the request */
      beforePod?: true;
    };

export interface HopLayer {
  readonly name: string;
  /** null lets the request through to the next layer (and then the application) */
  hop(h: Hop): HopVerdict | null;
  /** a request entering the mesh at a gateway caller (from outside), before it is routed */
  entry?(caller: Caller, req: SimRequest, note?: (decision: string) => void): HopVerdict | null;
}

/** Builds a layer for a compiled mesh, or null when the snapshot gives it nothing to do. */
export type LayerFactory = (mesh: SimMesh) => HopLayer | null;

/** The registered layers, in the order Envoy's filters would run them. */
export const HOP_LAYERS: LayerFactory[] = [ambientLayer, securityLayer, sidecarIngressLayer];
