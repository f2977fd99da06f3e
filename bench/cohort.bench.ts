// Cohort grading at class size: 50 learner namespaces × 5 labs against the real test
// API server (test/helpers/apiserver.ts; skipped with a note when there is none).
// A third of the learners applied a lab's solution, a third its starter (a wrong
// answer), a third nothing. Measures `cohort init` for 50, one `cohort grade` (API
// requests counted: a fixed number whatever the cohort size), the same reads done one
// namespace at a time for comparison, and building the HTML report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { loadCluster } from '../src/core/cluster/live-source.ts';
import { gradeCohort } from '../src/core/cohort/grade.ts';
import { mapBounded } from '../src/core/cohort/kube.ts';
import { learnerManifests } from '../src/core/cohort/manifests.ts';
import { setupCohort } from '../src/core/cohort/setup.ts';
import { readRuns } from '../src/core/cohort/store.ts';
import { buildCohortReport } from '../src/core/report/cohort-report.ts';
import { reportToHtml } from '../src/core/report/html.ts';
import { lab, podsFor, yamlObjects } from '../test/cohort/fixtures.ts';
import { apiServerAvailability, applyObject, startTestCluster } from '../test/helpers/apiserver.ts';
import { type BenchResult, medianMs } from './types.ts';

const COHORT = 'bench';
const LEARNERS = 50;
const LAB_IDS = ['route-all-v1', 'canary-20', 'fix-missing-subset', 'header-jason-v2', 'timeouts'];

export default async function bench(): Promise<BenchResult[]> {
  const available = apiServerAvailability();
  if (!available.ok) {
    process.stderr.write(`bench: cohort skipped: ${available.reason}\n`);
    return [];
  }
  const labs = LAB_IDS.map(lab);
  const ids = Array.from({ length: LEARNERS }, (_, i) => `l${String(i + 1).padStart(2, '0')}`);
  const work = mkdtempSync(join(tmpdir(), 'ica-cohort-bench-'));
  const cluster = await startTestCluster();
  try {
    const base = { kubeconfig: cluster.kubeconfig.admin, env: {}, timeoutMs: 30_000 };
    let t = performance.now();
    const setup = await setupCohort({
      ...base,
      name: COHORT,
      ids,
      dir: join(work, 'kubeconfigs'),
      home: join(work, 'state'),
      concurrency: 8,
    });
    const initMs = performance.now() - t;

    // What the learners did, and the Pods no controller makes here.
    const objects: KubernetesObject[] = [];
    ids.forEach((id, i) => {
      const ns = `${COHORT}-${id}`;
      objects.push(...(podsFor(learnerManifests(COHORT, id)) as unknown as KubernetesObject[]));
      const l = labs[i % labs.length];
      if (!l) return;
      if (i % 3 === 0) objects.push(...(yamlObjects(l.solutionDir, ns) as unknown as KubernetesObject[]));
      if (i % 3 === 1) objects.push(...(yamlObjects(l.starterDir, ns) as unknown as KubernetesObject[]));
    });
    await mapBounded(objects, 16, (o) => applyObject(cluster.objects, o));

    const home = join(work, 'state');
    let requests = 0;
    let readMs = 0;
    let gradeMs = 0;
    let passed = 0;
    const totalMs = await medianMs(3, async () => {
      const r = await gradeCohort({ ...base, cohort: COHORT, labs, concurrency: 8, home });
      requests = r.run.requests;
      readMs = r.readMs;
      gradeMs = r.gradeMs;
      passed = r.run.learners.flatMap((l) => l.results).filter((o) => o.pass).length;
    });

    let perNamespaceRequests = 0;
    t = performance.now();
    await mapBounded(ids, 8, async (id) => {
      const live = await loadCluster({ ...base, namespace: `${COHORT}-${id}` });
      perNamespaceRequests += live.requests;
    });
    const perNamespaceMs = performance.now() - t;

    const { runs } = await readRuns(COHORT, { home });
    let htmlBytes = 0;
    const reportMs = await medianMs(3, () => {
      htmlBytes = reportToHtml(buildCohortReport(COHORT, runs)).length;
    });

    const cells = LEARNERS * labs.length;
    return [
      {
        name: 'cohort init, 50 learners',
        value: initMs,
        unit: 'ms',
        note: `${setup.requests} API requests; ${objects.length} pods and lab objects applied after`,
      },
      {
        name: 'cohort grade 50 × 5, total',
        value: totalMs,
        unit: 'ms',
        note: `median of 3; ${passed}/${cells} passing (${Math.ceil(LEARNERS / 3)} learners applied a solution), ${requests} API requests per run`,
      },
      {
        name: 'cohort grade, reading the cluster',
        value: readMs,
        unit: 'ms',
        note: `${requests} requests, last run`,
      },
      {
        name: 'cohort grade, grading (8 at once)',
        value: gradeMs,
        unit: 'ms',
        note: `${(gradeMs / cells).toFixed(1)} ms per learner × lab, last run`,
      },
      {
        name: 'cohort grade, API requests',
        value: requests,
        unit: 'requests',
        note: 'one LIST per kind, any cohort size',
      },
      {
        name: 'per-namespace reads instead (comparison)',
        value: perNamespaceMs,
        unit: 'ms',
        note: `${perNamespaceRequests} API requests for 50 × loadCluster -n`,
      },
      {
        name: 'cohort report, HTML from all runs',
        value: reportMs,
        unit: 'ms',
        note: `${runs.length} runs, ${Math.round(htmlBytes / 1024)} KiB`,
      },
    ];
  } finally {
    await cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
