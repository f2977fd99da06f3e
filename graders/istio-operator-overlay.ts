// An IstioOperator overlay: graded on what it would install (resolved over its
// profile like istioctl), and for the outbound policy on behaviour: the
// simulator reads the mesh config from the IstioOperator.
import {
  allOf,
  defineGrader,
  expectComponent,
  expectInstallProfile,
  expectMeshSetting,
  expectRequests,
  expectStatus,
} from '../src/core/grading/index.ts';

export default defineGrader({
  profile: (ctx) =>
    allOf(
      expectInstallProfile(ctx, 'demo'),
      expectComponent(ctx, 'istiod', true),
      expectComponent(ctx, 'istio-ingressgateway', true),
    ),
  'egress-off': (ctx) => expectComponent(ctx, 'istio-egressgateway', false),
  'access-log': (ctx) =>
    allOf(
      expectMeshSetting(ctx, 'accessLogFile', '/dev/stdout'),
      expectMeshSetting(ctx, 'accessLogEncoding', 'JSON'),
    ),
  'registry-only': (ctx) =>
    allOf(
      expectMeshSetting(ctx, 'outboundTrafficPolicy.mode', 'REGISTRY_ONLY'),
      expectStatus(ctx, { to: 'http://httpbin.org/', from: 'productpage-v1' }, 502),
    ),
  'istiod-resources': (ctx) => expectRequests(ctx, 'istiod', { cpu: '500m', memory: '2Gi' }),
});
