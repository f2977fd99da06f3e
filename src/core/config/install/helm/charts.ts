// The values of Istio's Helm charts (base, istiod, gateway, cni, ztunnel) as key trees:
// which keys each chart reads and of what type, one module per chart (chart-*.ts). Keys
// come from istio/istio's manifests/charts: base/values.yaml,
// istio-control/istio-discovery/files/default-values.gen.yaml, gateway/values.yaml and
// values.schema.json, istio-cni/values.schema.json and ztunnel/values.schema.json; none is
// made up. A key the trees do not hold is unknown.
import { base } from './chart-base.ts';
import { cni } from './chart-cni.ts';
import { gateway } from './chart-gateway.ts';
import { istiod } from './chart-istiod.ts';
import type { Tree } from './chart-shapes.ts';
import { ztunnel } from './chart-ztunnel.ts';

export type { Leaf, Shape, Tree } from './chart-shapes.ts';

export const CHART_NAMES = ['base', 'istiod', 'gateway', 'cni', 'ztunnel'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export const CHARTS: Record<ChartName, Tree> = { base, istiod, gateway, cni, ztunnel };

/**
 * Charts whose values.schema.json refuses unknown keys in 1.26 (helm install fails):
 * the gateway chart, at its top level only (additionalProperties: false there; the
 * nested objects such as service and autoscaling accept any key, which the templates
 * then ignore). The others have no schema in 1.26, so Helm drops an unknown key
 * without a word (the setting has no effect); newer Istio ships schemas for them too.
 */
export const STRICT: Record<ChartName, boolean> = {
  base: false,
  istiod: false,
  gateway: true,
  cni: false,
  ztunnel: false,
};

/** Keys Istio's charts once read and 1.26 does not: what to do instead. */
export const REMOVED: Partial<Record<ChartName, Record<string, string>>> = {
  istiod: {
    grafana: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/grafana.yaml',
    kiali: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/kiali.yaml',
    prometheus: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/prometheus.yaml',
    tracing: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/jaeger.yaml',
    'istio_cni.enabled':
      'istio_cni is deprecated and has no enabled: set pilot.cni.enabled (and install the cni chart)',
  },
};

/** Where each chart goes and what it runs, for the summaries. */
export const CHART_WORKLOAD: Record<ChartName, string> = {
  base: 'Istio CRDs, the istio-reader ServiceAccount and (defaultRevision) the default validating webhook',
  istiod:
    'the istiod Deployment, its Service, the injector MutatingWebhookConfiguration and the istio ConfigMap',
  gateway:
    'a gateway Deployment (or DaemonSet) with its Service, injected by istiod with the gateway template',
  cni: 'the istio-cni-node DaemonSet (the node agent that sets up pod networking)',
  ztunnel: 'the ztunnel DaemonSet (ambient mode node proxy)',
};
