// `ica-trainer analyze`: istioctl-analyze-like findings for local YAML.
import { analyzePaths, exceedsThreshold } from '../core/analysis/analyze.ts';
import { CATALOG_DOCS } from '../core/analysis/catalog/docs.ts';
import { CATALOG } from '../core/analysis/catalog/index.ts';
import type { Level } from '../core/analysis/finding.ts';
import type { OutboundMode } from '../core/config/snapshot.ts';
import { findingsToJson, findingsToText, findingsToYaml } from './format-findings.ts';
import { EXIT, palette, UserError, write, writeText } from './output.ts';

export interface AnalyzeFlags {
  output: 'text' | 'json' | 'yaml';
  failureThreshold: Level;
  bookinfo: boolean;
  outboundMode?: OutboundMode;
  namespace?: string;
  live?: boolean;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  requestTimeout?: string;
  listCodes?: boolean;
}

export async function runAnalyze(paths: string[], flags: AnalyzeFlags): Promise<number> {
  if (flags.listCodes) {
    const rows = Object.values(CATALOG).map((e) => ({
      code: e.code,
      name: e.name,
      level: e.level,
      description: e.description,
      docs: CATALOG_DOCS[e.code as keyof typeof CATALOG_DOCS],
    }));
    await write(
      flags.output === 'json'
        ? `${JSON.stringify(rows, null, 2)}\n`
        : `${rows.map((r) => `${r.code}  ${r.level.padEnd(7)}  ${r.name}: ${r.description}\n${' '.repeat(19)}${r.docs}`).join('\n')}\n`,
    );
    return EXIT.ok;
  }
  if (flags.live) {
    if (paths.length > 0) throw new UserError('analyze --live reads the cluster: give no file paths');
    const { runAnalyzeLive } = await import('./analyze-live.ts');
    return runAnalyzeLive({
      output: flags.output,
      failureThreshold: flags.failureThreshold,
      ...(flags.outboundMode ? { outboundMode: flags.outboundMode } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      ...(flags.allNamespaces ? { allNamespaces: true } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.requestTimeout ? { requestTimeout: flags.requestTimeout } : {}),
    });
  }
  if (flags.allNamespaces || flags.context || flags.kubeconfig || flags.requestTimeout) {
    throw new UserError('--all-namespaces, --context, --kubeconfig and --request-timeout go with --live');
  }
  if (paths.length === 0) {
    throw new UserError('analyze needs at least one file or directory (or "-" for stdin); see --help');
  }
  const result = await analyzePaths(paths, {
    bookinfo: flags.bookinfo,
    defaultNamespace: flags.namespace ?? 'default',
    ...(flags.outboundMode ? { outboundMode: flags.outboundMode } : {}),
  });
  const { findings, load } = result;
  if (flags.output === 'json') await write(findingsToJson(findings));
  else if (flags.output === 'yaml') await write(findingsToYaml(findings));
  else
    await writeText(
      findingsToText(findings, palette(), { files: load.filesRead, resources: load.resources.length }),
    );
  if (load.filesRead === 0) return EXIT.usage;
  return exceedsThreshold(findings, flags.failureThreshold) ? EXIT.fail : EXIT.ok;
}
