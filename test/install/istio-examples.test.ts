// `install` on Istio's own material raises no false Errors: the IstioOperator examples
// of istio.io (test/fixtures/install-examples/, each naming its page) and the built-in
// profiles, through `install manifest generate` (the validator behind istioctl's
// checks) and `analyze` (the install rules and the mesh config it resolves).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePaths } from '../../src/core/analysis/analyze.ts';
import { runCli } from '../helpers/cli.ts';

const dir = new URL('../fixtures/install-examples/', import.meta.url).pathname;
const examples = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const PROFILES = ['ambient', 'default', 'demo', 'empty', 'minimal', 'preview', 'remote'];
/** istio.io examples whose values hold a key the 1.26 Values proto dropped long ago */
const STALE: Record<string, string> = {
  'customize-helm-values.yaml': 'global.monitoringPort',
  'customize-ilb-gateway-empty.yaml': 'gateways.istio-ingressgateway.debug',
};

function generate(args: string[]): { errors: string[]; warnings: string[] } {
  const r = runCli(['install', 'manifest', 'generate', ...args, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { errors: string[]; warnings: string[] };
}

async function analyzerErrors(path: string): Promise<string[]> {
  const { findings } = await analyzePaths([path], { bookinfo: false });
  return findings.filter((f) => f.level === 'Error').map((f) => `${f.code} ${f.origin}: ${f.message}`);
}

describe("istio.io's IstioOperator examples", () => {
  it('are all here, each naming the page it comes from', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.filter((f) => !STALE[f]))(
    '%s: manifest generate and analyze raise no Error',
    async (file) => {
      const out = generate(['-f', join(dir, file)]);
      expect(out.errors).toEqual([]);
      expect(out.warnings).toEqual([]);
      expect(await analyzerErrors(join(dir, file))).toEqual([]);
    },
  );

  // customize-installation still shows two Values fields that Istio 1.26's Values proto no
  // longer has; istioctl 1.26 refuses them (validateValues reads values with jsonpb, unknown
  // fields are errors), so the trainer reports exactly these and nothing else
  it.each(Object.entries(STALE))('%s: only the stale values key %s is an Error', async (file, field) => {
    const out = JSON.parse(
      runCli(['install', 'manifest', 'generate', '-f', join(dir, file), '-o', 'json']).stdout,
    ) as { errors: string[] };
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toContain(`spec.values.${field}: unknown field`);
    const analyzed = await analyzerErrors(join(dir, file));
    expect(analyzed).toHaveLength(1);
    expect(analyzed[0]).toMatch(/^IST0106 .*istioctl 1\.26 refuses/);
  });
});

describe("istio.io's --set examples", () => {
  const SETS: [string, string[], string[]][] = [
    // tasks/traffic-management/egress/egress-gateway: the egress gateway on the default profile
    [
      'egress gateway by index',
      ['components.egressGateways[0].name=istio-egressgateway', 'components.egressGateways[0].enabled=true'],
      ['base', 'istiod', 'istio-ingressgateway', 'istio-egressgateway'],
    ],
    // setup/additional-setup/customize-installation selects list items by key:value; istioctl
    // 1.24+ applies --set to the -f files before the profile, so over no file it writes the
    // list by index instead (a [name:...] selector finds no item: see the CLI test)
    [
      'ingress gateway by index',
      [
        'components.ingressGateways[0].name=istio-ingressgateway',
        'components.ingressGateways[0].enabled=false',
      ],
      ['base', 'istiod'],
    ],
    // setup/install/virtual-machine ("Automated WorkloadEntry Creation": values.pilot.env is free-form)
    [
      'WorkloadEntry auto-registration',
      [
        'values.pilot.env.PILOT_ENABLE_WORKLOAD_ENTRY_AUTOREGISTRATION=true',
        'values.pilot.env.PILOT_ENABLE_WORKLOAD_ENTRY_HEALTHCHECKS=true',
      ],
      ['base', 'istiod', 'istio-ingressgateway'],
    ],
    // setup/install/istioctl and customize-installation
    [
      'mesh config and Helm values',
      [
        'meshConfig.accessLogFile=/dev/stdout',
        'values.global.logging.level=debug',
        'values.pilot.traceSampling=0.1',
      ],
      ['base', 'istiod', 'istio-ingressgateway'],
    ],
  ];
  it.each(SETS)('%s: no Error, the components istio.io expects', (_name, sets, enabled) => {
    const r = runCli(['install', 'manifest', 'generate', ...sets.flatMap((s) => ['--set', s]), '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      errors: string[];
      components: { name: string; enabled: boolean }[];
    };
    expect(out.errors).toEqual([]);
    expect(out.components.filter((c) => c.enabled).map((c) => c.name)).toEqual(enabled);
  });
});

describe('the built-in profiles', () => {
  it.each(PROFILES)('%s: manifest generate, and analyze on its dump, raise no Error', async (profile) => {
    const out = generate(['--set', `profile=${profile}`]);
    expect(out.errors).toEqual([]);
    const dump = runCli(['install', 'profile', 'dump', profile]);
    expect(dump.code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'ica-profile-')), `${profile}.yaml`);
    writeFileSync(file, dump.stdout);
    expect(generate(['-f', file]).errors).toEqual([]);
    expect(await analyzerErrors(file)).toEqual([]);
  });
});
