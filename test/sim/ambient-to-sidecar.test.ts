// An ambient client calling a pod with a sidecar (Istio 1.26): ztunnel sends HBONE,
// mTLS with the client's identity, only when the sidecar accepts HBONE (injected with
// proxyMetadata ISTIO_META_ENABLE_HBONE, which the ambient profile sets, and which
// labels the pod networking.istio.io/tunnel: http); otherwise plaintext, which a
// STRICT sidecar resets and in which a policy sees no identity.
import { describe, expect, it } from 'vitest';
import { run, statusPercent } from './helpers.ts';
import { documents } from './yaml.ts';

const CLIENT = `apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: amb}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {serviceAccountName: client}
`;
const STRICT = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: default}
spec: {mtls: {mode: STRICT}}
`;
const ONLY_CLIENT = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: only-client, namespace: default}
spec:
  selector: {matchLabels: {app: details}}
  rules:
  - from:
    - source: {principals: ["cluster.local/ns/amb/sa/client"]}
`;
const HBONE_MESH = `meshConfig:
  defaultConfig:
    proxyMetadata:
      ISTIO_META_ENABLE_HBONE: "true"
`;
/** details-v1 as injection would leave it with ENABLE_HBONE: the tunnel label on its pods */
const DETAILS_TUNNEL = `apiVersion: apps/v1
kind: Deployment
metadata: {name: details-v1, namespace: default, labels: {app: details, version: v1}}
spec:
  selector: {matchLabels: {app: details, version: v1}}
  template:
    metadata: {labels: {app: details, version: v1, networking.istio.io/tunnel: http}}
    spec: {serviceAccountName: bookinfo-details}
`;
const CALL = { from: 'amb/client', to: 'details.default', path: '/details/0', requests: 5 } as const;
const decisions = (r: ReturnType<typeof run>) => (r.summary.security ?? []).map((d) => d.decision).join('\n');

describe('ambient client to a sidecar', () => {
  it('a sidecar without HBONE gets plaintext: STRICT resets it, and says why', () => {
    const r = run(documents(CLIENT, STRICT), CALL);
    expect(statusPercent(r.summary, 0)).toBe(100);
    expect(decisions(r)).toMatch(
      /accepts only mTLS .* but client \(ambient, through ztunnel\) sends plaintext \(ztunnel sends plaintext: the sidecar was injected without ISTIO_META_ENABLE_HBONE/,
    );
  });

  it('PERMISSIVE lets the plaintext through, but a principal rule sees no identity: 403', () => {
    const r = run(documents(CLIENT, ONLY_CLIENT), CALL);
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(/no rule of ALLOW default\/only-client matches \(no identity \(plaintext\)/);
  });

  it('with ISTIO_META_ENABLE_HBONE in the mesh (the ambient profile), HBONE carries the identity: STRICT and the principal rule pass', () => {
    const r = run(documents(HBONE_MESH, CLIENT, STRICT, ONLY_CLIENT), CALL);
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(decisions(r)).toMatch(
      /allowed at details-v1-0 by ALLOW default\/only-client rules\[0\] \(cluster\.local\/ns\/amb\/sa\/client\)/,
    );
  });

  it("the pod's networking.istio.io/tunnel: http label is enough", () => {
    const r = run(documents(CLIENT, DETAILS_TUNNEL, STRICT, ONLY_CLIENT), CALL);
    expect(statusPercent(r.summary, 200)).toBe(100);
  });
});
