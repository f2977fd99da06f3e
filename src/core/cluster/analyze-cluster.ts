// `analyze --live` in core: read the cluster, run the same rules as offline, and
// say what could not be read. Rules that read a kind the user may not list are
// skipped (they would report references as missing that merely were not visible).
import { type AnalysisResult, analyzeLoaded, sortFindings } from '../analysis/analyze.ts';
import type { Finding } from '../analysis/finding.ts';
import type { Rule } from '../analysis/rule.ts';
import { RULES } from '../analysis/rules/index.ts';
import type { OutboundMode } from '../config/snapshot.ts';
import { readNoteFindings } from './findings.ts';
import { type LiveLoad, type LiveSourceOptions, loadCluster } from './live-source.ts';

export interface ClusterAnalyzeOptions extends LiveSourceOptions {
  /** overrides the mesh config read from the cluster */
  outboundMode?: OutboundMode;
  rules?: readonly Rule[];
}

export interface ClusterAnalysis extends AnalysisResult {
  live: LiveLoad;
  /** rules not run because a kind they read could not be listed */
  skippedRules: string[];
}

export async function analyzeCluster(options: ClusterAnalyzeOptions = {}): Promise<ClusterAnalysis> {
  const live = await loadCluster(options);
  return analyzeLive(live, options);
}

/** Analyses what `loadCluster` read (exported for graders that load once and grade several times). */
export function analyzeLive(
  live: LiveLoad,
  options: Pick<ClusterAnalyzeOptions, 'outboundMode' | 'rules'> = {},
): ClusterAnalysis {
  const all = options.rules ?? RULES;
  const missing = new Set<string>(live.missingKinds);
  const rules = all.filter(
    (r) =>
      (r.perResource || !r.reads.some((k) => missing.has(k))) &&
      !(live.gatewayApiMissing && r.readsGatewayApi),
  );
  const skippedRules = all.filter((r) => !rules.includes(r)).map((r) => r.name);
  const result = analyzeLoaded(live.load, {
    bookinfo: false,
    rules,
    ...(options.outboundMode ? { outboundMode: options.outboundMode } : {}),
  });
  // With -n, the other namespaces are context (gateways, pods in istio-system), not the subject.
  const inScope = (f: Finding) =>
    live.namespace === undefined || !f.resource || f.resource.namespace === live.namespace;
  const findings = sortFindings([
    ...result.findings.filter(inScope),
    ...readNoteFindings(live.notes, all, live.namespace),
  ]);
  return { ...result, findings, live, skippedRules };
}
