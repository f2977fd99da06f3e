// The values of Istio 1.26's Helm charts (base, istiod, gateway, cni, ztunnel) as key
// trees: which keys each chart reads and of what type, one module per chart (chart-*.ts),
// each pinned to a copy of that chart's values at 1.26 (its header says which). A key the
// trees do not hold is unknown; keys of older or later charts say so (REMOVED, LATER), and
// keys whose presence in 1.26 the stored copies leave open are accepted with a note (UNSURE).
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
 * then ignore). From 1.26.4 on, that is: 1.26.0-1.26.3 put additionalProperties beside
 * the schema's root $ref, which Helm up to 3.18.4 never applied (gojsonschema ignores a
 * $ref's siblings), so there an unknown key installs and does nothing; Helm 3.18.5+
 * applies it and refuses even the chart's own keys (istio/istio#57354), fixed in 1.26.4.
 * Either way the release is not what was meant, so it stays an error.
 * The other charts have no schema in 1.26, so Helm drops an unknown key without a word
 * (the setting has no effect). The stored schemas of istiod and cni are later ones: they
 * hold keys 1.26's values do not (global.nativeNftables, pdb, istioOwnedCNIConfig).
 */
export const STRICT: Record<ChartName, boolean> = {
  base: false,
  istiod: false,
  gateway: true,
  cni: false,
  ztunnel: false,
};

/** Keys Istio's charts once had and 1.26's values do not: what to do instead. */
export const REMOVED: Partial<Record<ChartName, Record<string, string>>> = {
  istiod: {
    grafana: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/grafana.yaml',
    kiali: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/kiali.yaml',
    prometheus: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/prometheus.yaml',
    tracing: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/jaeger.yaml',
    istio_cni:
      'istio_cni was deprecated in Istio 1.22 for pilot.cni: set pilot.cni.enabled and pilot.cni.provider (and install the cni chart)',
    'pilot.configSource': 'older charts had it (MCP config sources)',
    configSource: 'older charts had it under pilot (MCP config sources)',
    'global.proxy.enableCoreDump': 'older charts had it',
    'global.autoscalingv2API': 'older charts had it',
  },
  base: {
    'global.istiod': 'set it on the istiod chart',
    'global.configValidation': 'set it on the istiod chart',
    'global.externalIstiod': 'set it on the istiod chart',
    'global.remotePilotAddress': 'set it on the istiod chart',
    'global.ipFamilyPolicy': 'set ipFamilyPolicy on the istiod chart',
    'global.ipFamilies': 'set ipFamilies on the istiod chart',
  },
};

/** Keys of charts after 1.26 (in the stored later copies): 1.26 has no such value. */
export const LATER: Partial<Record<ChartName, Record<string, string>>> = {
  istiod: {
    deploymentAnnotations: 'later istiod charts annotate the Deployment with it',
    pdb: 'later istiod charts take PodDisruptionBudget settings here',
    trafficDistribution: 'later istiod charts set the Service trafficDistribution with it',
    'global.nativeNftables': 'later charts switch to nftables with it',
    'global.networkPolicy': 'later charts create NetworkPolicies with it',
    'istiodRemote.enabledLocalInjectorIstiod': 'later istiod charts read it',
  },
  cni: {
    podLabels: 'later cni charts label the pods with it',
    daemonSetLabels: 'later cni charts label the DaemonSet with it',
    tolerations: 'later cni charts take tolerations; 1.26 tolerates every taint',
    istioOwnedCNIConfig: 'later cni charts read it',
    istioOwnedCNIConfigFileName: 'later cni charts read it',
    'ambient.enablementSelectors':
      'later cni charts select ambient pods with it; 1.26 uses the istio.io/dataplane-mode label',
    'global.nativeNftables': 'later charts switch to nftables with it',
  },
  ztunnel: {
    network: 'ztunnel takes its network from later charts on (multi-network ambient)',
    'global.network': 'ztunnel takes its network from later charts on (multi-network ambient)',
    trustBundleName: 'later ztunnel charts read it',
    'global.trustBundleName': 'later ztunnel charts read it',
    nodeSelector: 'later ztunnel charts take a nodeSelector; 1.26 runs on every node',
    tolerations: 'later ztunnel charts take tolerations; 1.26 tolerates every taint',
    affinity: 'later ztunnel charts take an affinity',
  },
};

/**
 * Keys accepted although the stored copies do not settle whether 1.26 reads them: none
 * is in 1.26.2's values, and one copy of the gateway schema declares them. The note says so.
 */
export const UNSURE: Partial<Record<ChartName, Record<string, string>>> = {
  gateway: Object.fromEntries(
    (['initContainers', 'additionalContainers', 'envVarFrom', 'defaultRevision', 'lifecycle'] as const).map(
      (k) => [
        k,
        `is not among the values of Istio 1.26.2's gateway chart, and only one stored copy of its values.schema.json declares ${k}: accepted, but check \`helm show values istio/gateway --version <your 1.26 patch>\`: if it is not there, 1.26.4 and later may refuse it and earlier patches ignore it`,
      ],
    ),
  ),
};

/**
 * Values whose choices the chart's values.schema.json lists (dotted path; `[]` for each item
 * of a list). The gateway schema's enums are the same in every stored copy, and Helm checks
 * them in every 1.26 patch (they sit inside the schema's $defs/values, which the root $ref
 * reaches with any Helm).
 */
export const ENUMS: Partial<Record<ChartName, Record<string, readonly unknown[]>>> = {
  gateway: {
    kind: ['Deployment', 'DaemonSet'],
    imagePullPolicy: ['', 'Always', 'IfNotPresent', 'Never'],
    'service.ipFamilyPolicy': ['', 'SingleStack', 'PreferDualStack', 'RequireDualStack'],
    'service.ipFamilies[]': ['IPv4', 'IPv6'],
    'podDisruptionBudget.unhealthyPodEvictionPolicy': ['', 'IfHealthyBudget', 'AlwaysAllow'],
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
