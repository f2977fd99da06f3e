// The Helm chart key lists pinned to Istio 1.26: each chart's own 1.26 defaults, set as a
// values file, and the Helm commands of istio.io's install pages raise nothing; each key
// that differs from the copies the lists were first taken from is accepted or reported as
// 1.26 does (see the chart-*.ts headers for the evidence).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { ChartName } from '../../src/core/config/install/helm/charts.ts';
import { checkPlan, parsePlan } from '../../src/core/config/install/helm/plan.ts';
import { applyHelmSet, checkValues } from '../../src/core/config/install/helm/values.ts';

const dir = join(import.meta.dirname, 'helm-values');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const issues = (chart: ChartName, values: unknown) =>
  checkValues(chart, values).map((i) => `${i.level} ${i.path.join('.')}: ${i.message}`);

describe("each chart's own 1.26 defaults, as a values file", () => {
  it.each([
    ['base', 'base-1.26.2-defaults.yaml'],
    ['istiod', 'istiod-1.26.2-defaults.yaml'],
    ['gateway', 'gateway-1.26.2-defaults.yaml'],
    ['cni', 'cni-1.26.0-defaults.yaml'],
    ['ztunnel', 'ztunnel-1.26.0-defaults.yaml'],
  ] as const)('%s (%s) raises nothing', (chart, file) => {
    const values = load(read(file));
    expect(Object.keys(values as object).length).toBeGreaterThan(3);
    expect(issues(chart, values)).toEqual([]);
  });
});

describe("istio.io's Helm commands", () => {
  it.each(['istio-io-commands.sh', 'istio-io-ambient.sh'])(
    '%s: every step installs, no value is questioned',
    (file) => {
      const plan = parsePlan(read(file));
      expect(plan.unreadable).toEqual([]);
      expect(plan.steps.length).toBeGreaterThanOrEqual(4);
      expect(
        plan.steps.flatMap((s) => s.valueIssues.map((i) => `${s.line}: ${i.path.join('.')} ${i.message}`)),
      ).toEqual([]);
      expect(checkPlan(plan, {}).map((p) => `${p.line}: ${p.message}`)).toEqual([]);
    },
  );

  it('revision tags as docs/setup/upgrade/helm renders them: --set revisionTags="{prod-stable}"', () => {
    const plan = parsePlan(
      'helm install istiod istio/istiod -n istio-system --set revisionTags="{prod-stable}" --set revision=1-26-0',
    );
    expect(plan.steps[0]?.values).toEqual({ revisionTags: ['prod-stable'], revision: '1-26-0' });
    expect(plan.steps[0]?.valueIssues).toEqual([]);
  });

  it('a multi-network control plane and east-west gateway (the keys of the multicluster Helm steps)', () => {
    const istiod = applyHelmSet(
      {},
      'global.meshID=mesh1,global.multiCluster.clusterName=cluster1,global.network=network1',
    );
    expect(issues('istiod', istiod)).toEqual([]);
    const ew = applyHelmSet({}, 'name=istio-eastwestgateway,networkGateway=network1');
    expect(issues('gateway', applyHelmSet(ew, 'labels.topology\\.istio\\.io/network=network1'))).toEqual([]);
  });
});

describe('istiod: keys of the 1.26 chart', () => {
  it('accepts what 1.26 added or the first lists missed', () => {
    expect(
      issues('istiod', {
        gatewayClasses: { istio: { service: { spec: { type: 'ClusterIP' } } } },
        global: {
          waypoint: { resources: { requests: { cpu: '50m' } }, nodeSelector: { pool: 'mesh' } },
          proxy_init: { forceApplyIptables: false },
          platform: 'k3d',
        },
        istiodRemote: { enabled: false },
        pilot: { envVarFrom: [], initContainers: [], trustedZtunnelName: 'ztunnel' },
        sidecarInjectorWebhookAnnotations: { team: 'mesh' },
        gateways: { securityContext: {}, seccompProfile: { type: 'RuntimeDefault' } },
      }),
    ).toEqual([]);
    expect(issues('istiod', { global: { waypoint: { replicas: 2 } } })[0]).toMatch(
      /^warning global\.waypoint\.replicas: is not a value of the istiod chart/,
    );
    expect(issues('istiod', { gatewayClasses: 'istio' })).toEqual([
      'error gatewayClasses: must be a map of keys, not a string',
    ]);
  });

  it("as an IstioOperator's spec.values, istiod's settings are under pilot only (istioctl's Values)", () => {
    // a top-level replicaCount is the Values proto's unknown field, reported once as such by
    // the IstioOperator checker, not also as a wrongly typed chart value
    expect(checkValues('istiod', { replicaCount: 'abc' }, true).map((i) => i.level)).toEqual(['warning']);
    expect(checkValues('istiod', { replicaCount: 'abc' }, true)[0]?.message).toMatch(/^is not a value/);
    expect(checkValues('istiod', { pilot: { replicaCount: 'abc' } }, true)[0]?.level).toBe('error');
  });

  it('says which keys are of older or later istiod charts (warnings: 1.26 has no schema for istiod)', () => {
    expect(
      issues('istiod', {
        istio_cni: { enabled: true },
        pilot: { configSource: { subscribedResources: [] } },
        global: { proxy: { enableCoreDump: true }, nativeNftables: true },
        deploymentAnnotations: { a: 'b' },
      }).map((i) => i.split(':')[0] + i.slice(i.indexOf(': is'), i.indexOf('(helm'))),
    ).toEqual([
      'warning istio_cni: is no longer a value of the istiod chart in Istio 1.26 ',
      'warning pilot.configSource: is no longer a value of the istiod chart in Istio 1.26 ',
      'warning global.proxy.enableCoreDump: is no longer a value of the istiod chart in Istio 1.26 ',
      'warning global.nativeNftables: is not yet a value of the istiod chart in Istio 1.26 ',
      'warning deploymentAnnotations: is not yet a value of the istiod chart in Istio 1.26 ',
    ]);
  });
});

describe('gateway: keys of the 1.26 chart', () => {
  it('accepts platform and the autoscaling keys of 1.26.2 without a word', () => {
    expect(
      issues('gateway', {
        platform: 'openshift',
        autoscaling: { targetMemoryUtilizationPercentage: 80, autoscaleBehavior: { scaleDown: {} } },
      }),
    ).toEqual([]);
  });

  it.each(['initContainers', 'additionalContainers', 'envVarFrom', 'defaultRevision', 'lifecycle'])(
    '%s: accepted with a warning saying the 1.26 copies disagree, never an error',
    (key) => {
      const value = key === 'defaultRevision' ? 'default' : key === 'lifecycle' ? { preStop: {} } : [];
      const found = checkValues('gateway', { [key]: value });
      expect(found.map((i) => i.level)).toEqual(['warning']);
      expect(found[0]?.message).toMatch(/not among the values of Istio 1\.26\.2's gateway chart.*accepted/);
    },
  );

  it('checks what the schema types and lists the choices of, and leaves open what it leaves open', () => {
    expect(
      issues('gateway', {
        kind: 'Deploy',
        imagePullPolicy: 'always',
        service: { ipFamilyPolicy: 'DualStack', ipFamilies: ['IPv4', 'ipv6'] },
        resources: { limits: { cpu: 2 } },
        podDisruptionBudget: { unhealthyPodEvictionPolicy: 'Always' },
      }).map((i) => i.slice(0, i.indexOf(':', i.indexOf(' ') + 1))),
    ).toEqual([
      'error kind',
      'error imagePullPolicy',
      'error service.ipFamilyPolicy',
      'error service.ipFamilies.1',
      'error resources.limits.cpu',
      'error podDisruptionBudget.unhealthyPodEvictionPolicy',
    ]);
    expect(issues('gateway', { kind: 'Deploy' })[0]).toBe(
      'error kind: must be one of "Deployment", "DaemonSet", not "Deploy": the chart\'s values.schema.json refuses it and helm install fails',
    );
    // the templates render resources and the PodDisruptionBudget whole: other keys take effect
    expect(
      issues('gateway', {
        kind: 'DaemonSet',
        resources: { limits: { cpu: '2', 'ephemeral-storage': '1Gi' }, claims: [] },
        podDisruptionBudget: { minAvailable: 1, maxUnavailable: '25%' },
      }),
    ).toEqual([]);
  });

  it('still refuses a key no copy has, at the top level', () => {
    expect(issues('gateway', { extraContainers: [] })[0]).toMatch(/^error extraContainers: .*refuses it/);
  });
});

describe('base, cni, ztunnel: keys of the 1.26 charts', () => {
  it('base: 1.26 keys accepted, the old global ones named as such', () => {
    expect(
      issues('base', {
        base: { excludedCRDs: ['envoyfilters.networking.istio.io'], validationCABundle: '' },
        experimental: { stableValidationPolicy: true },
        global: { platform: 'k3s' },
      }),
    ).toEqual([]);
    expect(issues('base', { global: { externalIstiod: true } })).toEqual([
      'warning global.externalIstiod: is no longer a value of the base chart in Istio 1.26 (helm ignores it): set it on the istiod chart',
    ]);
  });

  it('cni: keys of later charts are warnings', () => {
    expect(
      issues('cni', { podLabels: { a: 'b' }, ambient: { enablementSelectors: [] }, tolerations: [] }).map(
        (i) => i.slice(0, i.indexOf(' (helm')),
      ),
    ).toEqual([
      'warning podLabels: is not yet a value of the cni chart in Istio 1.26',
      'warning ambient.enablementSelectors: is not yet a value of the cni chart in Istio 1.26',
      'warning tolerations: is not yet a value of the cni chart in Istio 1.26',
    ]);
  });

  it('ztunnel: global.* is its own top level (the chart flattens it); network is a later key', () => {
    expect(issues('ztunnel', { global: { hub: 'docker.io/istio', tag: '1.26.2', platform: 'k3d' } })).toEqual(
      [],
    );
    expect(
      issues('ztunnel', { global: { network: 'network1' }, nodeSelector: {} }).map((i) => i.split(':')[0]),
    ).toEqual(['warning global.network', 'warning nodeSelector']);
  });
});
