// Header routing: end-user: jason -> reviews v2, everyone else v1. Behaviour: the
// intended match (end-user exactly "jason", a user name, so case matters) and its near
// misses from the grading library (jason-smith, jasonx, jaso, Jason, no header, ...),
// plus what /productpage shows to jason and to anonymous visitors.
import {
  allOf,
  defineGrader,
  expectCases,
  expectMatched,
  expectNotMatched,
  expectPages,
  type IntendedMatch,
} from '../src/core/grading/index.ts';

const JASON: IntendedMatch = { header: 'end-user', exact: 'jason', caseMatters: true };
const PROBE = { to: 'reviews', path: '/reviews/0' };

export default defineGrader({
  jason: (ctx) => expectMatched(ctx, 'reviews', PROBE, JASON, { v2: 100 }),
  others: (ctx) =>
    allOf(
      expectNotMatched(ctx, 'reviews', PROBE, JASON, { v1: 100 }),
      expectCases(ctx, 'reviews', [
        { probe: { ...PROBE, headers: { 'end-user': 'alice' } }, expected: { v1: 100 }, why: 'another user' },
      ]),
    ),
  pages: (ctx) =>
    allOf(
      expectPages(ctx, { headers: { 'end-user': 'jason' } }, { 'black stars': 100 }, 0),
      expectPages(ctx, {}, { 'no stars': 100 }, 0),
    ),
});
