// Egress gateway with TLS passthrough (the course module's egress example). Structural,
// because the simulator routes HTTP only: the ServiceEntry (port 443 TLS, DNS), the
// Gateway server on the egress gateway pods (TLS PASSTHROUGH for the host), and the two
// TLS hops read the way a proxy picks a tls route (routing context, SNI, port; first
// match wins), whatever the resources are called or how they are split.
import {
  allOf,
  defineGrader,
  expectServiceEntryPort,
  expectTlsRoute,
  fail,
  findGatewayServer,
  pass,
} from '../src/core/grading/index.ts';

const HOST = 'external.example.com';
const EGRESS = 'istio-egressgateway.istio-system.svc.cluster.local';

const server = (ctx: Parameters<typeof findGatewayServer>[0]) =>
  findGatewayServer(ctx, {
    workload: 'istio-egressgateway',
    host: HOST,
    clientPort: 443,
    protocols: ['TLS'],
    tls: { mode: 'PASSTHROUGH' },
  });

export default defineGrader({
  serviceentry: (ctx) => {
    const registered = expectServiceEntryPort(ctx, HOST, 443, ['TLS', 'HTTPS']);
    if (!registered.pass) return registered;
    const entries = ctx.snapshot.serviceEntriesFor(HOST);
    const dns = entries.some(
      (se) => se.spec.resolution === 'DNS' || se.spec.resolution === 'DNS_ROUND_ROBIN',
    );
    return allOf(
      registered,
      dns
        ? pass('resolved by DNS')
        : fail(
            `resolution is ${entries.map((se) => se.spec.resolution ?? 'NONE').join(', ')}: the egress gateway would forward to the address the connection was sent to (its own), so ${HOST} must be resolved by DNS`,
          ),
    );
  },
  gateway: (ctx) => server(ctx).result,
  'mesh-route': (ctx) =>
    expectTlsRoute(ctx, {
      context: 'mesh',
      from: 'the sidecars',
      sni: HOST,
      port: 443,
      host: EGRESS,
      ports: [443],
    }),
  'gateway-route': (ctx) => {
    const { found, result } = server(ctx);
    if (!found) return fail(`no egress Gateway to route from yet: ${result.reason}`);
    return expectTlsRoute(ctx, {
      context: found.ref,
      from: `the egress gateway (Gateway ${found.ref})`,
      sni: HOST,
      port: found.server.port?.number ?? 443,
      host: HOST,
      ports: [443],
    });
  },
});
