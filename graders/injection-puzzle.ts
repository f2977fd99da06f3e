// Injection labels: graded on the workload facts (which revision's webhook
// injects each pod template), the same derivation analyze and simulate use.
import { allOf, defineGrader, expectSidecar } from '../src/core/grading/index.ts';

const REV = '1-26';

export default defineGrader({
  'shop-injected': (ctx) =>
    allOf(
      expectSidecar(ctx, 'shop', 'cart', { sidecar: true, revision: REV }),
      expectSidecar(ctx, 'shop', 'orders', { sidecar: true, revision: REV }),
    ),
  'batch-opted-out': (ctx) => expectSidecar(ctx, 'shop', 'batch-report', { sidecar: false }),
  'tools-debug-only': (ctx) =>
    allOf(
      expectSidecar(ctx, 'tools', 'debug', { sidecar: true, revision: REV }),
      expectSidecar(ctx, 'tools', 'toolbox', { sidecar: false }),
    ),
});
