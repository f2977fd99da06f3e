// All Bookinfo traffic to v1 (Istio's destination-rule-all + virtual-service-all-v1).
// Behaviour: requests to each service reach v1 pods only, through a subset that
// selects version v1 (looked up for the subset the simulated requests took), and
// /productpage shows no stars.
import {
  allOf,
  defineGrader,
  expectPages,
  expectPinned,
  expectSubsets,
  type Probe,
} from '../src/core/grading/index.ts';

const SERVICES = ['productpage', 'reviews', 'ratings', 'details'] as const;

function probes(service: string): Probe[] {
  const path = service === 'productpage' ? '/productpage' : `/${service}/0`;
  return [
    { to: service, path },
    { to: service, path, headers: { 'end-user': 'jason' } },
  ];
}

export default defineGrader({
  subsets: (ctx) =>
    allOf(
      ...SERVICES.map((s) => {
        const r = expectSubsets(ctx, s, ['v1']);
        return r.pass || r.reason.includes(s) ? r : { ...r, reason: `${s}: ${r.reason}` };
      }),
    ),
  pinned: (ctx) => allOf(...SERVICES.map((s) => expectPinned(ctx, s, 'v1', probes(s)))),
  'no-stars': (ctx) => expectPages(ctx, {}, { 'no stars': 100 }, 0),
});
