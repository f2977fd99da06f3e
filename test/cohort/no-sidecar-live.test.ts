// cohort init and remove on a real API server that serves no Istio kinds (Istio not
// installed yet): the learner is set up all the same, without a Sidecar, and the
// instructor is told in one line; remove copes with the missing kind.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCohortInit, runCohortRemove } from '../../src/cli/cohort-actions.ts';
import { NO_SIDECAR_CRD } from '../../src/core/cohort/isolation.ts';
import type { SetupResult } from '../../src/core/cohort/setup.ts';
import { describeLive, startTestCluster, type TestCluster } from '../helpers/apiserver.ts';

describeLive('cohorts on a cluster without the Sidecar kind', () => {
  let cluster: TestCluster;
  let work: string;
  beforeAll(async () => {
    cluster = await startTestCluster({ crds: false });
    work = mkdtempSync(join(tmpdir(), 'ica-cohort-nosidecar-'));
    writeFileSync(join(work, 'autumn.txt'), 'zoe\n');
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('init sets the learner up without a Sidecar and says so in one line; remove still works', async (ctx) => {
    const served = await cluster.objects.list('networking.istio.io/v1', 'Sidecar', 'default').then(
      () => true,
      () => false,
    );
    if (served) ctx.skip(); // an existing cluster with Istio (ICA_TEST_KUBECONFIG)
    const env = { ICA_TRAINER_HOME: join(work, 'state') };
    const flags = { kubeconfig: cluster.kubeconfig.admin, requestTimeout: '10s', dir: join(work, 'kc') };
    const chunks: string[] = [];
    const write = async (t: string) => {
      chunks.push(t);
    };
    expect(
      await runCohortInit(
        join(work, 'autumn.txt'),
        { ...flags, tokenTtl: '720h', output: 'json' },
        { env, write },
      ),
    ).toBe(0);
    const result = JSON.parse(chunks.join('')) as SetupResult;
    expect(result.warnings).toEqual([NO_SIDECAR_CRD]);
    expect(result.learners[0]?.changes.some((c) => c.includes('Sidecar'))).toBe(false);

    chunks.length = 0;
    await runCohortInit(
      join(work, 'autumn.txt'),
      { ...flags, tokenTtl: '720h', output: 'text' },
      { env, write, color: false },
    );
    const warnings = chunks
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([`warning: ${NO_SIDECAR_CRD}`]);

    chunks.length = 0;
    await runCohortRemove(['zoe'], { ...flags, yes: true }, { env, write });
    expect(chunks.join('')).toContain('Removed zoe: access revoked, namespace autumn-zoe deleted.');
  }, 60_000);
});
