// Readiness: the last exams' scores per domain over time, and weak areas by
// topic, each with the lab to do next (Enter opens it).
import { createElement as h, type ReactElement, useState } from 'react';
import { ICA_DOMAINS } from '../../core/content/quiz-schema.ts';
import { type Readiness, WEAK_BELOW } from '../../core/exam/readiness.ts';
import { ErrorText, Loading } from '../components/dialogs.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, scrollNote } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useEnv } from '../services/env.ts';
import { readinessData } from '../services/readiness.ts';
import { clampScroll, moveCursor, scrollToShow } from '../state/cursor.ts';
import { type Line, span, truncate, wrapLine, wrapText } from '../text/lines.ts';

const SHORT: Record<string, string> = {
  'Installation, Upgrades, and Configuration': 'Install',
  'Traffic Management': 'Traffic',
  'Securing Workloads': 'Security',
  Troubleshooting: 'Trouble',
};

/** The screen as rows; `rowOf[i]` is the row of area i (areas in the order shown). */
export function readinessLines(
  r: Readiness,
  cursor: number,
  width: number,
): { lines: Line[]; rowOf: number[]; order: Readiness['areas'] } {
  const lines: Line[] = [[span('Last exams, per domain', 'accent', { bold: true })]];
  if (r.trend.length === 0)
    lines.push(...wrapText('  none yet: take a mock exam from the home screen', width, 'muted'));
  else
    lines.push([
      span(
        `  ${'date'.padEnd(16)} ${'total'.padStart(6)}  ${ICA_DOMAINS.map((d) => (SHORT[d.name] ?? d.name).padStart(8)).join(' ')}`,
        'muted',
      ),
    ]);
  for (const e of r.trend) {
    lines.push([
      span(`  ${e.submittedAt.slice(0, 16).replace('T', ' ')} `),
      span(`${String(Math.round(e.percent)).padStart(5)}%`, e.passed ? 'good' : 'bad', { bold: true }),
      span(' '),
      ...ICA_DOMAINS.map((d) => {
        const v = e.domains[d.name];
        return v === undefined
          ? span(' '.repeat(7) + '–', 'muted')
          : span(` ${`${Math.round(v)}%`.padStart(7)}`, v >= 68 ? 'good' : 'bad');
      }),
    ]);
  }
  if (r.trend.length)
    lines.push(...wrapText('  – : not scored in that exam (no task in the domain)', width, 'muted'));
  const weak = r.areas.filter((a) => a.strength !== null && a.strength < WEAK_BELOW);
  const untried = r.areas.filter((a) => a.strength === null);
  const solid = r.areas.filter((a) => a.strength !== null && a.strength >= WEAK_BELOW);
  const order = [...weak, ...untried, ...solid];
  const rowOf: number[] = [];
  const areaRows = (list: Readiness['areas'], heading: string, empty?: string) => {
    lines.push([], [span(heading, 'accent', { bold: true })]);
    if (list.length === 0 && empty) lines.push(...wrapText(`  ${empty}`, width, 'muted'));
    for (const a of list) {
      const i = order.indexOf(a);
      const here = i === cursor;
      rowOf[i] = lines.length;
      const strength = a.strength === null ? '' : ` ${Math.round(a.strength * 100)}%`;
      lines.push([
        span(here ? '› ' : '  ', 'accent', { bold: here }),
        span(
          a.strength === null ? '· ' : a.strength < WEAK_BELOW ? '✗ ' : '✓ ',
          a.strength === null ? 'muted' : a.strength < WEAK_BELOW ? 'bad' : 'good',
        ),
        span(truncate(a.title, Math.max(10, width - 10)), undefined, { bold: here }),
        span(strength, a.strength !== null && a.strength < WEAK_BELOW ? 'bad' : 'good'),
      ]);
      lines.push(
        ...wrapLine(
          a.next
            ? [
                span('do this lab next: ', 'muted'),
                span(a.next.id, 'accent', { bold: true }),
                span(` (${a.next.why})`, 'muted'),
              ]
            : [span(`no lab for this yet: quiz topic ${a.quizTopics.join(', ')}`, 'muted')],
          width - 6,
        ).map((l) => [span('      '), ...l]),
      );
    }
  };
  areaRows(weak, 'Weak areas (weakest first)', 'none found in what you have done so far');
  if (untried.length) areaRows(untried, 'Not tried yet');
  if (solid.length) areaRows(solid, 'Solid');
  return { lines, rowOf, order };
}

export function ReadinessScreen(): ReactElement {
  const env = useEnv();
  const nav = useNav();
  const notices = useNotices();
  const { width, height } = useBodySize();
  const [cursor, setCursor] = useState(0);
  const data = useAsync(async () => {
    const r = await readinessData(env);
    notices.add(r.notices);
    return r;
  }, [env]);
  const view = data.status === 'ok' ? readinessLines(data.value, cursor, width) : undefined;
  const lines = view?.lines ?? [];
  const row = view?.rowOf[cursor] ?? 0;
  // the exams on top stay in view while the cursor fits below them
  const top = row + 2 < height ? 0 : clampScroll(scrollToShow(0, row + 1, height), lines.length, height);
  useKeys(
    ['up', 'down', 'select', 'back'],
    (a) => {
      const count = view?.order.length ?? 0;
      if (a.name === 'back') nav.back();
      else if (a.name === 'select') {
        const next = view?.order[cursor]?.next;
        if (next) nav.push({ name: 'lab', id: next.id });
      } else if (count) setCursor((c) => moveCursor(c, a.name === 'up' ? -1 : 1, count));
      return undefined;
    },
    { rename: { select: 'open lab' } },
  );
  if (data.status === 'loading')
    return h(Frame, { title: 'Readiness' }, h(Loading, { what: 'your readiness' }));
  if (data.status === 'error')
    return h(
      Frame,
      { title: 'Readiness' },
      h(ErrorText, { message: `readiness could not be read: ${data.error}` }),
    );
  return h(
    Frame,
    { title: 'Readiness', status: scrollNote(top, height, lines.length) },
    h(LinesView, { lines, offset: top, height }),
  );
}
