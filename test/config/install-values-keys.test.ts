// Unknown spec.values keys, as istioctl 1.26 refuses them (its Values proto read with jsonpb):
// the generated key tree, near misses, both proto spellings, free-form subtrees, fields a later
// release added, and every IstioOperator the repository ships (none may gain an Error).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generate, PROTO_FILE, TREE_FILE } from '../../scripts/gen-values-tree.ts';
import { PROFILES, readIstioOperator } from '../../src/core/config/install/index.ts';
import { valuesKeyIssues } from '../../src/core/config/install/values-keys.ts';
import { VALUES_FIELD_COUNT, VALUES_MESSAGES } from '../../src/core/config/install/values-tree.ts';

const root = new URL('../../', import.meta.url).pathname;
const paths = (values: unknown) => valuesKeyIssues(values).map((i) => i.path.join('.'));

describe('the Values key tree', () => {
  it('is the generator output of the 1.26 proto field list, byte for byte', () => {
    expect(readFileSync(TREE_FILE, 'utf8')).toBe(generate(readFileSync(PROTO_FILE, 'utf8')));
  });

  it('holds the 1.26 fields and leaves out the ones later releases added', () => {
    expect(VALUES_FIELD_COUNT).toBeGreaterThan(300);
    expect(VALUES_MESSAGES.PilotConfig).toHaveProperty('envVarFrom'); // 1.26.0 change notes
    expect(VALUES_MESSAGES.CNIAmbientConfig).toHaveProperty('reconcileIptablesOnStartup'); // 1.26 fix
    expect(VALUES_MESSAGES.GlobalConfig).toHaveProperty('waypoint');
    expect(VALUES_MESSAGES.GlobalConfig).not.toHaveProperty('nativeNftables'); // 1.27
    expect(VALUES_MESSAGES.GlobalConfig).not.toHaveProperty('trustBundleName'); // 1.27
    expect(VALUES_MESSAGES.CNIConfig).not.toHaveProperty('istioOwnedCNIConfig'); // 1.27
  });
});

describe('unknown spec.values keys', () => {
  it('are refused with a near miss from the siblings', () => {
    const issues = valuesKeyIssues({
      pilot: { replicaCont: 2 },
      global: { proxy: { resourcez: {} } },
      gateways: { 'istio-ingressgateway': { foo: 1 } },
    });
    expect(issues.map((i) => [i.path.join('.'), i.suggestion])).toEqual([
      ['values.pilot.replicaCont', 'replicaCount'],
      ['values.global.proxy.resourcez', 'resources'],
      ['values.gateways.istio-ingressgateway.foo', undefined],
    ]);
    for (const i of issues) {
      expect(i.kind).toBe('unknown-field');
      expect(i.message).toMatch(/istioctl 1\.26 refuses the IstioOperator.*spec\.unvalidatedValues/);
    }
    expect(issues[0]?.message).toContain('(did you mean "replicaCount"?)');
  });

  it('a key in the wrong place is pointed at where it belongs', () => {
    const [issue] = valuesKeyIssues({ traceSampling: 0.1 });
    expect(issue?.message).toContain('(did you mean "pilot.traceSampling"?)');
    expect(valuesKeyIssues({ replicaCount: 2 })[0]?.message).toMatch(
      /did you mean "gateways\.istio-ingressgateway\.replicaCount" or "pilot\.replicaCount"/,
    );
  });

  it('jsonpb reads both the JSON name and the proto field name, and only those', () => {
    expect(
      paths({
        gateways: { istio_ingressgateway: { enabled: true }, 'istio-egressgateway': { enabled: false } },
        cni: { resource_quotas: { enabled: true }, resourceQuotas: { pods: 3 }, psp_cluster_role: 'x' },
        global: { proxy_init: { image: 'proxyv2' } },
        istio_cni: { enabled: true },
      }),
    ).toEqual([]);
    // proxy_init's json_name is proxy_init itself: the lowerCamel spelling is not accepted
    const [issue] = valuesKeyIssues({ global: { proxyInit: {} } });
    expect(issue?.suggestion).toBe('proxy_init');
  });

  it('anything goes below Struct, Value, maps and the Kubernetes types', () => {
    expect(
      paths({
        pilot: { env: { ANY_VAR: 'x' }, affinity: { nodeAffinity: { whatever: 1 } }, podLabels: { a: 'b' } },
        meshConfig: { accessLogFile: '/dev/stdout', notAMeshField: 1 },
        ztunnel: { anything: { at: 'all' } },
        gatewayClasses: { 'istio-waypoint': { service: {} } },
        global: { proxy: { resources: { requests: { cpu: '10m' } }, lifecycle: { preStop: {} } } },
        sidecarInjectorWebhook: { templates: { custom: 'metadata: {}' }, neverInjectSelector: [{ x: 1 }] },
      }),
    ).toEqual([]);
  });

  it('checks each item of a repeated message, with its index in the path', () => {
    const issues = valuesKeyIssues({
      gateways: {
        'istio-egressgateway': {
          ports: [
            { port: 80, name: 'http' },
            { port: 443, protocl: 'TCP' },
          ],
        },
      },
    });
    expect(issues.map((i) => [i.path.join('.'), i.suggestion])).toEqual([
      ['values.gateways.istio-egressgateway.ports.1.protocl', 'protocol'],
    ]);
  });

  it('a field a later release added names that release instead of guessing', () => {
    const issues = valuesKeyIssues({ global: { nativeNftables: true, trustBundleName: 'x' } });
    expect(issues.map((i) => i.message.split(':')[0])).toEqual([
      'unknown field "nativeNftables" (Istio 1.27 added it)',
      'unknown field "trustBundleName" (Istio 1.27 added it)',
    ]);
  });

  it('a wrong type under a message is left to the type check, null resets a default', () => {
    expect(paths({ pilot: 'abc', global: null, gateways: { 'istio-ingressgateway': null } })).toEqual([]);
  });

  it('come after the type errors in the IstioOperator model', () => {
    const model = readIstioOperator({ values: { pilot: { replicaCount: 'abc', replicaCont: 2 } } });
    expect(model.issues.map((i) => `${i.kind} ${i.path.join('.')}`)).toEqual([
      'invalid values.pilot.replicaCount',
      'unknown-field values.pilot.replicaCont',
    ]);
  });
});

describe("the repository's own IstioOperators", () => {
  it('every built-in profile: no unknown values key', () => {
    for (const p of PROFILES) expect(paths(p.spec.values), p.name).toEqual([]);
  });

  /** Every IstioOperator in exercises/ and test/ (labs, fixtures), by file. */
  function operators(): [string, unknown][] {
    const out: [string, unknown][] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) {
          const text = readFileSync(path, 'utf8');
          if (!text.includes('kind: IstioOperator')) continue;
          for (const doc of loadAll(text) as { kind?: string; spec?: { values?: unknown } }[])
            if (doc?.kind === 'IstioOperator') out.push([path.slice(root.length), doc.spec?.values]);
        }
      }
    };
    walk(join(root, 'exercises'));
    walk(join(root, 'test'));
    return out;
  }

  it('raise no unknown values key, except the two stale istio.io examples and the lab answer that is wrong for it', () => {
    const found = operators();
    expect(found.length).toBeGreaterThanOrEqual(25);
    const refused = found.flatMap(([file, values]) => paths(values).map((p) => `${file} ${p}`));
    expect(refused).toEqual([
      'test/fixtures/install-examples/customize-helm-values.yaml values.global.monitoringPort',
      'test/fixtures/install-examples/customize-ilb-gateway-empty.yaml values.gateways.istio-ingressgateway.debug',
      'test/labs/istio-operator-overlay/wrong-values-typo/istio-operator.yaml values.pilot.resource',
    ]);
  });
});
