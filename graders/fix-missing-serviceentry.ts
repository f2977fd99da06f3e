// REGISTRY_ONLY and no ServiceEntry for an external API (502 from the sidecar's block_all route). Fixed when,
// by behaviour, productpage reaches the API, the DestinationRule's limits apply to it and
// other external hosts stay blocked; the port and protocol are checked structurally
// (the simulator lets every port of a registered host through).
import {
  allOf,
  defineGrader,
  expectExternalReachable,
  expectOverflow,
  expectServiceEntryPort,
  expectStatus,
} from '../src/core/grading/index.ts';

const HOST = 'covers.openlibrary.org';
const CALL = { to: `http://${HOST}/b/id/240727-S.jpg`, from: 'productpage-v1' };

export default defineGrader({
  reachable: (ctx) => expectExternalReachable(ctx, CALL, HOST, 80),
  registered: (ctx) => expectServiceEntryPort(ctx, HOST, 80, ['HTTP']),
  'limits-kept': (ctx) => expectOverflow(ctx, { ...CALL, concurrency: 6, requests: 300 }, HOST, 10),
  'still-blocked': (ctx) =>
    allOf(
      expectStatus(ctx, { to: 'http://www.example.org/', from: 'productpage-v1' }, 502),
      expectStatus(ctx, { to: 'http://api.github.com/', from: 'productpage-v1' }, 502),
    ),
});
