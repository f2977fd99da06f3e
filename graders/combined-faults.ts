// A 5 s delay on 50% and an abort with 500 on 10% of the ratings requests, on one
// route, checked by behaviour: the flags and latencies of what reviews gets back.
import {
  defineGrader,
  describeFaults,
  fail,
  formatMs,
  type GradeContext,
  pass,
  round,
  run,
  withFindings,
  withinShare,
} from '../src/core/grading/index.ts';

const PROBE = { to: 'ratings', path: '/ratings/0', from: 'reviews-v2', requests: 4000 };

const measured = new WeakMap<GradeContext, ReturnType<typeof measureRun>>();

/** One run serves the three criteria. */
function measure(ctx: GradeContext) {
  let m = measured.get(ctx);
  if (!m) measured.set(ctx, (m = measureRun(ctx)));
  return m;
}

function measureRun(ctx: GradeContext) {
  const result = run(ctx, PROBE);
  const has = (flags: string, f: string) => flags.split(',').includes(f);
  const delayed = result.records.filter((r) => has(r.flags, 'DI'));
  const plain = result.records.filter((r) => !has(r.flags, 'DI'));
  const aborted500 = (list: typeof delayed) =>
    list.filter((r) => has(r.flags, 'FI') && r.status === 500).length;
  const n = result.records.length;
  return {
    n,
    delayed,
    plain,
    delayPct: (100 * delayed.length) / n,
    abortPct: (100 * aborted500(result.records)) / n,
    anyAbortPct: (100 * result.records.filter((r) => has(r.flags, 'FI')).length) / n,
    abortedWhenDelayed: delayed.length ? (100 * aborted500(delayed)) / delayed.length : 0,
    abortedWhenNot: plain.length ? (100 * aborted500(plain)) / plain.length : 0,
  };
}

/** Where the answer put the two faults, for the advice: it must describe what the answer did. */
function placementAdvice(ctx: GradeContext): string {
  const rules: { delay: boolean; abort: boolean }[] = [];
  for (const vs of ctx.snapshot.virtualServices) {
    if (!(vs.spec.hosts ?? []).some((h) => h === 'ratings' || h.startsWith('ratings.'))) continue;
    for (const r of vs.spec.http ?? []) {
      const f = r?.fault;
      if (f) rules.push({ delay: !!f.delay, abort: !!f.abort });
    }
  }
  if (rules.some((r) => r.delay && r.abort))
    return ': the delay and the abort are on the same rule, so each request rolls for each fault on its own; check the percentages';
  if (rules.some((r) => r.delay) && rules.some((r) => r.abort))
    return ': the delay and the abort are on different rules, and a request takes only the first rule that matches; put both faults on the same rule, each with its own percentage';
  return '';
}

const why = (ctx: GradeContext, text: string) =>
  withFindings(ctx, fail(`${text}; ${describeFaults(ctx, 'ratings')}`), 'ratings');

export default defineGrader({
  delay: (ctx) => {
    const m = measure(ctx);
    const times = m.delayed.map((r) => r.latencyMs);
    const min = times.length ? Math.min(...times) : 0;
    const max = times.length ? Math.max(...times) : 0;
    const span = times.length ? `, each taking ${formatMs(min)} to ${formatMs(max)}` : '';
    const text = `${round(m.delayPct)}% of the requests from reviews to ratings were delayed (flag DI)${span}`;
    if (withinShare(m.delayPct, 50, m.n, 5) && min >= 5000 && max <= 5500) return pass(text);
    return why(ctx, `${text}; expected about 50%, each taking about 5 s`);
  },
  abort: (ctx) => {
    const m = measure(ctx);
    const text = `${round(m.abortPct)}% of the requests from reviews to ratings were answered 500 by the fault (flag FI)`;
    if (withinShare(m.abortPct, 10, m.n, 3)) return pass(text);
    const other =
      m.anyAbortPct > m.abortPct + 1 ? `; ${round(m.anyAbortPct)}% were aborted with another status` : '';
    return why(ctx, `${text}, expected about 10%${other}`);
  },
  independent: (ctx) => {
    const m = measure(ctx);
    const text = `${round(m.abortedWhenDelayed)}% of the delayed requests and ${round(m.abortedWhenNot)}% of the others were aborted with 500`;
    if (
      m.delayed.length > 0 &&
      m.plain.length > 0 &&
      withinShare(m.abortedWhenDelayed, 10, m.delayed.length, 4) &&
      withinShare(m.abortedWhenNot, 10, m.plain.length, 4)
    )
      return pass(`${text}: each request gets its own roll of the dice for each fault`);
    return why(ctx, `${text}, expected about 10% of each${placementAdvice(ctx)}`);
  },
});
