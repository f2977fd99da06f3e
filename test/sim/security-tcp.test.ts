// AuthorizationPolicy on TCP ports (Istio's network RBAC filter): an ALLOW rule with
// HTTP-only fields is dropped, a DENY rule loses them and widens to the whole port,
// and a denied connection is closed (no 403). Also ipBlocks and source.ip against
// the model's pod addresses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleForTcp } from '../../src/core/config/authz-tcp.ts';
import { inCidr } from '../../src/core/config/cidr.ts';
import { Addresses } from '../../src/core/envoy/addresses.ts';
import { run, snapshotOf, statusPercent } from './helpers.ts';

const TCP_ECHO = `apiVersion: v1
kind: Service
metadata: {name: tcp-echo, namespace: default}
spec:
  selector: {app: tcp-echo}
  ports:
  - {name: tcp, port: 9000}
  - {name: tcp-admin, port: 9001}
  - {name: http-status, port: 9002}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tcp-echo, namespace: default}
spec:
  selector: {matchLabels: {app: tcp-echo}}
  template:
    metadata: {labels: {app: tcp-echo}}
    spec: {serviceAccountName: tcp-echo, containers: [{name: tcp-echo, image: istio/tcp-echo-server:1.3}]}
`;
const ap = (body: string) =>
  `---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: tcp-policy, namespace: default}\nspec:\n  selector: {matchLabels: {app: tcp-echo}}\n${body}`;
const call = (yaml: string, port: number, from = 'productpage-v1', method = 'GET') =>
  run(yaml, { from, to: `tcp-echo.default:${port}`, method, requests: 10 });
const decisions = (r: ReturnType<typeof run>) => (r.summary.security ?? []).map((d) => d.decision).join('\n');

describe('AuthorizationPolicy on TCP ports', () => {
  it('a DENY rule of methods widens to the whole TCP port: every connection is closed, whatever the method', () => {
    const yaml =
      TCP_ECHO +
      ap('  action: DENY\n  rules:\n  - to:\n    - operation: {methods: ["POST"], ports: ["9000"]}\n');
    const get = call(yaml, 9000, 'productpage-v1', 'GET');
    expect(statusPercent(get.summary, 503, 'UC')).toBe(100);
    expect(decisions(get)).toMatch(/TCP port 9000: the connection is closed.*widened to the whole port/);
    // the plaintext client sees the reset itself: no status at all
    expect(statusPercent(call(yaml, 9000, 'legacy/curl').summary, 0)).toBe(100);
    // port 9001 is not named by the rule's ports, which TCP can read
    expect(statusPercent(call(yaml, 9001).summary, 200)).toBe(100);
  });

  it('the same DENY rule on an HTTP port denies POST only, with 403', () => {
    const yaml =
      TCP_ECHO +
      ap('  action: DENY\n  rules:\n  - to:\n    - operation: {methods: ["POST"], ports: ["9002"]}\n');
    expect(statusPercent(call(yaml, 9002, 'productpage-v1', 'POST').summary, 403)).toBe(100);
    expect(statusPercent(call(yaml, 9002, 'productpage-v1', 'GET').summary, 200)).toBe(100);
  });

  it('an ALLOW rule with HTTP-only fields is dropped on TCP: it admits nobody, and says so', () => {
    const yaml = TCP_ECHO + ap('  rules:\n  - to:\n    - operation: {methods: ["GET"]}\n');
    const r = call(yaml, 9000);
    expect(statusPercent(r.summary, 503, 'UC')).toBe(100);
    expect(decisions(r)).toMatch(/default\/tcp-policy rules\[0\] ignored on TCP/);
    // on the HTTP port the same rule admits GET
    expect(statusPercent(call(yaml, 9002).summary, 200)).toBe(100);
  });

  it('TCP-readable fields keep working: principals, namespaces and ports', () => {
    const yaml =
      TCP_ECHO +
      ap(
        '  rules:\n  - from:\n    - source: {principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]}\n    to:\n    - operation: {ports: ["9000"]}\n',
      );
    expect(statusPercent(call(yaml, 9000).summary, 200)).toBe(100);
    expect(statusPercent(call(yaml, 9000, 'reviews-v1').summary, 503, 'UC')).toBe(100);
    expect(statusPercent(call(yaml, 9001).summary, 503, 'UC')).toBe(100);
  });

  it('an appProtocol beats the name: appProtocol tcp makes an http- port TCP', () => {
    const yaml =
      TCP_ECHO.replace(
        '{name: http-status, port: 9002}',
        '{name: http-status, port: 9002, appProtocol: tcp}',
      ) + ap('  action: DENY\n  rules:\n  - to:\n    - operation: {paths: ["/admin"], ports: ["9002"]}\n');
    expect(statusPercent(call(yaml, 9002).summary, 503, 'UC')).toBe(100);
  });

  it('ruleForTcp: ALLOW with any HTTP-only field is null; DENY keeps the rest, notPaths and when headers included', () => {
    expect(ruleForTcp({ to: [{ operation: { paths: ['/x'], ports: ['1'] } }] }, 'ALLOW')).toBeNull();
    expect(
      ruleForTcp(
        {
          from: [{ source: { namespaces: ['a'], notRequestPrincipals: ['*'] } }],
          to: [{ operation: { notPaths: ['/x'], ports: ['1'] } }],
          when: [
            { key: 'request.headers[x]', values: ['y'] },
            { key: 'source.namespace', values: ['a'] },
          ],
        },
        'DENY',
      ),
    ).toEqual({
      from: [{ source: { namespaces: ['a'] } }],
      to: [{ operation: { ports: ['1'] } }],
      when: [{ key: 'source.namespace', values: ['a'] }],
    });
    const plain = { from: [{ source: { principals: ['p'] } }] };
    expect(ruleForTcp(plain, 'ALLOW')).toBe(plain);
  });
});

describe('ipBlocks and source.ip', () => {
  it('inCidr: blocks, single addresses, bad input', () => {
    expect(inCidr('10.244.0.0/16', '10.244.0.9')).toBe(true);
    expect(inCidr('10.244.0.0/16', '10.245.0.9')).toBe(false);
    expect(inCidr('10.244.0.9', '10.244.0.9')).toBe(true);
    expect(inCidr('0.0.0.0/0', '1.2.3.4')).toBe(true);
    expect(inCidr('10.0.0.0/33', '10.0.0.1')).toBe(false);
    expect(inCidr('::1/128', '10.0.0.1')).toBe(false);
    expect(inCidr('10.0.0.0/8', undefined)).toBe(false);
  });

  it("ipBlocks match the caller pod's address; notIpBlocks exclude it", () => {
    const snap = snapshotOf('');
    const ip = new Addresses(snap).podByName('reviews-v1-0')!;
    const deny = (source: string) =>
      `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: d, namespace: default}\nspec:\n  selector: {matchLabels: {app: ratings}}\n  action: DENY\n  rules:\n  - from:\n    - source: ${source}\n`;
    const from = (yaml: string, who: string) =>
      run(yaml, { from: who, to: 'ratings', path: '/ratings/0', requests: 5 }).summary;
    const byIp = deny(`{ipBlocks: ["${ip}/32"]}`);
    expect(statusPercent(from(byIp, 'reviews-v1'), 403)).toBe(100);
    expect(statusPercent(from(byIp, 'reviews-v2'), 200)).toBe(100);
    const notIp = deny(`{notIpBlocks: ["${ip}"]}`);
    expect(statusPercent(from(notIp, 'reviews-v1'), 200)).toBe(100);
    expect(statusPercent(from(notIp, 'reviews-v2'), 403)).toBe(100);
    const when = `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: d, namespace: default}\nspec:\n  selector: {matchLabels: {app: ratings}}\n  action: DENY\n  rules:\n  - when:\n    - key: source.ip\n      values: ["${ip}/32"]\n`;
    expect(statusPercent(from(when, 'reviews-v1'), 403)).toBe(100);
    expect(statusPercent(from(when, 'reviews-v2'), 200)).toBe(100);
  });

  it('at the ingress gateway, a client outside the mesh has the address 203.0.113.10 (remoteIpBlocks)', () => {
    const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: default}
spec:
  hosts: ["*"]
  gateways: [gw]
  http:
  - route:
    - destination: {host: productpage, port: {number: 9080}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: edge, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  rules:
  - from:
    - source: {remoteIpBlocks: [BLOCK]}
`;
    const edge = (block: string) =>
      run(gw.replace('BLOCK', block), {
        from: 'ingress',
        to: 'bookinfo.example.com',
        path: '/productpage',
        requests: 5,
      }).summary;
    expect(statusPercent(edge('"203.0.113.0/24"'), 200)).toBe(100);
    expect(statusPercent(edge('"198.51.100.0/24"'), 403)).toBe(100);
    // behind the gateway, productpage's sidecar sees the gateway pod as the peer (ipBlocks)
    // and the outside client in X-Forwarded-For (remoteIpBlocks)
    const behind = (field: string) =>
      gw
        .replace('namespace: istio-system', 'namespace: default')
        .replace('{matchLabels: {istio: ingressgateway}}', '{matchLabels: {app: productpage}}')
        .replace('remoteIpBlocks: [BLOCK]', `${field}: ["203.0.113.0/24"]`);
    const through = (yaml: string) =>
      run(yaml, { from: 'ingress', to: 'bookinfo.example.com', path: '/productpage', requests: 5 }).summary;
    expect(statusPercent(through(behind('remoteIpBlocks')), 200)).toBe(100);
    expect(statusPercent(through(behind('ipBlocks')), 403)).toBe(100);
  });
});

describe("istio.io's authz-tcp task, as its snips show", () => {
  const dir = new URL('../fixtures/security-samples/', import.meta.url).pathname;
  const read = (f: string) => readFileSync(`${dir}${f}`, 'utf8');
  const nc = (policy: string, port: number) => {
    // the test loader knows no ServiceAccount kind (analyze reports it as Info): left out
    const workloads = read('workloads.yaml')
      .split(/^---$/m)
      .filter((d) => !/kind: ServiceAccount/.test(d))
      .join('---');
    const yaml = `${workloads}\n---\n${read(policy)}`;
    const s = run(yaml, { from: 'foo/sleep', to: `tcp-echo.foo:${port}`, requests: 5 }).summary;
    return statusPercent(s, 200) === 100 ? 'connection succeeded' : 'connection rejected';
  };
  it('ALLOW ports 9000, 9001: both succeed', () => {
    expect([nc('authz-tcp-allow-ports.yaml', 9000), nc('authz-tcp-allow-ports.yaml', 9001)]).toEqual([
      'connection succeeded',
      'connection succeeded',
    ]);
  });
  it('ALLOW methods GET on port 9000: the rule is dropped, both rejected', () => {
    expect([nc('authz-tcp-allow-methods.yaml', 9000), nc('authz-tcp-allow-methods.yaml', 9001)]).toEqual([
      'connection rejected',
      'connection rejected',
    ]);
  });
  it('DENY methods GET: widened to every port, both rejected', () => {
    expect([nc('authz-tcp-deny-methods.yaml', 9000), nc('authz-tcp-deny-methods.yaml', 9001)]).toEqual([
      'connection rejected',
      'connection rejected',
    ]);
  });
  it('DENY methods GET on port 9000: 9000 rejected, 9001 succeeds', () => {
    expect([
      nc('authz-tcp-deny-methods-port.yaml', 9000),
      nc('authz-tcp-deny-methods-port.yaml', 9001),
    ]).toEqual(['connection rejected', 'connection succeeded']);
  });
});
