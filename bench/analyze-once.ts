// Child process for the analyzer bench: analyse one file once and report time
// and peak memory (maxRSS), so that figures are not skewed by the bench itself.
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { analyzeLoaded } from '../src/core/analysis/analyze.ts';
import { type LoadResult, loadText } from '../src/core/config/load.ts';

const [file, mode = 'analyze'] = process.argv.slice(2);
const text = readFileSync(file ?? '', 'utf8');
const t = performance.now();
let count = 0;
if (mode === 'parse') {
  count = loadAll(text).length;
} else {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(text, file ?? '', load);
  const result = analyzeLoaded(load);
  count = result.findings.length;
}
const ms = performance.now() - t;
process.stdout.write(JSON.stringify({ ms, count, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
