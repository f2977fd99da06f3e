// The ingress gateway with no Gateway selecting its pod: proxy-config lists no
// listener for traffic (only the health and stats ones), simulate reports the
// connection refused (curl exit 7), and --access-log prints no line, as Envoy
// logs nothing for a connection no listener accepts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const GATEWAY = (selector: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: bookinfo-gateway}
spec:
  selector: {istio: ${selector}}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: [bookinfo.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookinfo}
spec:
  hosts: [bookinfo.example.com]
  gateways: [bookinfo-gateway]
  http:
  - route:
    - destination: {host: productpage, port: {number: 9080}}
`;

function workspace(selector: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ica-nolistener-'));
  writeFileSync(join(dir, 'gateway.yaml'), GATEWAY(selector));
  return dir;
}

describe('the ingress gateway without a Gateway', () => {
  const none = workspace('ingress');
  const one = workspace('ingressgateway');

  it('proxy-config listeners lists no traffic listener, only health and stats', () => {
    const r = cli(['proxy-config', 'listeners', 'istio-ingressgateway.istio-system', none]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^0\.0\.0\.0 +8080 /m);
    expect(r.stdout).toMatch(/^0\.0\.0\.0 +15021 /m);
    const ok = cli(['proxy-config', 'listeners', 'istio-ingressgateway.istio-system', one]);
    expect(ok.stdout).toMatch(/^0\.0\.0\.0 +8080 +ALL +Route: http\.8080$/m);
  });

  it('simulate: the connection is refused, and the access log has no line for it', () => {
    const args = ['simulate', '--from', 'ingress', '--to', 'bookinfo.example.com', '--path', '/productpage'];
    const r = cli([...args, none, '--requests', '3', '--access-log']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('['))).toEqual([]);
    expect(r.stdout).toMatch(/^# no access log line for 3 connections: refused, no listener on port 80/m);
    expect(r.stdout).toMatch(
      /^ +no response +3 100\.0% +connection refused: no listener on the port \(curl exit 7\)$/m,
    );
    expect(r.stdout).toMatch(/^Route +no Gateway opens port 80 on istio-ingressgateway/m);
    // with the Gateway on the pod, the same request is served and logged
    const served = cli([...args, one, '--requests', '3', '--access-log']);
    expect(served.stdout.split('\n').filter((l) => l.startsWith('[') && / 200 - /.test(l))).toHaveLength(3);
  });
});
