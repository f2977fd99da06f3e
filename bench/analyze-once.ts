// Child process for the analyzer bench: analyse one file once and report time
// (wall and CPU: on a shared machine CPU time varies less), peak memory (maxRSS)
// and the memory before reading the input (what running from the TypeScript
// sources costs before any work), so that figures are not skewed by the bench itself.
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { analyzeLoaded } from '../src/core/analysis/analyze.ts';
import { type LoadResult, loadText } from '../src/core/config/load.ts';

const [file, mode = 'analyze'] = process.argv.slice(2);
const startRssMb = process.memoryUsage().rss / 1048576;
const text = readFileSync(file ?? '', 'utf8');
const cpu = process.cpuUsage();
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
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
process.stdout.write(
  JSON.stringify({ ms, cpuMs, count, maxRssMb: process.resourceUsage().maxRSS / 1024, startRssMb }),
);
