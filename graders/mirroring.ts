// reviews served by v1 with every request mirrored to v2, checked by behaviour:
// who answers, where the copies go, and that a broken v2 changes nothing for callers.
import {
  defineGrader,
  describeRun,
  expectSplit,
  fail,
  type GradeContext,
  mirroredByVersion,
  mirrorPercentOf,
  okShare,
  pass,
  round,
  run,
  TO_REVIEWS,
  versionShares,
  withFindings,
} from '../src/core/grading/index.ts';

/** How much `mirror:` copies, in the field the answer used (pilot's precedence). */
function mirrorPercentText(r: Parameters<typeof mirrorPercentOf>[0]): string {
  if (r.mirrorPercentage) return `${mirrorPercentOf(r)}%`;
  const legacy = r.mirrorPercent ?? r.mirror_percent;
  return legacy !== undefined
    ? `${legacy}% (deprecated integer mirror percent)`
    : '100% (no mirrorPercentage)';
}

function mirrorConfig(ctx: GradeContext): string {
  const lines: string[] = [];
  for (const vs of ctx.snapshot.virtualServices) {
    (vs.spec.http ?? []).forEach((r, i) => {
      const targets = [
        ...(r?.mirror?.host
          ? [
              `${r.mirror.host}${r.mirror.subset ? ` subset ${r.mirror.subset}` : ''} at ${mirrorPercentText(r)}`,
            ]
          : []),
        ...(r?.mirrors ?? []).map(
          (m) =>
            `${m.destination?.host ?? '?'}${m.destination?.subset ? ` subset ${m.destination.subset}` : ''} at ${m.percentage ? `${m.percentage.value ?? 0}%` : '100%'}`,
        ),
      ];
      if (targets.length)
        lines.push(`VirtualService ${vs.namespace}/${vs.name} http[${i}] mirrors to ${targets.join(', ')}`);
    });
  }
  return lines.length ? lines.join('; ') : 'no route has a mirror';
}

export default defineGrader({
  primary: (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 500 }, 'reviews', { v1: 100 }, 0),
  mirrored: (ctx) => {
    const r = run(ctx, { ...TO_REVIEWS, requests: 500 });
    const n = r.records.length;
    const byVersion = mirroredByVersion(r, 'reviews');
    const toV2 = byVersion.v2 ?? 0;
    const others = Object.entries(byVersion).filter(([v, c]) => v !== 'v2' && c > 0);
    const m = r.summary.mirrored;
    const text = `${n} requests to reviews: ${m.copies} copies mirrored, ${toV2} reached v2${
      others.length ? `, ${others.map(([v, c]) => `${c} reached ${v}`).join(', ')}` : ''
    }${m.failed ? `, ${m.failed} reached no pod` : ''}`;
    if (toV2 === n && others.length === 0) return pass(text);
    return withFindings(
      ctx,
      fail(`${text}; expected a copy of every request at v2 only; ${mirrorConfig(ctx)}`),
      'reviews',
      ['IST0101'],
    );
  },
  unaffected: (ctx) => {
    const r = run(ctx, {
      ...TO_REVIEWS,
      requests: 500,
      fail: ['reviews:v2=100%'],
      latency: ['reviews:v2=5s'],
    });
    const shares = versionShares(r, 'reviews');
    const ok = okShare(r);
    const text = `with reviews v2 failing and taking 5 s: ${describeRun(r)}; answered by ${Object.entries(
      shares,
    )
      .map(([v, p]) => `${v} ${round(p)}%`)
      .join(', ')}`;
    if (ok >= 99.999 && (shares.v1 ?? 0) >= 99.999 && r.summary.latencyMs.max < 1000) return pass(text);
    return withFindings(
      ctx,
      fail(`${text}; expected quick 200s from v1: the answers of the copies must never reach the callers`),
      'reviews',
    );
  },
});
