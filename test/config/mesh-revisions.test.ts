// Which revision's mesh ConfigMap the snapshot takes: istiod of revision X reads
// istio-X (istio for the default revision); with several, the revision the sidecars
// run, else the one istio-injection=enabled injects with, and the choice is said.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLogDecision } from '../../src/core/config/telemetry-scope.ts';
import { routeRequest } from '../../src/core/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { snapshotOf } from '../sim/helpers.ts';

const meshCm = (name: string, mode: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: istio-system}
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: ${mode}
`;
const injector = (rev: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector${rev === 'default' ? '' : `-${rev}`}, labels: {istio.io/rev: ${rev}}}
`;
const tag = (name: string, rev: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-revision-tag-${name}, labels: {istio.io/tag: ${name}, istio.io/rev: ${rev}}}
`;
const namespace = (name: string, labels: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {${labels}}}
`;
const docs = (...d: string[]) => d.join('---\n');
const external = (yaml: string) =>
  routeRequest(snapshotOf(yaml), { to: 'http://api.example.com/', from: 'productpage-v1' }).local?.status;

describe('the mesh config of a revision (istio-<rev>)', () => {
  it('a revision-only install: istio-canary is the mesh config, not Istio defaults', () => {
    const yaml = docs(meshCm('istio-canary', 'REGISTRY_ONLY'), injector('canary'));
    const snap = snapshotOf(yaml);
    expect(snap.mesh).toEqual({
      outboundMode: 'REGISTRY_ONLY',
      source: expect.stringMatching(/^input\.yaml:\d+$/),
    });
    expect(snap.meshChoice?.configMap.name).toBe('istio-canary');
    expect(snap.meshChoice?.why).toBeUndefined();
    expect(external(yaml)).toBe(502);
  });

  it('an istio-<name> ConfigMap with no control plane of that revision is read by nothing', () => {
    // the wrong answer of mesh-config-registry-only: a ConfigMap under another name
    const yaml = meshCm('istio-mesh', 'REGISTRY_ONLY');
    expect(snapshotOf(yaml).mesh).toEqual({ outboundMode: 'ALLOW_ANY', source: 'default' });
    expect(external(yaml)).toBeUndefined();
    // an istiod Deployment of that revision makes it read
    const istiod = `apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod-mesh, namespace: istio-system, labels: {app: istiod, istio.io/rev: mesh}}
spec: {selector: {matchLabels: {app: istiod}}, template: {metadata: {labels: {app: istiod}}, spec: {containers: [{name: discovery, image: pilot}]}}}
`;
    expect(snapshotOf(docs(yaml, istiod)).mesh.outboundMode).toBe('REGISTRY_ONLY');
  });

  it('two revisions: the one every sidecar runs is taken, and why is said', () => {
    const cluster = (label: string) =>
      docs(
        meshCm('istio', 'ALLOW_ANY'),
        meshCm('istio-canary', 'REGISTRY_ONLY'),
        injector('default'),
        injector('canary'),
        namespace('default', label),
      );
    const yaml = cluster('istio.io/rev: canary');
    const snap = snapshotOf(yaml);
    expect(snap.mesh.outboundMode).toBe('REGISTRY_ONLY');
    expect(snap.meshChoice?.why).toBe(
      "several revisions' mesh configs in istio-system: istio (revision default), istio-canary (revision canary); each sidecar takes its outbound traffic policy and access logging from its own revision's, the rest (gateways, extension providers, trust domain, the analyzer) from istio-canary: every sidecar here runs revision canary",
    );
    expect(external(yaml)).toBe(502);
    // relabelled back to the default revision: its mesh config
    const back = snapshotOf(cluster('istio-injection: enabled'));
    expect(back.mesh.outboundMode).toBe('ALLOW_ANY');
    expect(back.meshChoice?.configMap.name).toBe('istio');
  });

  it('a revision tag is resolved: istio.io/rev=prod runs the revision prod points at', () => {
    const yaml = docs(
      meshCm('istio-blue', 'ALLOW_ANY'),
      meshCm('istio-green', 'REGISTRY_ONLY'),
      injector('blue'),
      injector('green'),
      tag('prod', 'green'),
      namespace('default', 'istio.io/rev: prod'),
    );
    expect(snapshotOf(yaml).meshChoice?.revision).toBe('green');
    expect(external(yaml)).toBe(502);
    // the tag moved to blue
    expect(
      external(
        yaml.replace('istio.io/tag: prod, istio.io/rev: green', 'istio.io/tag: prod, istio.io/rev: blue'),
      ),
    ).toBeUndefined();
  });

  it('sidecars on several revisions: the default tag decides, and the output says so', () => {
    const pod = (name: string, rev: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  creationTimestamp: "2026-01-01T00:00:00Z"
  annotations: {sidecar.istio.io/status: '{"revision":"${rev}"}'}
spec: {containers: [{name: app, image: x}, {name: istio-proxy, image: proxyv2}]}
`;
    const yaml = docs(
      meshCm('istio-blue', 'ALLOW_ANY'),
      meshCm('istio-green', 'REGISTRY_ONLY'),
      injector('blue'),
      injector('green'),
      tag('default', 'blue'),
      namespace('default', 'istio-injection: enabled'),
      namespace('shop', 'istio.io/rev: green'),
      pod('a', 'green'),
      pod('b', 'green'),
    );
    const snap = snapshotOf(yaml);
    expect(snap.meshChoice?.revision).toBe('blue');
    expect(snap.meshChoice?.why).toMatch(
      /: sidecars run several revisions \(\d+ on blue, 2 on green\); revision blue, the default tag's, injects istio-injection=enabled namespaces$/,
    );
    expect(snap.mesh.outboundMode).toBe('ALLOW_ANY');
    // each sidecar's outbound policy is its own revision's: shop's pods run green (REGISTRY_ONLY)
    const call = (from: string) =>
      routeRequest(snap, {
        to: 'http://api.example.com/',
        from,
        namespace: from === 'a' ? 'shop' : 'default',
      });
    expect(call('a').local?.status).toBe(502);
    expect(call('productpage-v1').local?.status).toBeUndefined();
  });

  it("each sidecar's access logging follows its revision's accessLogFile", () => {
    const logCm = (name: string, file: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: istio-system}
data:
  mesh: |-
    accessLogFile: "${file}"
`;
    const snap = snapshotOf(
      docs(
        logCm('istio', ''),
        logCm('istio-canary', '/dev/stdout'),
        injector('default'),
        injector('canary'),
        namespace('default', 'istio-injection: enabled'),
        namespace('shop', 'istio.io/rev: canary'),
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec: {selector: {matchLabels: {app: cart}}, template: {metadata: {labels: {app: cart}}, spec: {containers: [{name: cart, image: x}]}}}
`,
      ),
    );
    expect(accessLogDecision(snap, 'shop', { app: 'cart' })).toMatchObject({ on: true });
    expect(accessLogDecision(snap, 'default', { app: 'productpage', version: 'v1' }).on).toBe(false);
  });

  it('simulate says which revision the mesh config came from, and productpage on canary is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ica-mesh-rev-'));
    try {
      const file = join(dir, 'mesh.yaml');
      writeFileSync(
        file,
        docs(
          meshCm('istio', 'ALLOW_ANY'),
          meshCm('istio-canary', 'REGISTRY_ONLY'),
          injector('default'),
          injector('canary'),
          namespace('default', 'istio.io/rev: canary'),
        ),
      );
      const r = runCli([
        'simulate',
        file,
        '--to',
        'http://api.example.com/',
        '--from',
        'productpage-v1',
        '--requests',
        '10',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('502');
      expect(r.stdout).toContain(
        "note: several revisions' mesh configs in istio-system: istio (revision default), istio-canary (revision canary); each sidecar takes its outbound traffic policy and access logging from its own revision's, the rest (gateways, extension providers, trust domain, the analyzer) from istio-canary: every sidecar here runs revision canary",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
