// The analyzer: load -> snapshot -> rules -> findings.
import { type LoadOptions, type LoadProblem, type LoadResult, loadPaths } from '../config/load.ts';
import { type OutboundMode, Snapshot } from '../config/snapshot.ts';
import type { Code, ParamsOf } from './catalog/index.ts';
import { createFinding } from './create-finding.ts';
import { type Finding, type Level, levelRank } from './finding.ts';
import type { Rule } from './rule.ts';
import { RULES } from './rules/index.ts';

export interface AnalyzeOptions extends LoadOptions {
  /** add the built-in Bookinfo model (default true) */
  bookinfo?: boolean;
  outboundMode?: OutboundMode;
  rules?: readonly Rule[];
}

export interface AnalysisResult {
  findings: Finding[];
  snapshot: Snapshot;
  load: LoadResult;
}

export async function analyzePaths(
  paths: readonly string[],
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const load = await loadPaths(paths, options);
  return analyzeLoaded(load, options);
}

export function analyzeLoaded(load: LoadResult, options: AnalyzeOptions = {}): AnalysisResult {
  const snapshot = new Snapshot({
    resources: load.resources,
    meshConfigs: load.meshConfigs,
    ...(load.kubernetesGateways ? { kubernetesGateways: load.kubernetesGateways } : {}),
    ...(load.httpRoutes ? { httpRoutes: load.httpRoutes } : {}),
    ...(load.gatewayApiObjects ? { gatewayApiObjects: load.gatewayApiObjects } : {}),
    ...(load.gatewayApiUnknown ? { gatewayApiUnknown: true } : {}),
    ...(load.secretsNotFound ? { secretsNotFound: load.secretsNotFound } : {}),
    bookinfo: options.bookinfo ?? true,
    ...(options.outboundMode ? { outboundMode: options.outboundMode } : {}),
  });
  // Gateway API kinds that could not be read: the rules judging waypoints and HTTPRoutes
  // would call every one missing, so they do not run (the read's note says why)
  const rules = (options.rules ?? RULES).filter((r) => !(load.gatewayApiUnknown && r.readsGatewayApi));
  const findings = [...load.problems.map(problemFinding), ...runRules(snapshot, rules)];
  return { findings: sortFindings(findings), snapshot, load };
}

/** Codes for which `kubectl apply` fails: a schema or webhook rejection, an unknown field (strict field validation). */
export const REJECTED_BY_API_SERVER: ReadonlySet<string> = new Set(['IST0106', 'ICA0101']);

/** Runs rules over a snapshot. A rule that throws is reported, never crashes the run. */
export function runRules(snapshot: Snapshot, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      rule.run({
        snapshot,
        report: (code, params, resource, path) => {
          const finding = createFinding(code, params, path ? { resource, path } : { resource });
          findings.push(finding);
          // The API server refuses the whole object: it is never applied (nor simulated).
          if (REJECTED_BY_API_SERVER.has(code)) snapshot.reject(resource, `${code} ${finding.message}`);
        },
      });
    } catch (e) {
      findings.push(
        createFinding('ICA0008', { rule: rule.name, detail: e instanceof Error ? e.message : String(e) }),
      );
    }
  }
  return findings;
}

function problemFinding(p: LoadProblem): Finding {
  const site = {
    file: p.file,
    ...(p.line ? { line: p.line } : {}),
    ...(p.column ? { column: p.column } : {}),
  };
  return createFinding(p.code as Code, p.params as unknown as ParamsOf<Code>, site);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** True when some finding is at or above the threshold level. */
export function exceedsThreshold(findings: readonly Finding[], threshold: Level): boolean {
  const min = levelRank(threshold);
  return findings.some((f) => levelRank(f.level) >= min);
}
