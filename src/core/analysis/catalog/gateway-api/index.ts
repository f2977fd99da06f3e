// Texts of the Gateway API group's findings (ICA1305-ICA1307, beside the ambient
// codes that also judge Gateway API objects): what istiod 1.26 does with a route or
// Gateway it cannot fully program (pilot/pkg/config/kube/gateway/conversion.go,
// route_collections.go, references_collection.go). istioctl analyze has no analyzer
// for these; a cluster shows them only in the objects' status conditions.
import { entry } from '../entry.ts';

const DOCS = 'https://istio.io/latest/docs/';

export const GATEWAY_API_DOCS = {
  ICA1305: `${DOCS}tasks/traffic-management/ingress/gateway-api/`,
  ICA1306: `${DOCS}tasks/traffic-management/ingress/gateway-api/`,
  ICA1307: `${DOCS}tasks/traffic-management/ingress/gateway-api/`,
  ICA1308: `${DOCS}reference/config/networking/virtual-service/#CorsPolicy`,
} as const;

export const GATEWAY_API_ENTRIES = {
  ICA1305: entry<{ ref: string; from: string; to: string; effect: string }>({
    code: 'ICA1305',
    name: 'RefNotPermitted',
    level: 'Warning',
    description:
      'A backendRef of a route bound to a Gateway, or a Gateway listener certificateRef, names an object in another namespace that no ReferenceGrant there allows.',
    message: (p) =>
      `${p.ref} is not accessible to a ${p.from} (missing a ReferenceGrant in namespace ${p.to}?): ${p.effect}`,
    explanation:
      'A reference across namespaces needs the target namespace\'s consent: a ReferenceGrant there whose from names the referring kind (group gateway.networking.k8s.io) and namespace, and whose to names the kind (Service or Secret, group "") and optionally the name. Without one istiod refuses the reference (status ResolvedRefs=False, reason RefNotPermitted): a refused backend\'s share of requests gets 500, a refused certificate leaves the listener without one, so TLS handshakes fail. istiod 1.26 checks backendRefs only for routes bound to a Gateway; a mesh route (parent a Service) may name a Service in any namespace.',
    fix: (p) =>
      `Create a ReferenceGrant in namespace ${p.to} (from: [{group: gateway.networking.k8s.io, kind: ${p.from.split(' ')[0]}, namespace: <the referring namespace>}], to: [{group: "", kind: <Service or Secret>}]), or move the object into the referring namespace.`,
  }),
  ICA1306: entry<{ kind: string }>({
    code: 'ICA1306',
    name: 'AlphaRouteIgnored',
    level: 'Warning',
    description:
      'A TCPRoute or TLSRoute (v1alpha2, the experimental channel) that istiod 1.26 ignores unless PILOT_ENABLE_ALPHA_GATEWAY_API=true.',
    message: (p) =>
      `istiod 1.26 does not read ${p.kind}s by default (PILOT_ENABLE_ALPHA_GATEWAY_API is false): this route programs nothing`,
    explanation:
      'TCPRoute and TLSRoute are experimental (gateway.networking.k8s.io/v1alpha2): istiod 1.26 watches them only when its environment sets PILOT_ENABLE_ALPHA_GATEWAY_API=true, and otherwise leaves them without status, as if they did not exist: the listener they should attach to routes nothing (connections are closed), and mesh traffic goes to the Service as without the route. The inputs hold no IstioOperator or istiod Deployment that sets it.',
    fix: 'Install istiod with the flag (istioctl install --set values.pilot.env.PILOT_ENABLE_ALPHA_GATEWAY_API=true, or the istiod chart value pilot.env), or use a VirtualService tcp/tls route on an Istio Gateway.',
  }),
  ICA1307: entry<{ kind: string; detail: string }>({
    code: 'ICA1307',
    name: 'RouteNotProgrammed',
    level: 'Warning',
    description:
      'A Gateway API route that istiod 1.26 cannot translate at all (an unsupported filter), so none of its rules apply.',
    message: (p) => `istiod makes no route of this ${p.kind}: ${p.detail}`,
    explanation:
      "istiod translates a route rule by rule, and a filter it does not support (on a GRPCRoute anything but RequestHeaderModifier, ResponseHeaderModifier and RequestMirror; on an HTTPRoute an ExtensionRef) is a hard error (reason InvalidFilter in the route's status): the whole route produces no configuration, so its traffic is routed as if it did not exist.",
    fix: 'Remove the filter, or use one the kind supports (a URLRewrite or redirect belongs on an HTTPRoute).',
  }),
  ICA1308: entry<{ origin: string }>({
    code: 'ICA1308',
    name: 'CorsOriginMatchedLiterally',
    level: 'Warning',
    description:
      'An HTTPRoute CORS filter origin with a wildcard, which istiod 1.26 matches as an exact string.',
    message: (p) =>
      `allowOrigins "${p.origin}" is matched as an exact string by istiod 1.26: no browser sends that Origin, so no preflight is answered for it`,
    explanation:
      'istiod 1.26 turns each allowOrigins entry of a CORS filter into an exact match (createCorsFilter; wildcard origins came in a later Istio). A browser\'s Origin is a real origin such as https://shop.example.com, never "*" or https://*.example.com, so the proxy answers no preflight for it: each one goes on to the application, which usually refuses it, and the browser blocks the call.',
    fix: 'List each origin in full (https://shop.example.com), or use a VirtualService corsPolicy with a regex or prefix origin.',
  }),
} as const;
