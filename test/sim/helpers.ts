// Helpers for the simulator tests: a snapshot from YAML text (with the Bookinfo model).
import { readFileSync } from 'node:fs';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';
import { type OutboundMode, Snapshot } from '../../src/core/config/snapshot.ts';
import { type SimulateOptions, simulate } from '../../src/core/sim/index.ts';

export function snapshotOf(
  yaml: string,
  options: { bookinfo?: boolean; outboundMode?: OutboundMode } = {},
): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  if (yaml.trim()) loadText(yaml, 'input.yaml', load, {});
  if (load.problems.length) throw new Error(`fixture does not load: ${JSON.stringify(load.problems)}`);
  return new Snapshot({
    resources: load.resources,
    meshConfigs: load.meshConfigs,
    bookinfo: options.bookinfo ?? true,
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

/** The DestinationRule with every Bookinfo subset (Istio's destination-rule-all.yaml). */
export const DR_ALL = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: productpage}
spec:
  host: productpage
  subsets:
  - {name: v1, labels: {version: v1}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v2-mysql, labels: {version: v2-mysql}}
  - {name: v2-mysql-vm, labels: {version: v2-mysql-vm}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: details}
spec:
  host: details
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;

/** The text of test/fixtures/sim/<name>. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/sim/${name}`, import.meta.url), 'utf8');
}
