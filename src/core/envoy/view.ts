// Envoy's view of a snapshot: the simulator's compiled mesh plus the addresses
// the offline model gives Services and pods. One per snapshot (cached), so
// every proxy-config command reads the tables the simulator routes with.
import type { Server } from '../config/schemas/index.ts';
import type { Snapshot } from '../config/snapshot.ts';
import { serverMode } from '../sim/gateway-servers.ts';
import { meshFor, type SimMesh } from '../sim/mesh.ts';
import type { ServerMode } from '../sim/types.ts';
import { Addresses } from './addresses.ts';

export class EnvoyView {
  readonly snapshot: Snapshot;
  readonly mesh: SimMesh;
  readonly addresses: Addresses;

  /** `mesh`: the snapshot's cached compiled mesh unless given (benchmarks compile afresh) */
  constructor(snapshot: Snapshot, mesh: SimMesh = meshFor(snapshot)) {
    this.snapshot = snapshot;
    this.mesh = mesh;
    this.addresses = new Addresses(snapshot);
  }

  /** The port a pod receives a Service port on (its targetPort), or the port itself. */
  targetPort(host: string, port: number): number {
    return this.snapshot.service(host)?.ports.find((p) => p.port === port)?.targetPort ?? port;
  }

  serverMode(server: Server): ServerMode {
    return serverMode(server);
  }
}

const views = new WeakMap<Snapshot, EnvoyView>();

export function envoyView(snapshot: Snapshot): EnvoyView {
  let v = views.get(snapshot);
  if (!v) views.set(snapshot, (v = new EnvoyView(snapshot)));
  return v;
}
