// `ica-trainer analyze --live`: the same findings as offline `analyze`, read from a
// cluster through the Kubernetes API. Cluster failures (no kubeconfig, unreachable,
// 401, RBAC, no Istio CRDs, no such namespace, timeout) become one-line UserErrors
// (exit 2). The cluster code is imported only when --live is used, so that the
// other commands do not pay for loading @kubernetes/client-node.
import { exceedsThreshold } from '../core/analysis/analyze.ts';
import type { Level } from '../core/analysis/finding.ts';
import { dnsLabelProblem } from '../core/cohort/roster.ts';
import { parseDurationMs } from '../core/config/duration.ts';
import type { OutboundMode } from '../core/config/snapshot.ts';
import { findingsToJson, findingsToText, findingsToYaml } from './format-findings.ts';
import { EXIT, palette, UserError, write } from './output.ts';

export interface AnalyzeLiveFlags {
  output: 'text' | 'json' | 'yaml';
  failureThreshold: Level;
  outboundMode?: OutboundMode;
  /** -n, only when given on the command line (else the context's namespace, else "default") */
  namespace?: string;
  /** -A / --all-namespaces */
  allNamespaces?: boolean;
  /** --context */
  context?: string;
  /** --kubeconfig */
  kubeconfig?: string;
  /** --request-timeout: a Go duration ("10s", "500ms") or whole seconds ("10"); default 10s */
  requestTimeout?: string;
}

export interface AnalyzeLiveIo {
  /** where the report goes (default: stdout) */
  write?: (text: string) => Promise<void>;
  /** environment for KUBECONFIG and HOME (default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** colour (default: as the terminal allows) */
  color?: boolean;
}

export function parseRequestTimeout(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDurationMs(text);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new UserError(
      `--request-timeout ${JSON.stringify(text)} is not a positive duration (for example 10s, 500ms or 30)`,
    );
  }
  return ms;
}

/** -n names a namespace: a DNS label, checked before any request (`..` would walk the API's paths). */
export function checkNamespaceFlag(namespace: string | undefined): void {
  if (namespace === undefined) return;
  const problem = dnsLabelProblem(namespace);
  if (problem) {
    throw new UserError(`--namespace ${JSON.stringify(namespace)} is not a valid namespace name: ${problem}`);
  }
}

/** Runs `analyze --live`; returns the exit code (0 ok, 1 findings at/above the threshold). */
export async function runAnalyzeLive(flags: AnalyzeLiveFlags, io: AnalyzeLiveIo = {}): Promise<number> {
  if (flags.allNamespaces && flags.namespace) {
    throw new UserError('--all-namespaces (-A) and --namespace (-n) exclude each other; pass one');
  }
  checkNamespaceFlag(flags.namespace);
  const timeoutMs = parseRequestTimeout(flags.requestTimeout);
  const [{ analyzeCluster }, { ClusterError }] = await Promise.all([
    import('../core/cluster/analyze-cluster.ts'),
    import('../core/cluster/errors.ts'),
  ]);
  let result: Awaited<ReturnType<typeof analyzeCluster>>;
  try {
    result = await analyzeCluster({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      ...(flags.allNamespaces ? { allNamespaces: true } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(flags.outboundMode ? { outboundMode: flags.outboundMode } : {}),
      ...(io.env ? { env: io.env } : {}),
    });
  } catch (e) {
    if (e instanceof ClusterError) throw new UserError(e.message);
    throw e;
  }
  const { findings, live } = result;
  const out = io.write ?? write;
  if (flags.output === 'json') await out(findingsToJson(findings));
  else if (flags.output === 'yaml') await out(findingsToYaml(findings));
  else {
    const scope = `context ${live.context}${live.namespace ? `, namespace ${live.namespace}` : ', all namespaces'}`;
    const text = findingsToText(findings, palette(io.color), {
      files: 1,
      resources: live.load.resources.length,
    });
    // The summary names the cluster instead of counting input files.
    const at = text.lastIndexOf(' from 1 input.');
    await out(
      at < 0 ? text : `${text.slice(0, at)} from ${scope}.${text.slice(at + ' from 1 input.'.length)}`,
    );
  }
  return exceedsThreshold(findings, flags.failureThreshold) ? EXIT.fail : EXIT.ok;
}
