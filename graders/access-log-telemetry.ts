// Access logs for productpage only: graded on what istiod would configure for each
// proxy (telemetry-scope.ts: Telemetry levels, providers, disabled, accessLogFile).
import { defineGrader, expectAccessLog, expectTelemetryAccepted } from '../src/core/grading/index.ts';

export default defineGrader({
  'productpage-logs': (ctx) => expectAccessLog(ctx, ['productpage-v1'], true),
  'others-quiet': (ctx) =>
    expectAccessLog(
      ctx,
      [
        'details-v1',
        'reviews-v1',
        'reviews-v2',
        'reviews-v3',
        'ratings-v1',
        'istio-system/istio-ingressgateway',
      ],
      false,
    ),
  accepted: (ctx) => expectTelemetryAccepted(ctx),
});
