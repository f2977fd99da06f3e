// `lab watch --live` against the real API server: it re-grades when a credential Secret
// is created (the learner applies the HTTPS Gateway, sees the site fail for want of
// bookinfo-credential, creates the Secret in istio-system: a metadata-only watch on
// Secrets there grades again); a learner who may get the Secret but not watch Secrets is
// told once, and the Secret is graded at the next other change, as before; and a quiet
// namespace's watch, which the server ends every 25 s, resumes without a word.
import { expect, it } from 'vitest';
import { describeLive } from '../helpers/apiserver.ts';
import { meshConfigMap, yamlObjects } from '../helpers/yaml-objects.ts';
import { bookinfoObjects, credentialSecrets, gatewayObjects, type Obj, RUN, sleep } from './objects.ts';
import { readerRole, sharedCluster, startLabWatch, watchChanges, withScratch } from './steps.ts';

const NS = `watch-${RUN}`;
const LAB = 'ingress-https-mutual';
const DIR = new URL(`../../exercises/08-security/${LAB}/`, import.meta.url).pathname;
const starter = () => yamlObjects<Obj>(`${DIR}starter`, NS);
const solution = () => yamlObjects<Obj>(`${DIR}solution`, NS);
const secret = (name: string) => credentialSecrets().filter((s) => s.metadata.name === name);

const SITE_FAILS =
  /✗ https:\/\/bookinfo\.example\.com\/productpage gets 200[^\n]*\n[^\n]*bookinfo-credential[^\n]*does not exist/;
const PASSES = /PASS: all 4 criteria met/;

describeLive('lab watch --live', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
    await scratch.namespace(NS);
    await scratch.applyOne(meshConfigMap<Obj>('ALLOW_ANY'));
    await scratch.apply([...gatewayObjects(), ...bookinfoObjects(NS), ...secret('partner-credential')]);
  });

  it('re-grades when bookinfo-credential is created after the HTTPS Gateway, and passes', async () => {
    await withScratch(shared.cluster, async (work) => {
      await work.apply(starter());
      const watch = startLabWatch(shared.cluster.kubeconfig.admin, LAB, NS);
      try {
        await watch.waitFor(/FAIL: /, 0);
        // the Gateway names the credentials only now: the Secret watch starts with this grade
        let mark = watch.mark();
        for (const o of solution()) await work.applyOne(o);
        await watch.waitFor(SITE_FAILS, mark);
        mark = watch.mark();
        await work.apply(secret('bookinfo-credential'));
        await watch.waitFor(PASSES, mark);
        expect(watch.output()).not.toMatch(/cannot watch|stopped watching|lost the watch/);
      } finally {
        watch.stop();
      }
    });
  }, 150_000);

  it('ingress-tls: the HTTPS requests fail until bookinfo-credential exists; creating it re-grades to a pass', async () => {
    const tls = new URL('../../exercises/05-ingress/ingress-tls/solution', import.meta.url).pathname;
    await withScratch(shared.cluster, async (work) => {
      await work.apply(yamlObjects<Obj>(tls, NS));
      const watch = startLabWatch(shared.cluster.kubeconfig.admin, 'ingress-tls', NS);
      try {
        // the gateway has no certificate to present: the handshake fails, as on a cluster
        await watch.waitFor(/✗ HTTPS requests for [^\n]*\n[^\n]*bookinfo-credential[^\n]*does not exist/, 0);
        const mark = watch.mark();
        await work.apply(secret('bookinfo-credential'));
        await watch.waitFor(/PASS: all 3 criteria met/, mark);
      } finally {
        watch.stop();
      }
    });
  }, 150_000);

  it('a learner who may not watch Secrets is told once; the Secret is graded at the next other change', async () => {
    await withScratch(shared.cluster, async (work) => {
      await work.apply([
        ...readerRole(shared.cluster, {
          name: 'learner',
          namespace: NS,
          user: 'carol',
          apiGroups: ['', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io'],
        }),
        // in istio-system: the gateway's pods and Services, and a GET of the lab's Secrets by name
        ...readerRole(shared.cluster, {
          name: 'gateway-reader',
          namespace: 'istio-system',
          user: 'carol',
          rules: [
            { apiGroups: [''], resources: ['pods', 'services'] },
            {
              apiGroups: [''],
              resources: ['secrets'],
              resourceNames: ['bookinfo-credential', 'partner-credential', 'partner-credential-cacert'],
              verbs: ['get'],
            },
          ],
        }),
      ]);
      await work.apply(solution());
      const watch = startLabWatch(shared.cluster.kubeconfig.carol, LAB, NS);
      try {
        await watch.waitFor(/cannot watch secrets in istio-system \(forbidden\): /, 0);
        await watch.waitFor(SITE_FAILS, 0);
        await work.apply(secret('bookinfo-credential'));
        // another change (a label on the Gateway) grades again, and the Secret with it
        const mark = watch.mark();
        const gw = solution().find((o) => o.kind === 'Gateway') as Obj;
        await work.applyOne({ ...gw, metadata: { ...gw.metadata, labels: { touched: 'yes' } } });
        await watch.waitFor(PASSES, mark);
        expect(watch.output().match(/cannot watch secrets/g)).toHaveLength(1);
      } finally {
        watch.stop();
      }
    });
  }, 150_000);

  it('a quiet watch outlives the 30 s a connection may stay silent, and still sees the next change', async () => {
    const watch = watchChanges(shared.cluster, NS, { DestinationRule: 'v1' });
    try {
      await sleep(40_000); // past two of the server's 25 s watches, and client-node's 30 s limit
      await shared.scratch.applyOne({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'quiet', namespace: NS },
        spec: { host: 'reviews' },
      } as Obj);
      await watch.waitFor(['added DestinationRule quiet']);
      expect(watch.statuses).toEqual([]);
      expect(watch.changes).toEqual(['added DestinationRule quiet']);
    } finally {
      watch.stop();
    }
  }, 90_000);
});
