// A VirtualService without `gateways:` applies to sidecars only (ICA1006): the ingress
// gateway answers 404. Fixed when, by behaviour through the ingress gateway, the Bookinfo
// paths reach productpage and other paths still get 404.
import {
  BOOKINFO_GATEWAY_PATHS,
  BOOKINFO_HIDDEN_PATHS,
  defineGrader,
  expectGatewayRoutes,
  expectGatewayStatus,
} from '../src/core/grading/index.ts';

const AUTHORITY = 'bookinfo.example.com:80';

export default defineGrader({
  ingress: (ctx) => expectGatewayRoutes(ctx, AUTHORITY, BOOKINFO_GATEWAY_PATHS, 'productpage'),
  hidden: (ctx) => expectGatewayStatus(ctx, AUTHORITY, BOOKINFO_HIDDEN_PATHS, 404),
});
