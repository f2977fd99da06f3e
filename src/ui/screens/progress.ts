// Progress in detail: per curriculum domain (questions seen, accuracy, reviews
// due, labs passed), every lab's status, and the mock exams taken.
import { createElement as h, type ReactElement, useState } from 'react';
import { plural } from '../../core/plural.ts';
import { barText } from '../components/bar.ts';
import { ErrorText, Loading } from '../components/dialogs.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, scrollNote } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useEnv } from '../services/env.ts';
import { type HomeSummary, homeSummary } from '../services/summary.ts';
import { clampScroll } from '../state/cursor.ts';
import { type Line, span, truncate, wrapText } from '../text/lines.ts';
import { statusMark } from './labs.ts';

export function progressLines(s: HomeSummary, width: number): Line[] {
  // domain names use the width the columns leave (2 indent, 35 for the figures)
  const longest = Math.max(6, ...s.domains.map((d) => d.domain.length));
  const nameWidth = Math.max(14, Math.min(longest, width - 37));
  const lines: Line[] = [
    [span('By curriculum domain', 'accent', { bold: true })],
    [
      span(
        `  ${'Domain'.padEnd(nameWidth)} ${'weight'.padStart(6)} ${'seen'.padStart(7)} ${'right'.padStart(6)} ${'due'.padStart(4)} ${'labs'.padStart(6)}`,
        'muted',
      ),
    ],
  ];
  for (const d of s.domains) {
    const acc = d.accuracy === null ? '-' : `${Math.round(d.accuracy * 100)}%`;
    const row = `  ${truncate(d.domain, nameWidth).padEnd(nameWidth)} ${`${d.weight}%`.padStart(6)} ${`${d.seen}/${d.questions}`.padStart(7)} ${acc.padStart(6)} ${String(d.due).padStart(4)} ${`${d.labsPassed}/${d.labs}`.padStart(6)}`;
    lines.push(d.questions + d.labs === 0 ? [span(`${row}  no content yet`, 'muted')] : [span(row)]);
  }
  lines.push(
    [],
    [
      span(
        `${s.due} review${s.due === 1 ? '' : 's'} due · ${s.answered}/${s.questions} questions seen · streak ${s.streak} day${s.streak === 1 ? '' : 's'}`,
      ),
    ],
    [],
    [span(`Labs (${s.labsPassed}/${s.labsTotal} passed)`, 'accent', { bold: true })],
  );
  const idWidth = Math.max(8, ...s.labs.map(({ lab }) => lab.id.length)); // never cut: it is typed
  for (const { lab, progress } of s.labs) {
    const st = statusMark(progress);
    const extra = progress
      ? ` ${progress.attempts} check${progress.attempts === 1 ? '' : 's'}, ${progress.hintsUsed} hint${progress.hintsUsed === 1 ? '' : 's'}, ${Math.round(progress.timeSpentMs / 60_000)} min`
      : '';
    lines.push([
      span(`  ${st.mark} `, st.tone),
      span(lab.id.padEnd(idWidth)),
      span(` ${st.text.padEnd(11)}`, st.tone),
      span(extra, 'muted'),
    ]);
  }
  lines.push([], [span('Mock exams', 'accent', { bold: true })]);
  if (s.activeExam)
    lines.push([span(`  in progress: ${s.activeExam.id} (${plural(s.activeExam.tasks, 'task')})`, 'warn')]);
  if (s.exams.length === 0 && !s.activeExam) lines.push(...wrapText('  none taken yet', width, 'muted'));
  for (const e of [...s.exams].reverse().slice(0, 10)) {
    lines.push([
      span(`  ${e.submittedAt.slice(0, 16).replace('T', ' ')} `),
      span(barText(e.score.percent / 100, 12), e.score.passed ? 'good' : 'bad'),
      span(` ${String(e.score.percent).padStart(5)}% `),
      span(e.score.passed ? 'passed' : 'not passed', e.score.passed ? 'good' : 'bad'),
    ]);
  }
  return lines;
}

export function ProgressScreen(): ReactElement {
  const env = useEnv();
  const notices = useNotices();
  const { width, height } = useBodySize();
  const [offset, setOffset] = useState(0);
  const data = useAsync(async () => {
    const s = await homeSummary(env);
    notices.add(s.notices);
    return s;
  }, [env]);
  const lines = data.status === 'ok' ? progressLines(data.value, width) : [];
  const top = clampScroll(offset, lines.length, height);
  const nav = useNav();
  useKeys(
    ['up', 'down', 'pageUp', 'pageDown', 'first', 'last', 'select'],
    (a) => {
      // Enter: readiness, the weak areas and the lab to do next
      if (a.name === 'select') {
        nav.push({ name: 'readiness' });
        return undefined;
      }
      const page = Math.max(1, height - 1);
      if (a.name === 'first' || a.name === 'last') {
        setOffset(a.name === 'first' ? 0 : clampScroll(lines.length, lines.length, height));
        return undefined;
      }
      const delta = a.name === 'up' ? -1 : a.name === 'down' ? 1 : a.name === 'pageUp' ? -page : page;
      setOffset((o) => clampScroll(o + delta, lines.length, height));
      return undefined;
    },
    { rename: { select: 'readiness' } },
  );
  if (data.status === 'loading')
    return h(Frame, { title: 'Progress' }, h(Loading, { what: 'your progress' }));
  if (data.status === 'error')
    return h(
      Frame,
      { title: 'Progress' },
      h(ErrorText, { message: `progress could not be read: ${data.error}` }),
    );
  return h(
    Frame,
    { title: 'Progress', status: scrollNote(top, height, lines.length) },
    h(LinesView, { lines, offset: top, height }),
  );
}
