// Istio's own security YAML raises no false Error or Warning: the policies of
// istio.io's authorization and authentication tasks (from their snips.sh) and
// samples/security, each step analysed with the workloads the tasks deploy
// (test/fixtures/security-samples/workloads.yaml) and the Bookinfo model. The
// findings left are true ones, listed: the webhook's own IST0133 for a DENY rule
// of HTTP fields without ports (kubectl apply prints the same warning), and
// ICA1201 where a STRICT policy resets the legacy namespace's plaintext sleep
// (the tasks show that very reset, curl exit 56).
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../helpers/analyze.ts';

const dir = new URL('../fixtures/security-samples/', import.meta.url).pathname;
const IST0133 = (origin: string) => `IST0133 ${origin}`;
const ICA1201 = (origin: string) => `ICA1201 ${origin}`;

const cases: [string, string[]][] = [
  ['authz-http', []],
  ['authz-tcp-allow-ports', []],
  ['authz-tcp-allow-methods', []],
  ['authz-tcp-deny-methods', [IST0133('AuthorizationPolicy foo/tcp-policy')]],
  ['authz-tcp-deny-methods-port', []],
  ['authz-jwt', []],
  ['authz-jwt-claims', []],
  ['authz-deny', [IST0133('AuthorizationPolicy foo/deny-method-get')]],
  ['authz-ingress-ipblocks', []],
  ['authz-ingress-remoteipblocks', []],
  ['authn-mesh-strict', [ICA1201('PeerAuthentication istio-system/default')]],
  // bar/httpbin is STRICT but its only port is DISABLE: no reset, no ICA1201
  ['authn-workload', [ICA1201('PeerAuthentication foo/default')]],
  ['authn-enduser', [IST0133('AuthorizationPolicy istio-system/frontend-ingress')]],
  [
    'mtls-migration',
    [ICA1201('PeerAuthentication foo/default'), ICA1201('PeerAuthentication istio-system/default')],
  ],
  ['spire-helloworld-dr', []],
  ['spire-curl', []],
  ['spire-istio-config', []],
];

describe("Istio's security samples", () => {
  for (const [name, expected] of cases) {
    it(`${name}: ${expected.length === 0 ? 'no Warning or Error' : expected.join(', ')}`, async () => {
      const { findings, load } = await analyzeFiles([`${dir}workloads.yaml`, `${dir}${name}.yaml`]);
      expect(load.resources.length).toBeGreaterThan(19);
      const serious = findings.filter((f) => f.level !== 'Info');
      expect(
        serious.map((f) => `${f.code} ${f.origin}`).sort(),
        serious.map((f) => `${f.code} ${f.origin} ${f.path}: ${f.message}`).join('\n'),
      ).toEqual([...expected].sort());
    });
  }

  it('the IST0133 warnings quote the webhook', async () => {
    const { findings } = await analyzeFiles([`${dir}workloads.yaml`, `${dir}authz-deny.yaml`]);
    expect(findings.find((f) => f.code === 'IST0133')?.message).toMatch(
      /configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port/,
    );
  });
});
