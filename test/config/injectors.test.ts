// Which pods get a sidecar when the inputs hold the control plane: a revision no
// injector serves injects nothing, in the snapshot's workloads themselves (so describe,
// proxy-status, simulate and the graders agree).
import { describe, expect, it } from 'vitest';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';
import { Snapshot } from '../../src/core/config/snapshot.ts';

function snap(yaml: string): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(yaml, 'input.yaml', load, {});
  return new Snapshot({ resources: load.resources, meshConfigs: load.meshConfigs, bookinfo: true });
}

const injector = (rev?: string) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector${rev ? `-${rev}` : ''}, labels: {istio.io/rev: ${rev ?? 'default'}}}
webhooks: []
`;
const tag = (name: string, rev: string) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-revision-tag-${name}, labels: {istio.io/tag: ${name}, istio.io/rev: ${rev}}}
webhooks: []
`;
const namespace = (labels: string) => `---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {${labels}}}
`;
const deployment = (podLabels = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart${podLabels}}}
    spec: {containers: [{name: cart, image: cart:1}]}
`;
const cart = (s: Snapshot) => s.workloads('shop').find((w) => w.name === 'cart');

describe('injection by the injectors among the inputs', () => {
  it('without any control plane object the default istiod is assumed: istio-injection=enabled injects', () => {
    const w = cart(snap(namespace('istio-injection: enabled') + deployment()));
    expect(w?.sidecar).toBe(true);
    expect(w?.revision).toBe('default');
    expect(w?.noInjector).toBeUndefined();
  });

  it('istio-injection=enabled with only revision 1-26 installed and no default tag: no sidecar, and why', () => {
    const w = cart(snap(injector('1-26') + namespace('istio-injection: enabled') + deployment()));
    expect(w?.sidecar).toBe(false);
    expect(w?.dataplane).toBe('none');
    expect(w?.noInjector).toMatch(/asks for the default revision, which no injector serves here/);
  });

  it('a default tag pointing at the installed revision serves istio-injection=enabled', () => {
    const w = cart(
      snap(injector('1-26') + tag('default', '1-26') + namespace('istio-injection: enabled') + deployment()),
    );
    expect(w?.sidecar).toBe(true);
  });

  it('istio.io/rev=1-26 is served by its injector; a tag pointing at a removed revision is not', () => {
    expect(cart(snap(injector('1-26') + namespace('istio.io/rev: 1-26') + deployment()))?.sidecar).toBe(true);
    const w = cart(
      snap(injector('1-26') + tag('prod', '1-25') + namespace('istio.io/rev: prod') + deployment()),
    );
    expect(w?.sidecar).toBe(false);
    expect(w?.noInjector).toMatch(/^tag prod points at revision 1-25, which is not installed/);
  });

  it("an istiod Deployment counts as its revision's control plane", () => {
    const istiod = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod-1-26, namespace: istio-system, labels: {app: istiod, istio.io/rev: 1-26}}
spec: {selector: {matchLabels: {app: istiod}}, template: {metadata: {labels: {app: istiod}}, spec: {containers: [{name: discovery, image: pilot}]}}}
`;
    expect(cart(snap(istiod + namespace('istio-injection: enabled') + deployment()))?.sidecar).toBe(false);
    expect(cart(snap(istiod + namespace('istio.io/rev: 1-26') + deployment()))?.sidecar).toBe(true);
  });

  it('a pod that already has its istio-proxy container keeps it, whatever the injectors', () => {
    const pod = `---
apiVersion: v1
kind: Pod
metadata: {name: cart-1, namespace: shop, labels: {app: cart}}
spec: {containers: [{name: cart, image: cart:1}, {name: istio-proxy, image: proxyv2:1.25.0}]}
`;
    const s = snap(injector('1-26') + namespace('istio-injection: enabled') + pod);
    const w = s.workloads('shop').find((x) => x.name === 'cart-1');
    expect(w?.sidecar).toBe(true);
  });

  it('Bookinfo in a namespace the inputs do not hold stays injected (assumed, as the lab namespaces are)', () => {
    const s = snap(injector('1-26') + namespace('istio-injection: enabled') + deployment());
    expect(s.workloads('default').find((w) => w.name === 'reviews-v1')?.sidecar).toBe(true);
  });
});
