// Helpers for the simulator tests: a snapshot from YAML text (with the Bookinfo model).
import { readFileSync } from 'node:fs';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';
import { type OutboundMode, Snapshot } from '../../src/core/config/snapshot.ts';
import { type SimulateOptions, simulate } from '../../src/core/sim/index.ts';

// The YAML the tests share is in yaml.ts; DR_ALL is also here for the imports of other folders.
export { DR_ALL } from './yaml.ts';

export function snapshotOf(
  yaml: string,
  options: { bookinfo?: boolean; outboundMode?: OutboundMode } = {},
): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  if (yaml.trim()) loadText(yaml, 'input.yaml', load, {});
  // ICA0003 (a kind the analyzer skips) is no load failure: Gateway API objects are simulated
  if (load.problems.some((p) => p.code !== 'ICA0003'))
    throw new Error(`fixture does not load: ${JSON.stringify(load.problems)}`);
  return new Snapshot({
    resources: load.resources,
    meshConfigs: load.meshConfigs,
    bookinfo: options.bookinfo ?? true,
    ...(load.kubernetesGateways ? { kubernetesGateways: load.kubernetesGateways } : {}),
    ...(load.httpRoutes ? { httpRoutes: load.httpRoutes } : {}),
    ...(load.gatewayApiObjects ? { gatewayApiObjects: load.gatewayApiObjects } : {}),
    ...(options.outboundMode ? { outboundMode: options.outboundMode } : {}),
  });
}

export function run(yaml: string, options: SimulateOptions, snap: { outboundMode?: OutboundMode } = {}) {
  return simulate(snapshotOf(yaml, snap), options);
}

/** Percent of requests answered by a version of a service. */
export function versionPercent(
  summary: ReturnType<typeof simulate>['summary'],
  service: string,
  version: string,
): number {
  return summary.destinations
    .filter((d) => d.service === service && d.version === version && d.reachedPod)
    .reduce((s, d) => s + d.percent, 0);
}

/** Percent of requests with this status (and flags, when given). */
export function statusPercent(
  summary: ReturnType<typeof simulate>['summary'],
  status: number,
  flags?: string,
): number {
  return summary.statuses
    .filter((s) => s.status === status && (flags === undefined || s.flags === flags))
    .reduce((sum, s) => sum + s.percent, 0);
}

/** The text of test/fixtures/sim/<name>. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sim/${name}`, import.meta.url), 'utf8');
}
