// The flags of `ica-trainer simulate`: their shape, the parsers that check their
// values (each error names the flag), and the help text after the options.
import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../core/config/duration.ts';

export interface SimulateFlags {
  to: string;
  path: string;
  method: string;
  header?: string[];
  jwt?: string;
  sni?: string;
  cert?: string;
  clientIp?: string;
  extAuthz: 'allow' | 'deny';
  from?: string;
  requests: number;
  concurrency: number;
  qps: number;
  seed: number;
  fail?: string[];
  latency?: string[];
  bookinfo: boolean;
  outboundMode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
  namespace: string;
  output: 'text' | 'json';
  accessLog?: boolean;
  clientTimeout?: number;
}

export function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
    }
    return n;
  };
}

export function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(
      `--qps must be 0 (as fast as responses return) or a positive rate, not "${value}".`,
    );
  }
  return n;
}

export function seedValue(value: string): number {
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`--seed must be a whole number, not "${value}".`);
  }
  return Number(value);
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function ipv4(value: string): string {
  const parts = value.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new InvalidArgumentError(
      `--client-ip must be an IPv4 address such as 198.51.100.7, not "${value}".`,
    );
  return value.trim();
}

export function clientTimeout(value: string): number {
  const ms = parseDurationMs(value.trim());
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError(
      `--client-timeout must be a duration such as 2s or 500ms, not "${value}".`,
    );
  return ms;
}

export const EXAMPLES = `
Examples:
  $ ica-trainer simulate reviews-vs.yaml --to reviews --requests 10000
      where an 80/20 split really sends traffic (by subset and version)
  $ ica-trainer simulate labs/ --to productpage --path /productpage --header end-user=jason
      what jason's page shows (reviews version, stars, error sections)
  $ ica-trainer simulate cb.yaml --to reviews -c 3 --requests 30
      the circuit-breaking exercise: how many 503 UO at 3 concurrent clients
  $ ica-trainer simulate vs.yaml --to reviews --fail reviews:v1=50% -o json
      retries in front of a failing version, as JSON
  $ ica-trainer simulate egress/ --to https://external.example.com --from productpage-v1 \
      --outbound-mode REGISTRY_ONLY
      a TLS connection through the egress gateway (TLS passthrough): the hops it takes
  $ ica-trainer simulate mtls/ --to productpage.default --from legacy/curl
      STRICT mTLS against a client without a sidecar: the connection is reset
  $ ica-trainer simulate tls/ --from ingress --to https://bookinfo.example.com/productpage --cert client
      HTTPS at the ingress gateway: SIMPLE serves credentialName's certificate; MUTUAL also
      needs a client certificate (without --cert the handshake fails, no HTTP status)
  $ ica-trainer simulate jwt/ --to productpage --jwt demo
      a valid token through RequestAuthentication and AuthorizationPolicy (--jwt forged: 401)
  $ ica-trainer simulate ext-authz/ --to productpage --path /productpage -H x-ext-authz=allow
      a CUSTOM policy and Istio's sample ext-authz (any other value: 403 with the sample's body)

Routing model: HTTP requests follow http rules (first match wins); a TLS
connection follows tls rules by SNI (the host) and port, unread and without
faults, timeouts, retries or mirrors. A request is TLS for https://, or without
a scheme when the registry declares the port TLS/HTTPS (a ServiceEntry port, a
Service port named https or tls) or it reaches a TLS/HTTPS Gateway server. Gateway
servers: HTTP and terminating HTTPS apply http rules, httpsRedirect answers 301,
PASSTHROUGH applies tls rules only. A TLS client is matched to a server by its SNI
(--sni, else the host); MUTUAL needs --cert and ISTIO_MUTUAL an Istio certificate
(outside clients have none): without, the handshake fails (status 0, no HTTP
status); plaintext (http://) to a port only TLS servers serve is closed. A
ServiceEntry registers its ports only: other ports go to the PassthroughCluster
(ALLOW_ANY) or the BlackHoleCluster (502 with REGISTRY_ONLY). When a route leads
to gateway pods, that gateway routes the request again ("via" in the results).
Status 0 is a TLS connection closed without a response (NR: no tls rule for the
SNI; UH: no endpoint, BlackHoleCluster).
Egress TLS origination: an outside server speaks TLS on its port 443 (a
ServiceEntry targetPort 443, or a port declared HTTPS/TLS); a DestinationRule
tls SIMPLE/MUTUAL makes the sidecar encrypt http:// requests to it (plaintext
to it: 503 UC; TLS to a plaintext port: 503 UF).
Authorization: CUSTOM (an external authorizer), then JWT, DENY and ALLOW. A CUSTOM
policy names a meshConfig extensionProviders entry (envoyExtAuthzHttp/Grpc); a
missing or ambiguous provider makes istiod deny what the CUSTOM rules match.
Istio's sample ext-authz (a Service named ext-authz) is modelled: it allows
x-ext-authz: allow (over HTTP only if includeRequestHeadersInCheck carries it; over
gRPC, without the header, the service account "a"), else 403. Any other
authorizer's answer is --ext-authz (allow unless told), and the output says so.
Not simulated: tcp routes and the Gateway servers that need them (TCP, TLS
terminated to TCP, AUTO_PASSTHROUGH; the command says so), destinationSubnets,
Sidecar resources, locality, and exportTo except a ServiceEntry's (a sidecar sees
only entries exported to its namespace).

Behaviour model: every service/version answers after a typical processing time
(Bookinfo: productpage 8ms, details 3ms, reviews 4-6ms, ratings 2ms, others 5ms,
±25%) and never fails unless told to: --fail SERVICE[:VERSION]=P%[:STATUS]
(STATUS 500 by default; "reset" drops the connection mid-request, "connect-failure"
refuses it) and --latency SERVICE[:VERSION]=DURATION (Go syntax:
200ms, 7s). Bookinfo calls itself as the sample does: productpage calls details
and reviews (3 s timeout, reviews tried twice), reviews v2/v3 call ratings (10 s
/ 2.5 s), and an end-user header stands for the signed-in user.

The analyzer runs first; its errors are shown, since a broken configuration
often explains a surprising result.

Exit codes: 0 the simulation ran, 2 usage error (bad flag value, unknown host or
workload, a request the simulator does not model) or no input readable.`;
