// The istio.io page behind each finding code (the real exam allows istio.io): a
// record over every code, so a new code without its page does not compile.
// istioctl's codes have a page each; the trainer's own codes link the page of
// the field or task they are about.
import { GATEWAY_API_DOCS } from './gateway-api/index.ts';
import type { Code } from './index.ts';
import { SIDECAR_DOCS } from './networking/sidecar-codes.ts';
import { SECURITY_DOCS } from './security/codes.ts';
import { TELEMETRY_DOCS } from './telemetry/codes.ts';

const DOCS = 'https://istio.io/latest/docs/';
const ANALYZE = `${DOCS}ops/diagnostic-tools/istioctl-analyze/`;
const VS = `${DOCS}reference/config/networking/virtual-service/`;
const DR = `${DOCS}reference/config/networking/destination-rule/`;
const ist = (code: string) => `${DOCS}reference/config/analysis/${code.toLowerCase()}/`;

export const CATALOG_DOCS: Record<Code, string> = {
  ICA0001: ANALYZE,
  ICA0002: ANALYZE,
  ICA0003: ANALYZE,
  ICA0004: ANALYZE,
  ICA0005: `${DOCS}reference/config/networking/`,
  ICA0006: ANALYZE,
  ICA0007: ANALYZE,
  ICA0008: ANALYZE,
  ICA0009: ANALYZE,
  ICA0101: `${DOCS}reference/config/networking/`,
  ICA0201: ANALYZE,
  ICA1001: `${VS}#HTTPRouteDestination`,
  ICA1002: `${DR}#OutlierDetection`,
  ICA1003: `${VS}#HTTPRetry`,
  ICA1004: `${DOCS}tasks/traffic-management/egress/egress-control/`,
  ICA1005: `${DOCS}tasks/traffic-management/ingress/ingress-control/`,
  ICA1006: `${VS}#VirtualService-gateways`,
  ICA1007: `${DR}#TrafficPolicy-PortTrafficPolicy`,
  ICA1008: `${VS}#HTTPFaultInjection`,
  ICA1009: `${DR}#OutlierDetection`,
  ICA1010: `${DR}#DestinationRule`,
  ICA1011: `${VS}#HTTPRetry`,
  ICA1012: `${DR}#TrafficPolicy-PortTrafficPolicy`,
  ICA1101: `${DOCS}setup/upgrade/canary/`,
  ICA1102: `${DOCS}setup/upgrade/canary/`,
  ICA1103: 'https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/',
  ICA1104: `${DOCS}setup/install/helm/`,
  ICA1301: `${DOCS}ambient/usage/waypoint/`,
  ICA1302: `${DOCS}ambient/usage/l4-policy/`,
  ICA1303: `${DOCS}ambient/usage/waypoint/#useawaypoint`,
  ICA1304: `${DOCS}ambient/usage/waypoint/`,
  IST0102: ist('IST0102'),
  IST0103: ist('IST0103'),
  IST0123: ist('IST0123'),
  IST0135: ist('IST0135'),
  IST0158: ist('IST0158'),
  IST0101: ist('IST0101'),
  IST0106: ist('IST0106'),
  IST0109: ist('IST0109'),
  IST0112: ist('IST0112'),
  IST0130: ist('IST0130'),
  IST0131: ist('IST0131'),
  IST0132: ist('IST0132'),
  IST0133: ist('IST0133'),
  IST0134: ist('IST0134'),
  IST0140: ist('IST0140'),
  IST0145: ist('IST0145'),
  IST0161: ist('IST0161'),
  IST0162: ist('IST0162'),
  IST0173: ist('IST0173'),
  IST0174: ist('IST0174'),
  ...GATEWAY_API_DOCS,
  ...SECURITY_DOCS,
  ...SIDECAR_DOCS,
  ...TELEMETRY_DOCS,
};
