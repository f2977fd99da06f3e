// Instructor alerts: a learner's Istio resource that reaches into another learner's
// namespace is named in the grading run; resources that stay at home are not.
import { describe, expect, it } from 'vitest';
import { crossLearnerAlerts } from '../../src/core/cohort/alerts.ts';
import { gradeSnapshot } from '../../src/core/cohort/grade.ts';
import { lab, learnerLoad, type Obj } from './fixtures.ts';

const vs = (ns: string, name: string, spec: Record<string, unknown>): Obj =>
  ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: ns },
    spec,
  }) as Obj;

describe('cross-learner alerts', () => {
  it("names hosts, exportTo and Gateways in another learner's namespace, and nothing else", async () => {
    const alice = learnerLoad('spring', 'alice', [
      // her own host, a short name and the shared ingress: fine
      vs('spring-alice', 'home', {
        hosts: ['reviews', 'bookinfo.example.com'],
        gateways: ['istio-system/bookinfo-gateway', 'mesh'],
        http: [{ route: [{ destination: { host: 'reviews' } }] }],
      }),
      // bob's reviews, exported to bob, bound to bob's Gateway
      vs('spring-alice', 'hijack', {
        hosts: ['reviews.spring-bob.svc.cluster.local'],
        exportTo: ['spring-bob'],
        gateways: ['spring-bob/gw'],
        http: [{ route: [{ destination: { host: 'ratings.spring-bob.svc.cluster.local' } }] }],
      }),
    ]);
    const bob = learnerLoad('spring', 'bob', [
      vs('spring-bob', 'mine', {
        hosts: ['reviews'],
        http: [{ route: [{ destination: { host: 'reviews' } }] }],
      }),
    ]);
    expect(crossLearnerAlerts([alice, bob])).toEqual([
      "VirtualService spring-alice/hijack of alice names host reviews.spring-bob.svc.cluster.local (hosts), in bob's namespace spring-bob",
      "VirtualService spring-alice/hijack of alice names host ratings.spring-bob.svc.cluster.local (http[].route[].destination.host), in bob's namespace spring-bob",
      "VirtualService spring-alice/hijack of alice is exported to spring-bob, in bob's namespace spring-bob",
      "VirtualService spring-alice/hijack of alice binds to Gateway spring-bob/gw, in bob's namespace spring-bob",
    ]);
    const run = await gradeSnapshot(
      {
        context: 'test',
        server: 'https://k',
        learners: [alice, bob],
        terminating: [],
        requests: 0,
        notes: [],
      },
      { cohort: 'spring', labs: [lab('route-all-v1')], startedAt: new Date('2025-03-01T00:00:00Z') },
    );
    expect(run.alerts).toHaveLength(4);
    expect(crossLearnerAlerts([bob])).toEqual([]);
  });
});
