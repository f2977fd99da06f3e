// A rule reads the snapshot and reports coded findings. It knows nothing of labs.

import type { GatewayApiKind } from '../config/load-gateway-api.ts';
import type { FieldPath, Kind, Resource } from '../config/resource.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { Code, ParamsOf } from './catalog/index.ts';

export interface RuleContext {
  snapshot: Snapshot;
  report<C extends Code>(code: C, params: ParamsOf<C>, resource: Resource, path?: FieldPath): void;
}

export interface Rule {
  /** kebab-case, unique: `virtualservice.destination-hosts` */
  name: string;
  /** one sentence: what the rule checks */
  description: string;
  /** the kinds the rule reads (checked by the meta-tests); Gateway API kinds by their names */
  reads: readonly (Kind | 'HTTPRoute' | GatewayApiKind)[];
  /**
   * judges each resource on its own (schemas, duplicates): a kind that could not be
   * read live only means fewer resources to judge, so the rule still runs
   */
  perResource?: boolean;
  /** reads Gateway API Gateways (waypoints) or HTTPRoutes: not run live when they cannot be read */
  readsGatewayApi?: boolean;
  /** the codes the rule can report */
  codes: readonly Code[];
  run(ctx: RuleContext): void;
}
