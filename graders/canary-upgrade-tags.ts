// A canary upgrade with revision tags: graded on which revision injects new pods
// (namespace label -> tag -> revision, as the webhooks resolve it) and on what is
// left of the old revision (its injector, tags pointing at it).
import { allOf, defineGrader, expectNoRevision, expectSidecar } from '../src/core/grading/index.ts';

export default defineGrader({
  'prod-tag': (ctx) =>
    allOf(expectSidecar(ctx, 'shop', 'cart', { sidecar: true, revision: '1-26', via: 'prod' })),
  'default-tag': (ctx) =>
    allOf(expectSidecar(ctx, 'payments', 'ledger', { sidecar: true, revision: '1-26', via: 'default' })),
  'old-removed': (ctx) => expectNoRevision(ctx, '1-25'),
});
