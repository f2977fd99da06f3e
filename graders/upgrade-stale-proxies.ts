// After an in-place upgrade: graded on the pods' proxy images against the image the
// namespace's injector now injects (as IST0158), a stale pod passing while its
// Deployment is being restarted, and on restarting only what needs it.
import { allOf, defineGrader, expectNotRestarted, expectProxiesCurrent } from '../src/core/grading/index.ts';

export default defineGrader({
  'shop-current': (ctx) => expectProxiesCurrent(ctx, 'shop'),
  'payments-current': (ctx) => expectProxiesCurrent(ctx, 'payments'),
  'no-needless-restart': (ctx) =>
    allOf(expectNotRestarted(ctx, 'shop', ['catalog']), expectNotRestarted(ctx, 'payments', ['ledger-db'])),
});
