// `ica-trainer install ...` through the binary: what a learner sees and the exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ica-install-'));
});

const OVERLAY = `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  profile: demo
  meshConfig:
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
  components:
    egressGateways:
    - name: istio-egressgateway
      enabled: false
`;

describe('install manifest generate', () => {
  it("--set writes a list over the files alone, so it replaces the profile's list (istioctl 1.24+ MergeInputs)", () => {
    const r = runCli([
      'install',
      'manifest',
      'generate',
      '--set',
      'components.egressGateways[0].enabled=true',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}✔ Egress gateway istio-egressgateway: Deployment/m);
    expect(r.stdout).not.toMatch(/✘ Egress gateway/);
    // the profile's item is not edited: the list [{enabled: true}] replaces it (a nameless gateway)
    expect(r.stdout).not.toContain('components.egressGateways[istio-egressgateway].enabled: false -> true');
    const byName = runCli([
      'install',
      'manifest',
      'generate',
      '--set',
      'components.egressGateways[name:istio-egressgateway].enabled=true',
    ]);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('element [name:istio-egressgateway] not found');
    const demo = runCli([
      'install',
      'manifest',
      'generate',
      '--set',
      'profile=demo',
      '--set',
      'components.egressGateways[0].enabled=false',
    ]);
    expect(demo.stdout).toMatch(/^ {2}✘ Egress gateway istio-egressgateway: not installed$/m);
    expect(demo.stdout).not.toMatch(/✔ Egress gateway/);
  });

  it('summarises components, mesh config and the changes against the profile', () => {
    const r = runCli(['install', 'manifest', 'generate', '-f', file('overlay.yaml', OVERLAY)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Profile demo, revision default/);
    expect(r.stdout).toMatch(/✘ Egress gateway istio-egressgateway: not installed/);
    expect(r.stdout).toMatch(/accessLogFile: \/dev\/stdout/);
    expect(r.stdout).toMatch(/outboundTrafficPolicy.mode: REGISTRY_ONLY/);
    expect(r.stdout).toMatch(/components.egressGateways\[istio-egressgateway\].enabled: true -> false/);
  });

  it('egressGateways: [] says the egress gateway is not installed, in the components and the changes', () => {
    const empty = (name: string, profile: string) =>
      file(
        name,
        `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: ${profile}\n  components:\n    egressGateways: []\n`,
      );
    const r = runCli(['install', 'manifest', 'generate', '-f', empty('no-egress.yaml', 'demo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ {2}✘ Egress gateway: not installed \(components\.egressGateways lists none\)$/m,
    );
    expect(r.stdout).not.toMatch(/✔ Egress gateway/);
    // one change naming the gateway the list removed, not "(unset) -> []" and "enabled: true -> (unset)"
    expect(r.stdout).toMatch(
      /^ {2}components\.egressGateways: \["istio-egressgateway"\] -> \[\] \(no egress gateway is installed\)$/m,
    );
    expect(r.stdout).not.toMatch(/\(unset\) -> \[\]|egressGateways\[istio-egressgateway\]/);
    expect(r.stdout).toMatch(/^3 components would be installed/m);
    const json = runCli([
      'install',
      'manifest',
      'generate',
      '-f',
      empty('no-egress-default.yaml', 'default'),
      '-o',
      'json',
    ]);
    const changes = (JSON.parse(json.stdout) as { changes: { path: string; note?: string }[] }).changes;
    expect(changes).toEqual([
      {
        path: 'components.egressGateways',
        before: ['istio-egressgateway'],
        after: [],
        note: 'no egress gateway is installed',
      },
    ]);
  });

  it('-o yaml prints objects whose mesh ConfigMap analyze reads back', () => {
    const r = runCli(['install', 'manifest', 'generate', '-f', join(dir, 'overlay.yaml'), '-o', 'yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kind: ConfigMap/);
    expect(r.stdout).toMatch(/mode: REGISTRY_ONLY/);
    expect(r.stdout).not.toMatch(/name: istio-egressgateway/);
    const a = runCli(['analyze', file('manifest.yaml', r.stdout), '-o', 'json']);
    const codes = (JSON.parse(a.stdout) as { code: string }[]).map((f) => f.code);
    // every object is one the loader reads (no syntax, apiVersion or unknown-kind findings)
    expect(codes.filter((c) => /^ICA000[1-5]$/.test(c))).toEqual([]);
  });

  it('--set overrides a field; -o json is parseable', () => {
    const r = runCli([
      'install',
      'manifest',
      'generate',
      '--set',
      'profile=minimal',
      '--set',
      'meshConfig.enableTracing=false',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { profile: string; meshConfig: { enableTracing: boolean } };
    expect(out.profile).toBe('minimal');
    expect(out.meshConfig.enableTracing).toBe(false);
  });

  it('exits 1 with file:line and "did you mean" for a field istioctl refuses; 2 for an unreadable file', () => {
    const bad = file(
      'bad.yaml',
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profil: demo\n',
    );
    const r = runCli(['install', 'manifest', 'generate', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /bad.yaml:4:3: spec.profil: unknown field "profil" \(did you mean "profile"\?\)/,
    );
    // a mesh config field istioctl does not know is dropped, not refused: a warning, exit 0
    const dropped = file(
      'dropped.yaml',
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  meshConfig:\n    acessLogFile: /dev/stdout\n',
    );
    const w = runCli(['install', 'manifest', 'generate', '-f', dropped]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(
      /Warning: .*dropped.yaml:5:5: spec.meshConfig.acessLogFile: .*did you mean "accessLogFile".*no effect/,
    );
    expect(w.stdout).toMatch(/accessLogFile: "" \(access logging off\)/);
    const empty = runCli(['install', 'manifest', 'generate', '-f', file('empty.yaml', '')]);
    expect(empty.code).toBe(2);
    // the path once, not "empty.yaml:1: …/empty.yaml holds no resources"
    expect(empty.stderr).toMatch(
      /^ica-trainer: \S*empty\.yaml holds no resources \(it is empty or only comments\)$/m,
    );
    const missing = runCli(['install', 'manifest', 'generate', '-f', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(/at .*\.ts/);
    const profile = runCli(['install', 'manifest', 'generate', '--set', 'profile=prod']);
    expect(profile.code).toBe(1);
    expect(profile.stderr).toMatch(/unknown profile "prod"/);
  });

  it('refuses wrongly typed spec.values as istioctl validateValues does (file:line:col, field path, exit 1)', () => {
    const v = file(
      'values.yaml',
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    pilot:\n      replicaCount: abc\n      autoscaleMin: "2"\n',
    );
    const r = runCli(['install', 'manifest', 'generate', '-f', v]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /Error: .*values.yaml:6:7: spec.values.pilot.replicaCount: must be a whole number, not a string "abc"/,
    );
    // jsonpb reads "2" into an integer
    expect(r.stdout).not.toMatch(/^(Error|Warning): .*autoscaleMin/m);
    const set = runCli(['install', 'manifest', 'generate', '--set', 'values.pilot.replicaCount=abc']);
    expect(set.code).toBe(1);
    expect(set.stdout).toMatch(/Error: --set: spec.values.pilot.replicaCount: must be a whole number/);
    const ok = runCli(['install', 'manifest', 'generate', '--set', 'values.pilot.replicaCount=3']);
    expect(ok.code).toBe(0);
    const analyze = runCli(['analyze', v]);
    expect(analyze.code).toBe(1);
    expect(analyze.stdout).toMatch(
      /IST0106 .*must be a whole number[\s\S]*spec.values.pilot.replicaCount .*values.yaml:6:7/,
    );
  });

  it('refuses unknown spec.values keys as istioctl 1.26 does: file:line:col, field path, did you mean, exit 1', () => {
    const v = file(
      'unknown-values.yaml',
      [
        'apiVersion: install.istio.io/v1alpha1',
        'kind: IstioOperator',
        'spec:',
        '  values:',
        '    pilot:',
        '      replicaCont: 2',
        '    global:',
        '      proxy:',
        '        resourcez: {}',
        '    gateways:',
        '      istio-ingressgateway:',
        '        foo: 1',
        '  unvalidatedValues:',
        '    anything: {goes: here}',
        '',
      ].join('\n'),
    );
    const r = runCli(['install', 'manifest', 'generate', '-f', v]);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('Error: '));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(
      /unknown-values.yaml:6:7: spec.values.pilot.replicaCont: unknown field "replicaCont" \(did you mean "replicaCount"\?\): istioctl 1\.26 refuses the IstioOperator .*spec\.unvalidatedValues$/,
    );
    expect(errors[1]).toMatch(/:9:9: spec.values.global.proxy.resourcez: .*did you mean "resources"/);
    expect(errors[2]).toMatch(
      /:12:9: spec.values.gateways.istio-ingressgateway.foo: unknown field "foo": istioctl/,
    );
    // the hint is given once, not again after the message
    expect(errors[0]).not.toMatch(/did you mean[\s\S]*did you mean/);
    const set = runCli(['install', 'manifest', 'generate', '--set', 'values.global.proxy.resourcez.x=1']);
    expect(set.code).toBe(1);
    expect(set.stdout).toMatch(
      /Error: --set: spec.values.global.proxy.resourcez: .*did you mean "resources"/,
    );
    // profile diff against the file refuses it the same way
    const diff = runCli(['install', 'profile', 'diff', 'default', v]);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toMatch(/unknown-values.yaml:6:7: spec.values.pilot.replicaCont: unknown field/);
    const analyze = runCli(['analyze', v]);
    expect(analyze.code).toBe(1);
    expect(analyze.stdout).toMatch(
      /Error +IST0106 Schema validation error: unknown field "replicaCont" \(did you mean "replicaCount"\?\)[\s\S]*spec.values.pilot.replicaCont .*unknown-values.yaml:6:7[\s\S]*why: istioctl reads spec.values into its Values proto/,
    );
    expect(analyze.stdout).toMatch(/3 errors/);
  });
});

describe('install profile and tag', () => {
  it('lists, dumps and diffs profiles', () => {
    expect(runCli(['install', 'profile', 'list']).stdout).toMatch(/ambient[\s\S]*remote/);
    const dump = runCli(['install', 'profile', 'dump', 'demo']);
    expect(dump.code).toBe(0);
    expect(dump.stdout).toMatch(/accessLogFile: \/dev\/stdout/);
    const diff = runCli(['install', 'profile', 'diff', 'default', 'minimal']);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/components.ingressGateways\[istio-ingressgateway\].enabled: true -> false/);
    expect(runCli(['install', 'profile', 'diff', 'demo', 'demo']).code).toBe(0);
    expect(runCli(['install', 'profile', 'dump', 'nosuch']).code).toBe(2);
  });

  it('tag list shows each tag, its revision and the namespaces using it', () => {
    const f = file(
      'tags.yaml',
      `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-prod
  labels: {istio.io/tag: prod, istio.io/rev: 1-26-0}
webhooks: []
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio.io/rev: prod}
`,
    );
    const r = runCli(['install', 'tag', 'list', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/TAG\s+REVISION\s+NAMESPACES\nprod\s+1-26-0\s+shop/);
  });
});

describe('install helm check', () => {
  it('locates each problem in the values file, shows what the release runs, exits 1 on an error', () => {
    const values = file(
      'istiod-values.yaml',
      'clusterName: cluster1\npilot:\n  autoscaleEnabled: "false"\nmeshConfig:\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY\n',
    );
    const r = runCli(['install', 'helm', 'check', '--chart', 'istiod', values]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${values}:1: warning: clusterName is not a value of the istiod chart`);
    expect(r.stdout).toContain('did you mean "global.multiCluster.clusterName"?');
    expect(r.stdout).toContain(`${values}:3: error: pilot.autoscaleEnabled must be true or false`);
    expect(r.stdout).toContain('Deployment istiod: HPA 1-5 replicas');
    expect(r.stdout).toMatch(
      /Mesh config istiod would serve[^\n]*\n {2}outboundTrafficPolicy:\n {4}mode: REGISTRY_ONLY/,
    );
  });

  it('exits 0 on warnings only, and takes --set as helm does', () => {
    const r = runCli([
      'install',
      'helm',
      'check',
      '--chart',
      'istiod',
      '--set',
      'pilot.autoscaleEnabled=false,pilot.replicaCount=2',
      '--set',
      'grafana.enabled=true',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '--set grafana.enabled=true: warning: grafana is no longer a value of the istiod chart in Istio 1.26',
    );
    expect(r.stdout).toContain('Deployment istiod: 2 replica(s), no HPA');
  });

  it("the gateway chart's HPA shows its replica bounds as istiod's does (defaults 1-5, --set overrides)", () => {
    const r = runCli(['install', 'helm', 'check', '--chart', 'gateway']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ Deployment istio-ingress \(.*\), HPA 1-5 replicas$/m);
    const set = runCli([
      'install',
      'helm',
      'check',
      '--chart',
      'gateway',
      '--set',
      'autoscaling.maxReplicas=8',
    ]);
    expect(set.stdout).toMatch(/, HPA 1-8 replicas$/m);
    const off = runCli([
      'install',
      'helm',
      'check',
      '--chart',
      'gateway',
      '--set',
      'autoscaling.enabled=false',
    ]);
    expect(off.stdout).toMatch(/, 1 replica\(s\), no HPA$/m);
  });

  it('refuses an unknown chart and an unreadable file in one line (exit 2)', () => {
    const bad = runCli(['install', 'helm', 'check', '--chart', 'istio-ingress']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--chart istio-ingress: one of base, istiod, gateway, cni, ztunnel');
    const missing = runCli(['install', 'helm', 'check', '--chart', 'gateway', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: no such file');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('an IstioOperator given as a values file is refused in one line, not read as unknown keys (exit 2)', () => {
    const iop = file(
      'iop.yaml',
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    pilot: {replicaCount: 2}\n',
    );
    const r = runCli(['install', 'helm', 'check', '--chart', 'istiod', iop]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('iop.yaml: this is an IstioOperator, not a Helm values file');
    expect(r.stderr).toContain('install manifest generate -f');
  });
});

describe('install helm plan', () => {
  it('lists the releases in order and each step that cannot work with ICA1104 (exit 1)', () => {
    const script = file(
      'install.sh',
      'helm install istiod istio/istiod -n istio-system --create-namespace\nhelm install istio-base istio/base -n istio-system\n',
    );
    const r = runCli(['install', 'helm', 'plan', script]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1  istiod (istio/istiod) -> istio-system');
    expect(r.stdout).toContain(
      `${script}:1: Error [ICA1104] line 1: istiod is installed before base (line 2)`,
    );
    expect(r.stdout).toContain('This plan cannot install as written.');
  });

  it('counts the Namespaces of YAML files as existing, and checks --gateway-namespace (exit 0)', () => {
    const script = file(
      'ok.sh',
      'helm install istio-base istio/base -n istio-system\nhelm install istiod istio/istiod -n istio-system --wait\nhelm install istio-ingress istio/gateway -n istio-ingress\n',
    );
    const ns = file(
      'ns.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: istio-system}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: istio-ingress}\n',
    );
    const r = runCli(['install', 'helm', 'plan', script, ns, '--gateway-namespace', 'istio-ingress']);
    expect(r.stdout).toContain('Every release can install when its turn comes.');
    expect(r.code).toBe(0);
  });
});

describe('install helm values files', () => {
  it('check takes -f like helm; plan reads -f files beside the script and fails on a missing one', () => {
    const values = file('plan-istiod.yaml', 'replicaCont: 2\n');
    const checked = runCli(['install', 'helm', 'check', '--chart', 'istiod', '-f', values]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(`${values}:1: warning: replicaCont is not a value of the istiod chart`);
    const script = file(
      'plan-f.sh',
      'helm install istio-base istio/base -n istio-system --create-namespace\nhelm install istiod istio/istiod -n istio-system -f plan-istiod.yaml -f nope.yaml\n',
    );
    const r = runCli(['install', 'helm', 'plan', script]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${script}:2: warning: istiod: replicaCont is not a value of the istiod chart`,
    );
    expect(r.stdout).toContain(`(${values}:1)`);
    expect(r.stdout).toMatch(/:2: error: istiod: -f .*nope\.yaml: no such file: helm install fails/);
  });
});
