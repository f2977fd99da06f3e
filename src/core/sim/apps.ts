// What the applications behind the pods do: a generic service answers after
// its processing time (or fails at its error rate); the Bookinfo services
// call each other as the sample does (section 4 of istio-semantics.md):
// productpage calls details, then reviews (3 s timeout, tried twice);
// reviews v2/v3 call ratings (10 s / 2.5 s timeouts) and show black/red
// stars; the signed-in user's `end-user` header travels along.
import { BehaviourModel } from './behaviour.ts';
import type { Event } from './engine.ts';
import { outbound } from './proxy.ts';
import type { Sim } from './state.ts';
import {
  type Caller,
  CONNECT_FAILURE,
  CONNECT_MS,
  type Endpoint,
  MAX_HOPS,
  NET_MS,
  type PageView,
  type Payload,
  RESET,
  type Reply,
  type ReviewsPayload,
  type SimRequest,
  type Stars,
} from './types.ts';

/** Headers the Bookinfo services copy onto their outgoing calls. */
export const PROPAGATED_HEADERS = [
  'end-user',
  'user-agent',
  'cookie',
  'authorization',
  'jwt',
  'x-request-id',
  'traceparent',
  'tracestate',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-ot-span-context',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'sw8',
];

export const PRODUCTPAGE_TIMEOUT_MS = 3000;
export const PRODUCTPAGE_REVIEWS_TRIES = 2;
export const REVIEWS_RATINGS_TIMEOUT_MS: Record<string, number> = { v2: 10_000, v3: 2500 };
export const STARS: Record<string, Stars> = { v1: 'none', v2: 'black', v3: 'red' };

/** The application on pod `ep` answers `req` (a gateway pod routes it onwards). */
export function serve(
  sim: Sim,
  ep: Endpoint,
  req: SimRequest,
  respond: (status: number, payload?: Payload) => void,
  port?: number,
) {
  const b = sim.behaviour.of(ep);
  const work = NET_MS + BehaviourModel.sample(b.latencyMs, sim.rng.next());
  if (sim.rng.chance(b.errorRate)) {
    // a refused connection fails at once; anything else after the work
    sim.engine.at(b.errorStatus === CONNECT_FAILURE ? CONNECT_MS : work, () => respond(b.errorStatus));
    return;
  }
  const gateway = sim.mesh.gatewayOf(ep);
  if (gateway) return forward(sim, gateway, req, port ?? req.port, respond);
  if (!ep.external && sim.bookinfo) {
    if (ep.service === 'productpage') return productpage(sim, ep, req, work, respond);
    if (ep.service === 'reviews' && REVIEWS_RATINGS_TIMEOUT_MS[ep.version] !== undefined)
      return reviewsWithRatings(sim, ep, req, work, respond);
    if (ep.service === 'reviews') {
      sim.engine.at(work, () => respond(200, reviewsPayload(ep, true)));
      return;
    }
  }
  sim.engine.at(work, () => respond(200));
}

/**
 * A gateway pod: its proxy routes the request (or TLS connection) it received on
 * `port`, and answers with what comes back. Loops are cut after MAX_HOPS gateways.
 */
function forward(
  sim: Sim,
  gateway: Caller,
  req: SimRequest,
  port: number,
  respond: (status: number, payload?: Payload) => void,
): void {
  const hops = (req.hops ?? 0) + 1;
  if (hops > MAX_HOPS) {
    sim.engine.at(NET_MS, () => respond(RESET));
    return;
  }
  const next = sim.mesh.forwardRequest(req, port, hops);
  sim.engine.at(NET_MS, () => {
    outbound(sim, gateway, next, (reply) => {
      const context = next.route?.context || gateway.name;
      respond(reply.status, { kind: 'forwarded', hop: `gateway ${context}`, reply });
    });
  });
}

function reviewsPayload(ep: Endpoint, ratings: boolean): ReviewsPayload {
  return { kind: 'reviews', version: ep.version, pod: ep.pod, stars: STARS[ep.version] ?? 'none', ratings };
}

function propagate(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of PROPAGATED_HEADERS) {
    const v = headers[h];
    if (v !== undefined) out[h] = v;
  }
  return out;
}

/**
 * The application calls `service:9080` through its sidecar with its own client
 * timeout; `done` gets the reply, or null when the timeout fired first (the
 * application then drops the connection, which resets the upstream request).
 */
export function appCall(
  sim: Sim,
  from: Endpoint,
  service: string,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
  done: (r: Reply | null) => void,
): void {
  const caller = sim.mesh.podCaller(from);
  const req = sim.mesh.appRequest(caller, service, path, headers);
  let settled = false;
  let timer: Event | null = null;
  const handle = outbound(sim, caller, req, (r) => {
    if (settled) return;
    settled = true;
    if (timer) sim.engine.cancel(timer);
    done(r);
  });
  if (settled) return;
  timer = sim.engine.at(timeoutMs, () => {
    if (settled) return;
    settled = true;
    handle.cancel();
    done(null);
  });
}

function reviewsWithRatings(
  sim: Sim,
  ep: Endpoint,
  req: SimRequest,
  work: number,
  respond: (status: number, payload?: Payload) => void,
): void {
  const timeout = REVIEWS_RATINGS_TIMEOUT_MS[ep.version]!;
  appCall(sim, ep, 'ratings', '/ratings/0', propagate(req.headers), timeout, (r) => {
    // reviews still answers 200; without ratings it shows "Ratings service is currently unavailable"
    const ok = r !== null && r.status === 200;
    sim.engine.at(work, () => respond(200, reviewsPayload(ep, ok)));
  });
}

function productpage(
  sim: Sim,
  ep: Endpoint,
  req: SimRequest,
  work: number,
  respond: (status: number, payload?: Payload) => void,
): void {
  const headers = propagate(req.headers);
  const uri = req.uri;
  const api = /^\/api\/v1\/products\/[^/]+\/(reviews|ratings)$/.exec(uri);
  if (api) {
    const service = api[1]!;
    appCall(sim, ep, service, `/${service}/0`, headers, PRODUCTPAGE_TIMEOUT_MS, (r) => {
      sim.engine.at(work, () => respond(r ? r.status : 500));
    });
    return;
  }
  if (uri !== '/productpage') {
    sim.engine.at(work, () => respond(200));
    return;
  }
  const page: PageView = { details: false, reviews: false };
  appCall(sim, ep, 'details', '/details/0', headers, PRODUCTPAGE_TIMEOUT_MS, (d) => {
    page.details = d !== null && d.status === 200;
    const tryReviews = (n: number): void => {
      appCall(sim, ep, 'reviews', '/reviews/0', headers, PRODUCTPAGE_TIMEOUT_MS, (r) => {
        if (r && r.status === 200) {
          page.reviews = true;
          const p = r.payload;
          if (p?.kind === 'reviews') {
            page.reviewsVersion = p.version;
            page.reviewsPod = p.pod;
            page.stars = p.stars;
            page.ratings = p.ratings;
          }
        } else if (n < PRODUCTPAGE_REVIEWS_TRIES) {
          tryReviews(n + 1);
          return;
        }
        // the page renders (200) with "Sorry, product reviews are currently unavailable" sections
        sim.engine.at(work, () => respond(200, { kind: 'page', page }));
      });
    };
    tryReviews(1);
  });
}
