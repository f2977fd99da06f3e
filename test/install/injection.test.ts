// Injection and revisions: which proxy each pod runs or would get, and what the analyzer says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../helpers/analyze.ts';
import { snapshotOf } from '../sim/helpers.ts';

const CLUSTER = readFileSync(new URL('./injection-cluster.yaml', import.meta.url), 'utf8');

describe('workload facts: revision', () => {
  it('an observed pod keeps the proxy it has; a new one gets what its namespace selects', () => {
    const snap = snapshotOf(`${CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: new-1, namespace: shop}
spec: {containers: [{name: app, image: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: opted, namespace: plain, labels: {istio.io/rev: canary}}
spec: {containers: [{name: app, image: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: new-2, namespace: web}
spec: {containers: [{name: app, image: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: opted-1-26, namespace: plain, labels: {istio.io/rev: 1-26}}
spec: {containers: [{name: app, image: app}]}
`);
    const w = (ns: string, name: string) => snap.workloads(ns).find((x) => x.name === name);
    expect(w('shop', 'cart-1')).toMatchObject({ sidecar: false });
    expect(w('web', 'front-1')).toMatchObject({ sidecar: true, revision: '1-25' });
    // web's istio.io/rev=prod: the prod tag's webhook injects from 1-26
    expect(w('web', 'new-2')).toMatchObject({ sidecar: true, revision: 'prod' });
    expect(w('plain', 'opted-1-26')).toMatchObject({ sidecar: true, revision: '1-26' });
    // istio-injection=enabled asks the default revision and istio.io/rev=canary a revision
    // that neither an injector (1-25, 1-26) nor a tag (prod, old) serves: no sidecar
    expect(w('shop', 'new-1')).toMatchObject({ sidecar: false, dataplane: 'none' });
    expect(w('shop', 'new-1')?.noInjector).toMatch(/default revision, which no injector serves here/);
    expect(w('plain', 'opted')).toMatchObject({ sidecar: false });
    expect(w('plain', 'opted')?.noInjector).toMatch(/revision canary, which no injector serves here/);
  });
});

describe('install.injection findings', () => {
  it('reports each injection mistake once, on the right resource', async () => {
    const codes = (await analyzeText(CLUSTER)).findings
      .filter((f) => /^(IST0102|IST0103|IST0123|ICA110)/.test(f.code))
      .map((f) => `${f.code} ${f.resource?.kind} ${f.resource?.name}`)
      .sort();
    expect(codes).toEqual([
      'ICA1101 MutatingWebhookConfiguration istio-revision-tag-old',
      'ICA1102 Pod front-1',
      'IST0102 Namespace plain',
      'IST0103 Pod cart-1',
      'IST0123 Namespace shop',
    ]);
  });

  it('is quiet on a clean canary: namespace on a tag, pods restarted onto its revision', async () => {
    const clean = `apiVersion: v1
kind: Namespace
metadata: {name: web, labels: {istio.io/rev: prod}}
---
apiVersion: v1
kind: Pod
metadata:
  name: front-2
  namespace: web
  creationTimestamp: "2026-01-02T00:00:00Z"
  annotations: {sidecar.istio.io/status: '{"revision":"1-26"}'}
spec: {containers: [{name: front, image: front}, {name: istio-proxy, image: proxyv2}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-revision-tag-prod, labels: {istio.io/tag: prod, istio.io/rev: 1-26}}
webhooks: []
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector-1-26, labels: {istio.io/rev: 1-26}}
webhooks: []
`;
    const codes = (await analyzeText(clean)).findings
      .map((f) => f.code)
      .filter((c) => /^(IST01(02|03|23)|ICA110)/.test(c));
    expect(codes).toEqual([]);
  });
});
