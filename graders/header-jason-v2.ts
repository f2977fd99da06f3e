// Header routing: end-user: jason -> reviews v2, everyone else v1. Behaviour: requests
// with and without the header (and from look-alike users, so that a prefix match on
// "jason" does not pass) plus what /productpage shows to jason and to anonymous visitors.
import { allOf, defineGrader, expectCases, expectPages } from '../src/core/grading/index.ts';

const path = '/reviews/0';

export default defineGrader({
  jason: (ctx) =>
    expectCases(ctx, 'reviews', [
      { probe: { to: 'reviews', path, headers: { 'end-user': 'jason' } }, expected: { v2: 100 } },
    ]),
  others: (ctx) =>
    expectCases(ctx, 'reviews', [
      { probe: { to: 'reviews', path }, expected: { v1: 100 } },
      { probe: { to: 'reviews', path, headers: { 'end-user': 'alice' } }, expected: { v1: 100 } },
      { probe: { to: 'reviews', path, headers: { 'end-user': 'jason-smith' } }, expected: { v1: 100 } },
    ]),
  pages: (ctx) =>
    allOf(
      expectPages(ctx, { headers: { 'end-user': 'jason' } }, { 'black stars': 100 }, 0),
      expectPages(ctx, {}, { 'no stars': 100 }, 0),
    ),
});
