// ICA1207's text: a provider name close to one the mesh config defines gets a "did you
// mean", and a waypoint's CUSTOM policies (targetRefs) say which Services lose every request.
import { describe, expect, it } from 'vitest';
import { analyzeFiles, analyzeText } from '../helpers/analyze.ts';

const dir = new URL('../fixtures/rules/security.custom-provider-waypoint/', import.meta.url).pathname;
const messages = (findings: readonly { code: string; message: string }[]) =>
  findings.filter((f) => f.code === 'ICA1207').map((f) => f.message);

const MESH = `meshConfig:
  extensionProviders:
  - name: sample-ext-authz-http
    envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: "8000"}
  - name: sample-ext-authz-grpc
    envoyExtAuthzGrpc: {service: ext-authz.foo.svc.cluster.local, port: "9000"}
---
apiVersion: v1
kind: Service
metadata: {name: ext-authz, namespace: foo}
spec:
  selector: {app: ext-authz}
  ports: [{name: http, port: 8000}, {name: grpc, port: 9000}]
`;
const policy = (provider: string) => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  action: CUSTOM
  provider: {name: ${provider}}
  rules: [{to: [{operation: {paths: ["/productpage"]}}]}]
`;

describe('ICA1207 did you mean', () => {
  it('suggests the external authorizer a misspelt or mis-cased name is close to', () => {
    expect(messages(analyzeText(MESH + policy('sample-ext-authz-grcp')).findings)).toEqual([
      expect.stringContaining(
        'is not among meshConfig.extensionProviders (did you mean "sample-ext-authz-grpc"? known:',
      ),
    ]);
    expect(messages(analyzeText(MESH + policy('Sample-Ext-Authz-Http')).findings)[0]).toContain(
      '(did you mean "sample-ext-authz-http"? Names are matched case-sensitively. known:',
    );
  });

  it('suggests nothing for a name far from every provider', () => {
    const [m] = messages(analyzeText(MESH + policy('opa')).findings);
    expect(m).toContain('provider "opa" is not among meshConfig.extensionProviders (known:');
    expect(m).not.toContain('did you mean');
  });
});

describe('ICA1207 at a waypoint (targetRefs)', () => {
  it('names every Service the waypoint serves for a policy on the waypoint itself', async () => {
    const { findings } = await analyzeFiles([`${dir}bad-waypoint.yaml`]);
    expect(messages(findings)).toEqual([
      expect.stringMatching(
        /did you mean "sample-ext-authz-http"\? .*; every request its rules match at default\/productpage, default\/details, default\/ratings, default\/reviews through waypoint default\/waypoint is denied without asking any authorizer$/,
      ),
    ]);
  });

  it('names only the Service a Service-targeted policy covers', async () => {
    const { findings } = await analyzeFiles([`${dir}bad-service.yaml`]);
    expect(messages(findings)).toEqual([
      'CUSTOM provider "envoy" cannot be used: provider "envoy" is of type envoyFileAccessLog, not envoyExtAuthzHttp or envoyExtAuthzGrpc; every request its rules match at default/reviews through waypoint default/waypoint is denied without asking any authorizer',
    ]);
  });
});
