// CORS at the client's proxy: a corsPolicy (a VirtualService's, or the one istiod 1.26
// makes of an HTTPRoute CORS filter) answers a preflight from an allowed origin itself;
// another origin's preflight goes on to the application. istiod 1.26 matches an
// HTTPRoute's allowOrigins literally, so `*` allows no browser origin.
import { describe, expect, it } from 'vitest';
import { routeRequest } from '../../src/core/sim/index.ts';
import { snapshotOf } from './helpers.ts';

const route = (origins: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: productpage, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: productpage, port: 9080}]
  rules:
  - filters:
    - type: CORS
      cors: {allowOrigins: [${origins}], allowMethods: [GET, POST], maxAge: 600}
    backendRefs: [{name: productpage, port: 9080}]
`;

const preflight = (yaml: string, origin: string) =>
  routeRequest(snapshotOf(yaml), {
    from: 'reviews-v1',
    to: 'productpage',
    path: '/api/v1/products',
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
  });

describe('CORS', () => {
  it('an HTTPRoute CORS filter: the proxy answers a preflight from an allowed origin itself (200)', () => {
    const r = preflight(route('"https://shop.example.com"'), 'https://shop.example.com');
    expect(r.outcome).toBe('local');
    expect(r.local?.status).toBe(200);
    expect(r.reason).toMatch(
      /HTTPRoute default\/productpage rules\[0\] answers the CORS preflight itself \(200\): origin https:\/\/shop.example.com is allowed/,
    );
  });

  it('a preflight from another origin, or an OPTIONS without Access-Control-Request-Method, reaches the application', () => {
    const other = preflight(route('"https://shop.example.com"'), 'https://evil.example.com');
    expect(other.outcome).toBe('route');
    expect(other.destinations[0]?.host).toBe('productpage.default.svc.cluster.local');
    const plain = routeRequest(snapshotOf(route('"https://shop.example.com"')), {
      from: 'reviews-v1',
      to: 'productpage',
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example.com' },
    });
    expect(plain.outcome).toBe('route');
  });

  it('istiod 1.26 matches allowOrigins literally: "*" and "https://*.example.com" allow no real origin', () => {
    expect(preflight(route('"*"'), 'https://shop.example.com').outcome).toBe('route');
    expect(preflight(route('"https://*.example.com"'), 'https://shop.example.com').outcome).toBe('route');
  });

  it('a VirtualService corsPolicy behaves the same, with its prefix and regex origins', () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: productpage, namespace: default}
spec:
  hosts: [productpage]
  http:
  - corsPolicy: {allowOrigins: [{regex: "https://.*\\\\.example\\\\.com"}], allowMethods: [POST]}
    route: [{destination: {host: productpage}}]
`;
    expect(preflight(vs, 'https://shop.example.com').local?.status).toBe(200);
    expect(preflight(vs, 'https://shop.example.org').outcome).toBe('route');
  });

  it('an ExtensionRef filter makes istiod drop the whole HTTPRoute: its CORS policy is gone too', () => {
    const ext = route('"https://shop.example.com"').replace(
      '    - type: CORS',
      '    - {type: ExtensionRef, extensionRef: {group: example.com, kind: Auth, name: x}}\n    - type: CORS',
    );
    expect(preflight(ext, 'https://shop.example.com').outcome).toBe('route');
  });
});
