// Grading a learner's namespace without a cluster: short hosts resolve in the learner's
// namespace, Pods are found by their Deployment's name; outcomes per lab; fingerprints.
import { describe, expect, it } from 'vitest';
import { hostKey, resourceFootprint, startedLab } from '../../src/core/cohort/footprint.ts';
import { cohortGradable } from '../../src/core/cohort/gradable.ts';
import { fingerprint, gradeLearnerLab, gradeSnapshot } from '../../src/core/cohort/grade.ts';
import { LABS, lab, learnerLoad, meshConfigMap, yamlObjects } from './fixtures.ts';

const ROUTE = lab('route-all-v1');
const SUBSET = lab('fix-missing-subset');

describe('grading one learner', () => {
  it('passes a lab whose solution is in the learner namespace', async () => {
    const l = learnerLoad('spring', 'alice', yamlObjects(ROUTE.solutionDir, 'spring-alice'));
    const o = await gradeLearnerLab(l, ROUTE);
    expect(o.criteria.filter((c) => !c.pass)).toEqual([]);
    expect(o).toMatchObject({ lab: 'route-all-v1', attempted: true, pass: true });
  });

  it('fails a wrong answer with the finding codes, in the learner’s namespace', async () => {
    const l = learnerLoad('spring', 'bob', yamlObjects(SUBSET.starterDir, 'spring-bob'));
    const o = await gradeLearnerLab(l, SUBSET);
    expect(o.pass).toBe(false);
    expect(o.findings.map((f) => f.code)).toContain('IST0101');
    expect(o.findings.find((f) => f.code === 'IST0101')?.origin).toBe('VirtualService spring-bob/reviews');
    expect(JSON.stringify(o)).not.toContain(' default/');
  });

  it('does not grade a namespace without Istio resources', async () => {
    const l = learnerLoad('spring', 'carol', []);
    expect(await gradeLearnerLab(l, ROUTE)).toEqual({
      lab: 'route-all-v1',
      attempted: false,
      pass: false,
      criteria: [],
      findings: [],
    });
  });

  it('grades a snapshot learner by learner, lab by lab, in order', async () => {
    const learners = [
      learnerLoad('spring', 'alice', yamlObjects(ROUTE.solutionDir, 'spring-alice')),
      learnerLoad('spring', 'bob', yamlObjects(ROUTE.starterDir, 'spring-bob')),
      learnerLoad('spring', 'carol', []),
    ];
    const run = await gradeSnapshot(
      { context: 'c', server: 's', learners, terminating: [], notes: [], requests: 11 },
      {
        cohort: 'spring',
        labs: [ROUTE, SUBSET],
        concurrency: 3,
        startedAt: new Date('2025-01-01T10:00:00Z'),
      },
    );
    expect(
      run.learners.map((l) => [l.id, l.results.map((r) => `${r.lab}:${r.attempted ? r.pass : '-'}`)]),
    ).toEqual([
      ['alice', ['route-all-v1:true', 'fix-missing-subset:false']],
      ['bob', ['route-all-v1:false', 'fix-missing-subset:false']],
      ['carol', ['route-all-v1:-', 'fix-missing-subset:-']],
    ]);
    expect(run.requests).toBe(11);
  });

  it('fingerprints the configuration, not the order it was read in', () => {
    const a = learnerLoad('s', 'a', yamlObjects(ROUTE.solutionDir, 's-a')).istio;
    expect(fingerprint(a)).toBe(fingerprint([...a].reverse()));
    expect(fingerprint(a)).not.toBe(fingerprint(a.slice(1)));
  });
});

describe('every lab, graded as a cohort learner', () => {
  // labs graded from files only, or marked cohort: false, are left out by cohort grade
  it.each(LABS.filter(cohortGradable).map((l) => [l.id, l] as const))(
    '%s: the solution passes, the starter does not',
    async (_id, l) => {
      // The egress labs assume the instructor set the mesh to REGISTRY_ONLY (live grading reads it from the cluster).
      const shared = l.outboundMode ? [meshConfigMap(l.outboundMode)] : [];
      const solution = await gradeLearnerLab(
        learnerLoad('spring', 'alice', yamlObjects(l.solutionDir, 'spring-alice'), shared),
        l,
      );
      expect(solution.criteria.filter((c) => !c.pass)).toEqual([]);
      expect(solution.pass).toBe(true);
      const starter = await gradeLearnerLab(
        learnerLoad('spring', 'bob', yamlObjects(l.starterDir, 'spring-bob'), shared),
        l,
      );
      expect(starter.pass).toBe(false);
      // a starter with resources counts as started: the learner applied it
      expect(starter.attempted).toBe(yamlObjects(l.starterDir, 'spring-bob').length > 0);
    },
  );
});

describe('which labs a learner has started', () => {
  it('counts a lab started when the learner configures a kind and host the lab configures', async () => {
    const pinned = learnerLoad('spring', 'alice', yamlObjects(ROUTE.solutionDir, 'spring-alice')).istio;
    expect(await startedLab(lab('canary-20'), pinned)).toBe(true);
    expect(await startedLab(lab('ingress-http'), pinned)).toBe(false);
    expect(await startedLab(lab('egress-serviceentry'), pinned)).toBe(false);
    expect(await startedLab(ROUTE, [])).toBe(false);
  });

  it('reads hosts the way Istio resolves them, whatever the resource is called', () => {
    expect(hostKey('reviews.spring-alice.svc.cluster.local')).toBe('reviews');
    expect(hostKey('reviews')).toBe('reviews');
    expect(hostKey('istio-system/bookinfo.example.com')).toBe('bookinfo.example.com');
    expect(hostKey('httpbin.org')).toBe('httpbin.org');
    expect(
      resourceFootprint({ kind: 'Gateway', spec: { servers: [{ hosts: ['*/bookinfo.example.com'] }] } }),
    ).toEqual(['Gateway:bookinfo.example.com']);
  });
});
