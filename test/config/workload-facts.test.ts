// Workload facts the security engine reads: service accounts (SPIFFE identities),
// whether a proxy runs beside a workload, and the mesh's trust domain.
import { describe, expect, it } from 'vitest';
import { namespaceAmbient, principalOf, workloadAmbient } from '../../src/core/config/workload-facts.ts';
import { snapshotOf } from '../sim/helpers.ts';

const find = (yaml: string, ns: string, name: string) => {
  const w = snapshotOf(yaml)
    .workloads(ns)
    .find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${ns}/${name}`);
  return w;
};

describe('workload facts', () => {
  it('Bookinfo runs as bookinfo-<app> with sidecars; the ingress gateway has its own account', () => {
    expect(find('', 'default', 'reviews-v2')).toMatchObject({
      serviceAccount: 'bookinfo-reviews',
      sidecar: true,
    });
    expect(find('', 'istio-system', 'istio-ingressgateway')).toMatchObject({
      serviceAccount: 'istio-ingressgateway-service-account',
      sidecar: true,
    });
  });

  it('the model has a plaintext client: legacy/curl, no sidecar (its namespace is not labelled)', () => {
    expect(find('', 'legacy', 'curl')).toMatchObject({ serviceAccount: 'curl', sidecar: false });
  });

  it('a namespace labelled istio-injection=enabled injects unless the pod opts out', () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec: {containers: [{name: cart, image: x}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: shop}
spec:
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch, sidecar.istio.io/inject: "false"}}
    spec: {containers: [{name: batch, image: x}]}
`;
    expect(find(yaml, 'shop', 'cart')).toMatchObject({ serviceAccount: 'default', sidecar: true });
    expect(find(yaml, 'shop', 'batch').sidecar).toBe(false);
  });

  it('in an unlabelled namespace only a pod labelled sidecar.istio.io/inject=true is injected', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: opted-in, namespace: legacy, labels: {app: a, sidecar.istio.io/inject: "true"}}
spec: {containers: [{name: a, image: x}]}
`;
    expect(find(yaml, 'legacy', 'opted-in').sidecar).toBe(true);
  });

  it('the trust domain comes from the mesh config (default cluster.local)', () => {
    expect(snapshotOf('').trustDomain).toBe('cluster.local');
    const mesh = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    trustDomain: example.org
`;
    const snap = snapshotOf(mesh);
    expect(snap.trustDomain).toBe('example.org');
    expect(principalOf(snap.trustDomain, 'default', 'bookinfo-reviews')).toBe(
      'example.org/ns/default/sa/bookinfo-reviews',
    );
  });

  it('ambient: a namespace labelled dataplane-mode=ambient is, unless an injection label wins; a pod may opt out', () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Namespace
metadata: {name: both, labels: {istio.io/dataplane-mode: ambient, istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: in, namespace: amb, labels: {app: a}}
spec: {containers: [{name: a, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: out, namespace: amb, labels: {app: b, istio.io/dataplane-mode: none}}
spec: {containers: [{name: b, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: side, namespace: both, labels: {app: c}}
spec: {containers: [{name: c, image: x}]}
`;
    const snap = snapshotOf(yaml);
    const ns = (n: string) => snap.list('Namespace').find((r) => r.name === n);
    expect(namespaceAmbient(ns('amb'))).toBe(true);
    expect(namespaceAmbient(ns('both'))).toBe(false);
    const ambient = (n: string, name: string) => {
      const w = find(yaml, n, name);
      return workloadAmbient(w.labels, {}, ns(n), w.sidecar);
    };
    expect(ambient('amb', 'in')).toBe(true);
    expect(ambient('amb', 'out')).toBe(false);
    expect(ambient('both', 'side')).toBe(false);
    // what istio-cni writes on a redirected pod counts whatever the labels say
    expect(workloadAmbient({}, { 'ambient.istio.io/redirection': 'enabled' }, undefined, false)).toBe(true);
  });
});

describe('ambient enrolment (istio.io/dataplane-mode)', () => {
  const ns = (labels: string) => `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {${labels}}}
`;
  const deploy = (name: string, podLabels = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}${podLabels}}}
    spec: {containers: [{name: app, image: x}]}
`;

  it('a namespace labelled ambient puts its pods in ambient; a pod labelled none opts out', () => {
    const yaml =
      ns('istio.io/dataplane-mode: ambient') +
      deploy('cart') +
      deploy('batch', ', istio.io/dataplane-mode: none');
    expect(find(yaml, 'shop', 'cart')).toMatchObject({ sidecar: false, dataplane: 'ambient' });
    expect(find(yaml, 'shop', 'batch')).toMatchObject({ sidecar: false, dataplane: 'none' });
  });

  it('a pod labelled ambient is enrolled in an unlabelled namespace', () => {
    const yaml = ns('team: a') + deploy('cart', ', istio.io/dataplane-mode: ambient') + deploy('batch');
    expect(find(yaml, 'shop', 'cart').dataplane).toBe('ambient');
    expect(find(yaml, 'shop', 'batch').dataplane).toBe('none');
  });

  it('a sidecar-injected pod in an ambient namespace keeps its sidecar (ztunnel skips it)', () => {
    const yaml = ns('istio.io/dataplane-mode: ambient') + deploy('cart', ', sidecar.istio.io/inject: "true"');
    expect(find(yaml, 'shop', 'cart')).toMatchObject({ sidecar: true, dataplane: 'sidecar' });
    const both = ns('istio.io/dataplane-mode: ambient, istio-injection: enabled') + deploy('cart');
    expect(find(both, 'shop', 'cart')).toMatchObject({ sidecar: true, dataplane: 'sidecar' });
  });

  it('Bookinfo (injected) is sidecar, legacy/curl is in no mesh', () => {
    expect(find('', 'default', 'reviews-v2').dataplane).toBe('sidecar');
    expect(find('', 'legacy', 'curl').dataplane).toBe('none');
  });
});
