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

const gw = (ns: string, name: string, hosts: string[], selector = { istio: 'ingressgateway' }): Obj =>
  ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns },
    spec: { selector, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts }] },
  }) as Obj;

describe('shared gateway alerts', () => {
  it('names a learner Gateway claiming * and a host two learners claim, not hosts of their own', () => {
    const alice = learnerLoad('spring', 'alice', [gw('spring-alice', 'all', ['*'])]);
    const bob = learnerLoad('spring', 'bob', [
      gw('spring-bob', 'books', ['spring-bob/books.example.com', 'bob.example.com']),
    ]);
    const carol = learnerLoad('spring', 'carol', [
      gw('spring-carol', 'books', ['BOOKS.example.com', 'carol.example.com']),
      // the same host on an egress gateway is another workload: no clash with bob's ingress one
      gw('spring-carol', 'out', ['bob.example.com'], { istio: 'egressgateway' }),
    ]);
    expect(crossLearnerAlerts([alice, bob, carol])).toEqual([
      "Gateway spring-alice/all of alice claims every host (*) on the shared gateway istio=ingressgateway, other learners' hosts too",
      "host books.example.com on the shared gateway istio=ingressgateway is claimed by Gateway spring-bob/books of bob and Gateway spring-carol/books of carol: one learner's routes may serve another's requests",
    ]);
    // own hosts only, and a single learner has nobody to disturb
    expect(
      crossLearnerAlerts([bob, learnerLoad('spring', 'dan', [gw('spring-dan', 'd', ['dan.example.com'])])]),
    ).toEqual([]);
    expect(crossLearnerAlerts([alice])).toEqual([]);
  });
});
