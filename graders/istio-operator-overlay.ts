// An IstioOperator overlay: graded on what it would install (resolved over its
// profile like istioctl), and for the outbound policy on behaviour: the
// simulator reads the mesh config from the IstioOperator. Live, no cluster object
// records the IstioOperator (Istio 1.24+), so what `istioctl install -f` left is
// graded: istio-system's Deployments, istiod's requests and the istio ConfigMap.
import {
  allOf,
  defineGrader,
  expectClusterComponent,
  expectClusterDemoGateway,
  expectClusterMeshSetting,
  expectClusterRequests,
  expectComponent,
  expectInstallProfile,
  expectMeshSetting,
  expectRequests,
  expectStatus,
  type GradeContext,
} from '../src/core/grading/index.ts';

const component = (ctx: GradeContext, name: string, installed: boolean) =>
  ctx.mode === 'live' ? expectClusterComponent(ctx, name, installed) : expectComponent(ctx, name, installed);
const mesh = (ctx: GradeContext, path: string, value: unknown) =>
  ctx.mode === 'live' ? expectClusterMeshSetting(ctx, path, value) : expectMeshSetting(ctx, path, value);

export default defineGrader({
  profile: (ctx) =>
    allOf(
      ctx.mode === 'live' ? expectClusterDemoGateway(ctx) : expectInstallProfile(ctx, 'demo'),
      component(ctx, 'istiod', true),
      component(ctx, 'istio-ingressgateway', true),
    ),
  'egress-off': (ctx) =>
    allOf(
      component(ctx, 'istio-egressgateway', false),
      ...(ctx.mode === 'live' ? [component(ctx, 'istio-ingressgateway', true)] : []),
    ),
  'access-log': (ctx) =>
    allOf(mesh(ctx, 'accessLogFile', '/dev/stdout'), mesh(ctx, 'accessLogEncoding', 'JSON')),
  'registry-only': (ctx) =>
    allOf(
      mesh(ctx, 'outboundTrafficPolicy.mode', 'REGISTRY_ONLY'),
      expectStatus(ctx, { to: 'http://httpbin.org/', from: 'productpage-v1' }, 502),
    ),
  'istiod-resources': (ctx) =>
    ctx.mode === 'live'
      ? expectClusterRequests(ctx, 'istiod', 'discovery', { cpu: '500m', memory: '2Gi' })
      : expectRequests(ctx, 'istiod', { cpu: '500m', memory: '2Gi' }),
});
