// Test helpers: analyse YAML text or fixture files the way the CLI does.
import { type AnalyzeOptions, analyzeLoaded, analyzePaths } from '../../src/core/analysis/analyze.ts';
import type { Finding } from '../../src/core/analysis/finding.ts';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';

export function analyzeText(yaml: string, options: AnalyzeOptions = {}, file = 'input.yaml') {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(yaml, file, load, options);
  return analyzeLoaded(load, options);
}

export async function analyzeFiles(paths: string[], options: AnalyzeOptions = {}) {
  return analyzePaths(paths, options);
}

/** `IST0101 VirtualService default/reviews` for each finding (resource-less ones use the file). */
export function pairs(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.origin ?? '-'}`).sort();
}
