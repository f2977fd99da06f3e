// TLS at the ingress gateway (SIMPLE serves credentialName's certificate, MUTUAL
// needs a client certificate, ISTIO_MUTUAL an Istio one, plaintext to a TLS-only
// port is closed, servers are picked by SNI) and egress TLS origination (a
// DestinationRule tls SIMPLE towards a ServiceEntry port mapped to the server's 443).
import { describe, expect, it } from 'vitest';
import { routeRequest } from '../../src/core/sim/index.ts';
import { formatSummaryText } from '../../src/core/sim/report.ts';
import { fixture, run, snapshotOf, statusPercent } from './helpers.ts';

const gateway = (mode: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [bookinfo.example.com]
    tls: {mode: ${mode}, credentialName: bookinfo-credential}
${extra}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: default}
spec:
  hosts: [bookinfo.example.com, admin.example.com]
  gateways: [gw]
  http:
  - route:
    - destination: {host: productpage, port: {number: 9080}}
`;
const HTTPS = 'https://bookinfo.example.com/productpage';
const id = (x: string) => x;
const plain = { cyan: id, bold: id, dim: id, red: id, green: id, yellow: id };
const edge = (yaml: string, to: string, more: { clientCert?: string; sni?: string } = {}) =>
  run(yaml, { from: 'ingress', to, requests: 5, ...more }).summary;

describe('TLS at the ingress gateway', () => {
  it('SIMPLE: HTTPS gets 200 and the run names the certificate it presents', () => {
    const s = edge(gateway('SIMPLE'), HTTPS);
    expect(statusPercent(s, 200)).toBe(100);
    expect(s.notes?.join('\n')).toMatch(/tls\.mode SIMPLE.*credentialName bookinfo-credential/);
  });

  it('--client-ip and --cert from a caller inside the mesh are said to change nothing', () => {
    const s = run(gateway('SIMPLE'), {
      from: 'productpage-v1',
      to: 'reviews',
      requests: 1,
      clientIp: '198.51.100.7',
    }).summary;
    expect(s.notes?.join('\n')).toMatch(
      /the client address 198\.51\.100\.7 is not used: only a request entering the ingress gateway/,
    );
    const edgeRun = edge(gateway('SIMPLE'), HTTPS, { clientCert: 'acme' });
    expect(edgeRun.notes?.join('\n') ?? '').not.toMatch(/not used/);
  });

  it('the report heads a TLS connection with the SNI the client sent (--sni), not the host', () => {
    const s = edge(gateway('SIMPLE'), HTTPS, { sni: 'other.example.com' });
    const head = formatSummaryText(s, plain).split('\n')[0];
    expect(head).toContain('(SNI other.example.com)');
  });

  it('the report heads an HTTPS request as https://, not http://', () => {
    const text = formatSummaryText(edge(gateway('SIMPLE'), HTTPS), plain);
    expect(text.split('\n')[0]).toMatch(
      /^Simulated 5 × GET https:\/\/bookinfo\.example\.com\/productpage from /,
    );
  });

  it('plaintext to a port only TLS servers serve: closed without a status, and the route says why', () => {
    const yaml = gateway('SIMPLE');
    expect(statusPercent(edge(yaml, 'http://bookinfo.example.com:443/productpage'), 0)).toBe(100);
    const r = routeRequest(snapshotOf(yaml), {
      from: 'ingress',
      to: 'http://bookinfo.example.com:443/productpage',
    });
    expect(r.reason).toMatch(
      /only TLS\/HTTPS servers .* port 443: a plaintext request matches no filter chain/,
    );
  });

  it('MUTUAL: without a client certificate the handshake fails (no HTTP status); with one, 200', () => {
    const yaml = gateway('MUTUAL');
    expect(statusPercent(edge(yaml, HTTPS), 0)).toBe(100);
    const r = routeRequest(snapshotOf(yaml), { from: 'ingress', to: HTTPS });
    expect(r.reason).toMatch(/is MUTUAL and the client sent no certificate: the TLS handshake fails/);
    const ok = edge(yaml, HTTPS, { clientCert: 'client' });
    expect(statusPercent(ok, 200)).toBe(100);
    expect(ok.notes?.join('\n')).toMatch(/client certificate client presented/);
  });

  it('ISTIO_MUTUAL at the edge: no outside client has an Istio certificate', () => {
    expect(statusPercent(edge(gateway('ISTIO_MUTUAL'), HTTPS, { clientCert: 'client' }), 0)).toBe(100);
  });

  it('the server is chosen by SNI: an SNI the server does not cover finds no server (closed)', () => {
    const yaml = gateway('SIMPLE');
    expect(statusPercent(edge(yaml, HTTPS, { sni: 'other.example.com' }), 0)).toBe(100);
    expect(statusPercent(edge(yaml, HTTPS, { sni: 'bookinfo.example.com' }), 200)).toBe(100);
  });

  it('a credential Secret among the inputs: its certificate must cover the SNI; MUTUAL needs its CA', () => {
    const secret = fixture('bookinfo-credential.yaml');
    expect(statusPercent(edge(`${gateway('SIMPLE')}---\n${secret}`, HTTPS), 200)).toBe(100);
    // a certificate for bookinfo.example.com does not serve admin.example.com
    const other = `${gateway('SIMPLE').replace('hosts: [bookinfo.example.com]', 'hosts: ["*.example.com"]')}---\n${secret}`;
    const r = routeRequest(snapshotOf(other), {
      from: 'ingress',
      to: 'https://admin.example.com/productpage',
    });
    expect(r.reason).toMatch(/is for DNS:bookinfo\.example\.com, not admin\.example\.com: .*curl exit 60/);
    expect(statusPercent(edge(other, 'https://admin.example.com/productpage'), 0)).toBe(100);
    // MUTUAL with the CA in the Secret works; without ca.crt (and no -cacert Secret) it cannot check clients
    const mutual = `${gateway('MUTUAL')}---\n${secret}`;
    expect(statusPercent(edge(mutual, HTTPS, { clientCert: 'c' }), 200)).toBe(100);
    const noCa = mutual.replace(/ {2}ca\.crt: \|\n(?: {4}.*\n)+/, '');
    expect(noCa).not.toContain('ca.crt');
    const failed = routeRequest(snapshotOf(noCa), { from: 'ingress', to: HTTPS, clientCert: 'c' });
    expect(failed.reason).toMatch(/MUTUAL needs a CA certificate .* no ca\.crt/);
    // an expired or keyless Secret leaves the server nothing to present
    const keyless = `${gateway('SIMPLE')}---\n${secret.replace(/ {2}tls\.key: \|\n(?: {4}.*\n)+/, '')}`;
    expect(statusPercent(edge(keyless, HTTPS), 0)).toBe(100);
  });

  it("MUTUAL takes the CA from <name>-cacert when there is one, as istiod does (no fall back to the credential's)", () => {
    const secret = fixture('bookinfo-credential.yaml');
    const ca = /( {2}ca\.crt: \|\n(?: {4}.*\n)+)/.exec(secret)?.[1] ?? '';
    expect(ca).not.toBe('');
    const cacert = (data: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: bookinfo-credential-cacert, namespace: istio-system}\nstringData:\n${data}`;
    const mutual = `${gateway('MUTUAL')}---\n${secret.replace(ca, '')}`;
    // the credential has no ca.crt, the -cacert Secret has it: partners are checked against it
    expect(statusPercent(edge(`${mutual}---\n${cacert(ca)}`, HTTPS, { clientCert: 'c' }), 200)).toBe(100);
    // a -cacert Secret without cacert or ca.crt is still the one istiod reads: the handshake fails
    const empty = `${gateway('MUTUAL')}---\n${secret}---\n${cacert(ca.replace('ca.crt', 'other.pem'))}`;
    const r = routeRequest(snapshotOf(empty), { from: 'ingress', to: HTTPS, clientCert: 'c' });
    expect(r.reason).toMatch(/bookinfo-credential-cacert, which has neither cacert nor ca\.crt/);
  });

  it('httpsRedirect still answers 301 on the HTTP server', () => {
    const extra = `  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [bookinfo.example.com]
    tls: {httpsRedirect: true}
`;
    const yaml = gateway('SIMPLE', extra);
    expect(statusPercent(edge(yaml, 'http://bookinfo.example.com/productpage'), 301)).toBe(100);
    expect(statusPercent(edge(yaml, HTTPS), 200)).toBe(100);
  });
});

const SE = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: cnn, namespace: default}
spec:
  hosts: [edition.cnn.com]
  ports:
  - {number: 80, name: http-port, protocol: HTTP, targetPort: 443}
  - {number: 443, name: https-port, protocol: HTTPS}
  resolution: DNS
`;
const dr = (tls: string) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: cnn, namespace: default}
spec:
  host: edition.cnn.com
  trafficPolicy:
    portLevelSettings:
    - port: {number: 80}
      tls: ${tls}
`;
const egress = (yaml: string, to = 'http://edition.cnn.com/politics') =>
  run(yaml, { from: 'productpage-v1', to, requests: 5 }).summary;
const decisions = (s: ReturnType<typeof egress>) => (s.security ?? []).map((d) => d.decision).join('\n');

describe('egress TLS origination', () => {
  it('http:// to port 80 mapped to 443 without origination: the TLS server closes the connection (503 UC)', () => {
    const s = egress(SE);
    expect(statusPercent(s, 503, 'UC')).toBe(100);
    expect(decisions(s)).toMatch(/edition\.cnn\.com:443 expects TLS .* sends plaintext HTTP/);
  });

  it('a DestinationRule tls SIMPLE on port 80 originates TLS: 200, and says whether the certificate is verified', () => {
    const plain = egress(SE + dr('{mode: SIMPLE}'));
    expect(statusPercent(plain, 200)).toBe(100);
    expect(decisions(plain)).toMatch(
      /TLS originated .* to edition\.cnn\.com:443 .*not verified: no caCertificates/,
    );
    const verified = egress(SE + dr('{mode: SIMPLE, caCertificates: /etc/ssl/certs/ca-certificates.crt}'));
    expect(statusPercent(verified, 200)).toBe(100);
    expect(decisions(verified)).toMatch(/verified against caCertificates/);
  });

  it('TLS originated towards a plaintext server port fails the handshake (503 UF); ISTIO_MUTUAL too', () => {
    const plainPort = SE.replace(', targetPort: 443', '');
    // the default retries try the connection again: UF,URX
    const simple = egress(plainPort + dr('{mode: SIMPLE}'));
    expect(statusPercent(simple, 503, 'UF,URX')).toBe(100);
    expect(decisions(simple)).toMatch(/originates TLS to edition\.cnn\.com:80, which speaks plaintext/);
    expect(statusPercent(egress(SE + dr('{mode: ISTIO_MUTUAL}')), 503, 'UF,URX')).toBe(100);
  });

  it('https:// from the application is TLS already: it passes without origination', () => {
    expect(statusPercent(egress(SE, 'https://edition.cnn.com/politics'), 200)).toBe(100);
  });
});
