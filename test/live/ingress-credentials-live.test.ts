// The two security labs graded live beyond solution and starter (labs-live.test.ts):
// ingress-https-mutual against the credential Secrets a learner may create in istio-system
// (read by name, one GET each: their certificates, hosts and the partners' CA graded, key
// material never kept), and as a learner who may not read Secrets there (graded on the rest,
// saying what was not checked); and every correct and wrong answer of test/labs/ for it and
// for mtls-port-level (ratings' metrics port), each graded as offline.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeLive } from '../../src/cli/lab-grade-live.ts';
import { REDACTED } from '../../src/core/cluster/credential-secrets.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { LEGACY_NAMESPACE, plaintextClientManifests } from '../../src/core/config/bookinfo.ts';
import { type LoadedExercise, loadExercises } from '../../src/core/content/exercise-loader.ts';
import type { LabResult } from '../../src/core/grading/types.ts';
import { openLiveLab } from '../../src/core/labs/live-lab.ts';
import { applyObject, deleteObject, describeLive } from '../helpers/apiserver.ts';
import { meshConfigMap, yamlAsWritten, yamlObjects } from '../helpers/yaml-objects.ts';
import {
  bookinfoObjects,
  clusterObjects,
  credentialSecrets,
  gatewayObjects,
  type Obj,
  RUN,
} from './objects.ts';
import { failing, readerRole, sharedCluster, withScratch } from './steps.ts';

const NS = `tls-${RUN}`;
const { exercises } = loadExercises();
const lab = (id: string): LoadedExercise => {
  const found = exercises.find((e) => e.id === id);
  if (!found) throw new Error(`lab ${id} is needed`);
  return found;
};
const MUTUAL = lab('ingress-https-mutual');
const PORT_LEVEL = lab('mtls-port-level');

const criterion = (r: LabResult, id: string) => r.criteria.find((c) => c.id === id);

/** partner-credential as the fixture has it, with some keys left out */
function partnerCredential(without: string[] = []): Obj {
  const secret = structuredClone(credentialSecrets().find((s) => s.metadata.name === 'partner-credential'));
  if (!secret) throw new Error('test/fixtures/sim/partner-credential.yaml is needed');
  const data = secret.stringData as Record<string, string>;
  for (const k of without) delete data[k];
  return secret;
}

/** partner-credential-cacert holding `data` (istiod prefers it for the CA) */
function cacertSecret(data: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'partner-credential-cacert', namespace: 'istio-system' },
    stringData: data,
  } as Obj;
}

const partnersCa = () => (partnerCredential().stringData as Record<string, string>)['ca.crt'] as string;

describeLive('ingress-https-mutual graded on its credential Secrets, read by name', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
    await scratch.namespace(NS);
    await scratch.applyOne(meshConfigMap<Obj>('ALLOW_ANY'));
    // the site's credential as the README creates it; partner-credential varies per case
    const site = credentialSecrets().filter((s) => s.metadata.name === 'bookinfo-credential');
    await scratch.apply([
      ...gatewayObjects(),
      ...site,
      ...bookinfoObjects(NS),
      ...yamlObjects<Obj>(MUTUAL.solutionDir, NS),
    ]);
  }, 120_000);

  /** grades the applied solution with these Secrets in istio-system */
  async function withSecrets(
    secrets: Obj[],
    as: string = shared.cluster.kubeconfig.admin,
  ): Promise<LabResult> {
    return withScratch(shared.cluster, async (work) => {
      for (const s of secrets) await work.applyOne(s);
      return await gradeLive(MUTUAL, { live: true, kubeconfig: as, namespace: NS });
    });
  }

  it('passes with the partners CA in partner-credential: one GET per credential Secret, key material not kept', async () => {
    await withScratch(shared.cluster, async (work) => {
      // as `kubectl apply -f` leaves it: the whole Secret, key included, in an annotation
      const applied = partnerCredential();
      applied.metadata = {
        ...applied.metadata,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
      };
      await work.applyOne(applied);
      const base = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
      const live = await loadCluster({
        kubeconfig: shared.cluster.kubeconfig.admin,
        namespace: NS,
        env: {},
        credentialData: true,
      });
      // bookinfo-credential and partner-credential; no -cacert GET: the Secret list shows there is none
      expect(live.requests - base.requests).toBe(2);
      expect(live.credentials?.map((c) => `${c.namespace}/${c.name} ${c.outcome}`).sort()).toEqual([
        'istio-system/bookinfo-credential read',
        'istio-system/partner-credential read',
      ]);
      const partner = live.load.resources.find((r) => r.kind === 'Secret' && r.name === 'partner-credential');
      const data = partner?.raw.data as Record<string, string>;
      expect(Object.keys(data).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
      expect(data['tls.key']).toBe(REDACTED);
      expect(Buffer.from(data['ca.crt'] as string, 'base64').toString()).toBe(partnersCa());
      const key = (partnerCredential().stringData as Record<string, string>)['tls.key'] as string;
      const keyBody = key.split('\n')[1] as string;
      expect(JSON.stringify(live.load.resources)).not.toContain(keyBody);
      expect(JSON.stringify(live.load.resources)).not.toContain('PRIVATE KEY');
      // the metadata-only list (analyze --live) does not keep it either
      expect(JSON.stringify(base.load.resources)).not.toContain('PRIVATE KEY');
    });
    const r = await withSecrets([partnerCredential()]);
    expect(failing(r)).toEqual([]);
  }, 60_000);

  it('fails partner-mutual when partner-credential has no ca.crt and there is no -cacert Secret', async () => {
    const r = await withSecrets([partnerCredential(['ca.crt'])]);
    expect(failing(r).map((f) => f.split(':')[0])).toEqual(['partner-mutual']);
    expect(criterion(r, 'partner-mutual')?.reason).toMatch(
      /Secret istio-system\/partner-credential .*has no ca\.crt and there is no Secret partner-credential-cacert/,
    );
  }, 60_000);

  it('lab watch --live grades on the same read: the credential Secrets by name', async () => {
    await withScratch(shared.cluster, async (work) => {
      await work.applyOne(partnerCredential(['ca.crt']));
      const watched = await openLiveLab(MUTUAL, {
        kubeconfig: shared.cluster.kubeconfig.admin,
        namespace: NS,
        env: {},
      });
      const { result } = await watched.grade();
      expect(failing(result).map((f) => f.split(':')[0])).toEqual(['partner-mutual']);
    });
  }, 60_000);

  it('passes when the CA is in partner-credential-cacert (one more GET: the list shows it)', async () => {
    const secrets = [partnerCredential(['ca.crt']), cacertSecret({ 'ca.crt': partnersCa() })];
    await withScratch(shared.cluster, async (work) => {
      for (const s of secrets) await work.applyOne(s);
      const live = await loadCluster({
        kubeconfig: shared.cluster.kubeconfig.admin,
        namespace: NS,
        env: {},
        credentialData: true,
      });
      expect(live.credentials?.map((c) => c.name).sort()).toEqual([
        'bookinfo-credential',
        'partner-credential',
        'partner-credential-cacert',
      ]);
    });
    expect(failing(await withSecrets(secrets))).toEqual([]);
  }, 60_000);

  it('fails when partner-credential-cacert holds no CA key: the gateway takes it and does not fall back', async () => {
    const r = await withSecrets([partnerCredential(), cacertSecret({ 'tls.crt': partnersCa() })]);
    expect(failing(r).map((f) => f.split(':')[0])).toEqual(['partner-mutual']);
    expect(criterion(r, 'partner-mutual')?.reason).toMatch(
      /partner-credential-cacert, which has neither cacert nor ca\.crt/,
    );
  }, 60_000);

  it('fails site and partner when their Secrets do not exist (the server has no certificate)', async () => {
    const site = credentialSecrets().find((s) => s.metadata.name === 'bookinfo-credential') as Obj;
    await deleteObject(shared.cluster.objects, site);
    try {
      const r = await gradeLive(MUTUAL, {
        live: true,
        kubeconfig: shared.cluster.kubeconfig.admin,
        namespace: NS,
      });
      expect(failing(r).map((f) => f.split(':')[0])).toEqual(['site-https', 'partner-mutual']);
      expect(criterion(r, 'site-https')?.reason).toMatch(
        /Secret istio-system\/bookinfo-credential .*does not exist, so the server has no certificate/,
      );
    } finally {
      await applyObject(shared.cluster.objects, site);
    }
  }, 60_000);

  describe('as a learner who may not read Secrets in istio-system', () => {
    beforeAll(async () => {
      // as `cohort init` grants: Istio resources, pods and Services in their namespace, and
      // the gateway's pods and Service in istio-system; no Secrets anywhere
      const learner = (namespace: string, rules: { apiGroups: string[]; resources: string[] }[]) =>
        readerRole(shared.cluster, { name: 'learner', namespace, user: 'carol', rules });
      await shared.scratch.apply([
        ...learner(NS, [
          {
            apiGroups: ['networking.istio.io'],
            resources: ['virtualservices', 'destinationrules', 'gateways', 'serviceentries', 'sidecars'],
          },
          {
            apiGroups: ['security.istio.io'],
            resources: ['peerauthentications', 'authorizationpolicies', 'requestauthentications'],
          },
          { apiGroups: [''], resources: ['pods', 'services'] },
        ]),
        ...learner('istio-system', [{ apiGroups: [''], resources: ['pods', 'services'] }]),
      ]);
    }, 60_000);

    it('grades the rest and says the certificates and the CA were not checked (ICA0201), even without a CA', async () => {
      const live = await loadCluster({
        kubeconfig: shared.cluster.kubeconfig.carol,
        namespace: NS,
        env: {},
        credentialData: true,
      });
      // the two credentials and, the Secret list being forbidden, partner-credential-cacert: all refused
      expect(live.credentials?.map((c) => `${c.name} ${c.outcome}`).sort()).toEqual([
        'bookinfo-credential forbidden',
        'partner-credential forbidden',
        'partner-credential-cacert forbidden',
      ]);
      const r = await withSecrets([partnerCredential(['ca.crt'])], shared.cluster.kubeconfig.carol);
      expect(failing(r)).toEqual([]);
      expect(criterion(r, 'partner-mutual')?.reason).toMatch(
        /Secret istio-system\/partner-credential could not be read \(get forbidden\): its certificate, hosts and CA were not checked/,
      );
      const info = r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message);
      expect(info).toContain(
        "Could not read Secret istio-system/partner-credential (a Gateway's credentialName): forbidden: cannot get secrets/partner-credential in namespace istio-system; its certificate, hosts and CA were not checked",
      );
    }, 60_000);
  });
});

/** test/labs/ID/{correct,wrong}-*: folders and, for wrong ones, what must fail */
function variants(id: string): { dir: string; name: string; fail?: string[]; codes?: string[] }[] {
  const root = new URL(`../labs/${id}/`, import.meta.url).pathname;
  return readdirSync(root)
    .filter((d) => d.startsWith('correct-') || d.startsWith('wrong-'))
    .map((name) => {
      const dir = join(root, name);
      const expectFile = join(dir, 'expect.json');
      const expected = existsSync(expectFile)
        ? (JSON.parse(readFileSync(expectFile, 'utf8')) as { fail: string[]; codes?: string[] })
        : undefined;
      return { dir, name, ...(expected ?? {}) };
    });
}

describeLive('the correct and wrong answers of the two labs, graded live as offline', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
    await scratch.applyOne(meshConfigMap<Obj>('ALLOW_ANY'));
    await scratch.apply([...gatewayObjects(), ...credentialSecrets()]);
  }, 120_000);

  const check = (v: ReturnType<typeof variants>[number], r: LabResult) => {
    if (!v.fail) {
      expect(failing(r)).toEqual([]);
      return;
    }
    const failed = r.criteria.filter((c) => !c.pass);
    expect(failed.map((c) => c.id)).toEqual(expect.arrayContaining(v.fail));
    for (const code of v.codes ?? []) expect(failed.flatMap((c) => c.codes)).toContain(code);
  };

  variants('ingress-https-mutual').forEach((v, i) => {
    it(`ingress-https-mutual ${v.name}`, async () => {
      const ns = `v${i}-${RUN}`;
      await withScratch(shared.cluster, async (work) => {
        await work.namespace(ns);
        await work.apply([...bookinfoObjects(ns), ...yamlObjects<Obj>(v.dir, ns)]);
        check(
          v,
          await gradeLive(MUTUAL, { live: true, kubeconfig: shared.cluster.kubeconfig.admin, namespace: ns }),
        );
      });
    }, 60_000);
  });

  for (const v of variants('mtls-port-level')) {
    it(`mtls-port-level ${v.name} (applied as written in default)`, async () => {
      await withScratch(shared.cluster, async (work) => {
        await work.namespace('default');
        await work.namespace(LEGACY_NAMESPACE);
        await work.apply([...bookinfoObjects('default'), ...clusterObjects(plaintextClientManifests())]);
        for (const o of yamlAsWritten<Obj>(v.dir)) await work.applyOne(o);
        check(v, await gradeLive(PORT_LEVEL, { live: true, kubeconfig: shared.cluster.kubeconfig.admin }));
      });
    }, 60_000);
  }
});
