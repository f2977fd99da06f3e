// Istio's Helm charts, offline: values checked against each chart (unknown keys with
// "did you mean", wrong types, keys no longer read; strict for the gateway chart), what
// a release would run, and install plans whose order cannot work (ICA1104).
import { describe, expect, it } from 'vitest';
import { checkPlan, parsePlan } from '../../src/core/config/install/helm/plan.ts';
import { applyHelmSet, checkValues, summarizeRelease } from '../../src/core/config/install/helm/values.ts';

const issues = (chart: Parameters<typeof checkValues>[0], values: unknown) =>
  checkValues(chart, values).map((i) => `${i.level} ${i.path.join('.')}: ${i.message}`);

describe('helm values', () => {
  it('accepts the values the charts document', () => {
    expect(
      issues('istiod', {
        profile: 'demo',
        revision: '1-26',
        revisionTags: ['prod'],
        pilot: {
          autoscaleEnabled: false,
          replicaCount: 2,
          resources: { requests: { cpu: '500m', memory: '2Gi' } },
          env: { PILOT_TRACE_SAMPLING: '10' },
        },
        global: {
          hub: 'docker.io/istio',
          tag: '1.26.2',
          proxy: { resources: { limits: { memory: '512Mi' } } },
        },
        meshConfig: { accessLogFile: '/dev/stdout', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      }),
    ).toEqual([]);
    expect(
      issues('base', { defaultRevision: 'default', global: { istioNamespace: 'istio-system' } }),
    ).toEqual([]);
    expect(
      issues('gateway', {
        name: 'istio-ingress',
        service: { type: 'ClusterIP', ports: [] },
        autoscaling: { enabled: false },
        replicaCount: 2,
      }),
    ).toEqual([]);
    expect(issues('cni', { profile: 'ambient', ambient: { enabled: true, dnsCapture: true } })).toEqual([]);
    expect(
      issues('ztunnel', { profile: 'ambient', resources: { requests: { cpu: '200m' } }, logLevel: 'info' }),
    ).toEqual([]);
  });

  it('finds a key where it belongs: clusterName at the top of istiod is global.multiCluster.clusterName', () => {
    expect(issues('istiod', { clusterName: 'cluster1' })).toEqual([
      'warning clusterName: is not a value of the istiod chart: helm ignores it and the setting has no effect; did you mean "global.multiCluster.clusterName"?',
    ]);
  });

  it("reads istiod's own settings at the top of the values or under pilot, as 1.26's chart does", () => {
    // the chart's 1.26 defaults hold replicaCount, autoscaleEnabled ... at the top level;
    // istioctl and the compatibility profiles still pass them under pilot
    expect(issues('istiod', { autoscaleEnabled: false, replicaCount: 2 })).toEqual([]);
    expect(issues('istiod', { pilot: { autoscaleEnabled: false, replicaCount: 2 } })).toEqual([]);
    expect(
      summarizeRelease('istiod', 'istiod', 'istio-system', { autoscaleEnabled: false, replicaCount: 2 })
        .components[0],
    ).toBe('Deployment istiod: 2 replica(s), no HPA');
    expect(issues('istiod', { replicaCount: 3, pilot: { replicaCount: 2 } })).toEqual([
      "warning replicaCount: is set both here and as pilot.replicaCount, to different values: Istio 1.26's istiod chart reads both spellings; set it once",
    ]);
    // a wrong type is refused in either place
    expect(issues('istiod', { replicaCount: 'two' })).toEqual([
      'error replicaCount: must be a whole number, not a string "two"',
    ]);
  });

  it("spells a sibling: servce is service, and the gateway chart's schema refuses it", () => {
    expect(issues('gateway', { servce: { type: 'ClusterIP' } })).toEqual([
      'error servce: is not a value of the gateway chart: its values.schema.json refuses it and helm install fails (Istio 1.26.4 and later; 1.26.0-1.26.3 install and ignore it); did you mean "service"?',
    ]);
  });

  it('refuses only top-level unknown keys of the gateway chart: its schema does not close service, autoscaling ...', () => {
    expect(issues('gateway', { service: { tpye: 'ClusterIP' }, autoscaling: { minReplica: 2 } })).toEqual([
      'warning service.tpye: is not a value of the gateway chart: its values.schema.json checks only top-level keys, so helm installs and the templates ignore it (no effect); did you mean "service.type"?',
      'warning autoscaling.minReplica: is not a value of the gateway chart: its values.schema.json checks only top-level keys, so helm installs and the templates ignore it (no effect); did you mean "autoscaling.minReplicas"?',
    ]);
    // a wrong type inside is still refused: the schema types the nested keys it lists
    expect(issues('gateway', { autoscaling: { enabled: 'yes' } })[0]).toMatch(
      /^error autoscaling\.enabled: must be true or false/,
    );
  });

  it('reports wrong types: a "false" string is true in the templates, a float tag loses its zero', () => {
    expect(
      issues('istiod', { pilot: { autoscaleEnabled: 'false', replicaCount: 'two' }, global: { tag: 1.2 } }),
    ).toEqual([
      'error pilot.autoscaleEnabled: must be true or false, not the string "false" (a non-empty string counts as true in the chart\'s templates)',
      'error pilot.replicaCount: must be a whole number, not a string "two"',
      'warning global.tag: is a number (1.2), not a string: YAML reads an unquoted 1.20 as 1.2; quote it',
    ]);
    expect(issues('gateway', { name: 42 })).toEqual(['error name: must be a string, not a number']);
  });

  it('says which keys the charts no longer read, and checks meshConfig as istiod does', () => {
    expect(
      issues('istiod', {
        grafana: { enabled: true },
        meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, acessLogFile: '/dev/stdout' },
      }),
    ).toEqual([
      'warning grafana: is no longer a value of the istiod chart in Istio 1.26 (helm ignores it): the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/grafana.yaml',
      'warning meshConfig.acessLogFile: is not a MeshConfig field: istiod drops it and the setting has no effect; did you mean "accessLogFile"?',
    ]);
    expect(issues('istiod', { meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_0NLY' } } })[0]).toMatch(
      /^error meshConfig.outboundTrafficPolicy.mode: .*istiod cannot read this mesh config/,
    );
  });

  it('reads --set as helm does', () => {
    expect(applyHelmSet({}, 'pilot.autoscaleEnabled=false,pilot.replicaCount=2,global.tag=1.26.2')).toEqual({
      pilot: { autoscaleEnabled: false, replicaCount: 2 },
      global: { tag: '1.26.2' },
    });
    expect(applyHelmSet({}, 'pilot.replicaCount=2', true)).toEqual({ pilot: { replicaCount: '2' } });
    // lists in braces and escaped dots, as istio.io's revision-tag and gateway commands use them
    expect(applyHelmSet({}, 'revisionTags={prod-stable,prod-canary},revision=1-26-0')).toEqual({
      revisionTags: ['prod-stable', 'prod-canary'],
      revision: '1-26-0',
    });
    expect(applyHelmSet({}, 'labels.topology\\.istio\\.io/network=network1')).toEqual({
      labels: { 'topology.istio.io/network': 'network1' },
    });
  });

  it('summarises what a release runs and the mesh config istiod serves', () => {
    const istiod = summarizeRelease('istiod', 'istiod', 'istio-system', {
      revision: '1-26',
      profile: 'demo',
      pilot: { autoscaleEnabled: false, replicaCount: 2 },
      meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, typo: 1 },
    });
    expect(istiod.components[0]).toBe('Deployment istiod-1-26: 2 replica(s), no HPA');
    expect(istiod.meshConfig).toMatchObject({
      accessLogFile: '/dev/stdout',
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(istiod.meshConfig).not.toHaveProperty('typo');
    const gw = summarizeRelease('gateway', 'istio-ingress', 'istio-ingress', {});
    expect(gw.components[0]).toContain('istio=ingress');
  });
});

const GOOD = `#!/bin/sh
set -e
helm repo add istio https://istio-release.storage.googleapis.com/charts
helm install istio-base istio/base -n istio-system --create-namespace
helm install istiod istio/istiod -n istio-system \\
  --set pilot.autoscaleEnabled=false --wait   # two fixed replicas
kubectl create namespace istio-ingress
helm upgrade --install istio-ingress istio/gateway --namespace=istio-ingress --wait
`;

const problems = (text: string, options = {}) =>
  checkPlan(parsePlan(text), options).map((p) => `${p.line}: ${p.message}`);

describe('helm install plans (ICA1104)', () => {
  it('reads releases, charts, namespaces and --set values, across continuations and comments', () => {
    const plan = parsePlan(GOOD);
    expect(plan.unreadable).toEqual([]);
    expect(plan.steps.map((s) => `${s.line} ${s.release} ${s.chart} ${s.namespace}`)).toEqual([
      '4 istio-base base istio-system',
      '5 istiod istiod istio-system',
      '8 istio-ingress gateway istio-ingress',
    ]);
    expect(plan.steps[1]?.values).toEqual({ pilot: { autoscaleEnabled: false } });
    expect(problems(GOOD, { gatewayNamespace: 'istio-ingress' })).toEqual([]);
  });

  it('istiod before base, a gateway before istiod, a gateway in istio-system', () => {
    const text = [
      'helm install istio-ingress istio/gateway -n istio-system --create-namespace',
      'helm install istiod istio/istiod -n istio-system',
      'helm install istio-base istio/base -n istio-system',
    ].join('\n');
    expect(problems(text, { gatewayNamespace: 'istio-ingress' })).toEqual([
      expect.stringMatching(/^1: the gateway istio-ingress is installed before istiod \(line 2\)/),
      '1: the gateway istio-ingress goes into istio-system, not its own namespace istio-ingress',
      expect.stringMatching(/^2: istiod is installed before base \(line 3\): Istio's CRDs come with base/),
    ]);
  });

  it('a release into a namespace nothing created; a Namespace that exists beforehand is fine', () => {
    const text =
      'helm install istio-base istio/base -n istio-system\nhelm install istiod istio/istiod -n istio-system';
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /^1: istio-base \(base\) goes into namespace istio-system, which does not exist yet/,
      ),
    ]);
    expect(problems(text, { existingNamespaces: ['istio-system'] })).toEqual([]);
    const late = `helm install istio-base istio/base -n istio-system --create-namespace\nhelm install g istio/gateway -n gw\nkubectl create ns gw\nhelm install istiod istio/istiod -n istio-system`;
    expect(problems(late)).toContainEqual(
      expect.stringMatching(/^2: g \(gateway\) goes into namespace gw, which does not exist yet/),
    );
  });

  it('ambient needs istiod, cni and ztunnel with profile=ambient', () => {
    const text = [
      'helm install istio-base istio/base -n istio-system --create-namespace',
      'helm install istiod istio/istiod -n istio-system --set profile=ambient',
      'helm install istio-cni istio/cni -n istio-system',
    ].join('\n');
    expect(problems(text)).toEqual([
      expect.stringMatching(/^2: ambient mode \(profile=ambient on line 2\) without the ztunnel chart/),
      expect.stringMatching(
        /^3: istio-cni \(cni\) is installed without profile=ambient while ambient is meant/,
      ),
    ]);
    const full = `${text} --set profile=ambient\nhelm install ztunnel istio/ztunnel -n istio-system --set profile=ambient`;
    expect(problems(full)).toEqual([]);
  });

  it('says which lines are not commands it reads', () => {
    const plan = parsePlan(
      'istioctl install -y\nhelm install istiod bitnami/nginx -n istio-system\nhelm uninstall istiod',
    );
    expect(plan.unreadable.map((u) => `${u.line}: ${u.message}`)).toEqual([
      '1: "istioctl" is not a helm or kubectl command: the plan holds the commands you would run, one per line',
      "2: bitnami/nginx is not one of Istio's charts (istio/base, istio/istiod, istio/gateway, istio/cni, istio/ztunnel)",
      '3: helm uninstall is not an install: write helm install (or helm upgrade --install)',
    ]);
  });
});
