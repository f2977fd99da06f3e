// The labs, by topic, with the learner's status; Enter opens one. Labs whose
// content is broken are listed with the problem instead of being hidden.
import { createElement as h, type ReactElement } from 'react';
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import type { LabProgress } from '../../core/progress/labs.ts';
import { ErrorText, Loading } from '../components/dialogs.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, moreNote } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useRemembered } from '../hooks/use-remembered.ts';
import { contentProblems } from '../services/content.ts';
import { useEnv } from '../services/env.ts';
import { readProgress } from '../services/summary.ts';
import { clampScroll, moveCursor } from '../state/cursor.ts';
import { type Line, span, truncate, wrapText } from '../text/lines.ts';
import type { Tone } from '../theme.ts';

interface LabRow {
  lab: LoadedExercise;
  progress?: LabProgress;
}

export function statusMark(p: LabProgress | undefined): { mark: string; text: string; tone: Tone } {
  switch (p?.status) {
    case 'passed':
      return { mark: '✓', text: 'passed', tone: 'good' };
    case 'revealed':
      return { mark: '!', text: 'revealed', tone: 'warn' };
    case 'attempted':
      return { mark: '…', text: 'attempted', tone: 'accent' };
    default:
      return { mark: '·', text: 'not started', tone: 'muted' };
  }
}

/** The list as rows; `rowOf[i]` is the row of lab i. */
export function labListLines(
  rows: readonly LabRow[],
  cursor: number,
  width: number,
  problems: readonly string[],
): { lines: Line[]; rowOf: number[] } {
  const lines: Line[] = [];
  const rowOf: number[] = [];
  // lab ids are what a learner types: never cut; the title gives way
  const idWidth = Math.max(8, ...rows.map((r) => r.lab.id.length));
  let topic = '';
  rows.forEach((r, i) => {
    if (r.lab.topic !== topic) {
      topic = r.lab.topic;
      if (lines.length) lines.push([]);
      lines.push([span(topic.replace(/^\d+-/, '').replace(/-/g, ' '), 'accent', { bold: true })]);
    }
    const here = i === cursor;
    const st = statusMark(r.progress);
    const head = `${here ? '›' : ' '} ${r.lab.id.padEnd(idWidth)} `;
    const meta = ` ${st.text.padEnd(11)} ${String(r.lab.minutes).padStart(3)} min  `;
    rowOf.push(lines.length);
    lines.push([
      span(head, here ? 'accent' : undefined, { bold: here }),
      span(st.mark, st.tone),
      span(meta, 'muted'),
      span(truncate(r.lab.title, Math.max(0, width - head.length - meta.length - 1)), undefined, {
        bold: here,
      }),
    ]);
  });
  if (problems.length) {
    lines.push(
      [],
      [span(`${problems.length} content problem${problems.length === 1 ? '' : 's'}:`, 'bad', { bold: true })],
    );
    for (const p of problems) lines.push(...wrapText(p, width, 'bad', { hang: 2 }));
  }
  return { lines, rowOf };
}

export function LabsScreen(): ReactElement {
  const env = useEnv();
  const nav = useNav();
  const notices = useNotices();
  const { width, height } = useBodySize();
  const [cursor, setCursor] = useRemembered('labs.cursor', 0);
  const data = useAsync(async () => {
    const [p, problems] = await Promise.all([readProgress(env), contentProblems(env)]);
    notices.add(p.notices);
    const rows: LabRow[] = p.exercises.map((lab) => {
      const progress = p.labs[lab.id];
      return progress ? { lab, progress } : { lab };
    });
    return {
      rows,
      problems: problems.filter((x) => x.startsWith('skipped a lab') || x.includes('labs could not')),
    };
  }, [env]);
  const rows = data.status === 'ok' ? data.value.rows : [];
  useKeys(
    ['up', 'down', 'pageUp', 'pageDown', 'first', 'last', 'select'],
    (a) => {
      const page = Math.max(1, height - 2);
      if (a.name === 'first') setCursor(0);
      else if (a.name === 'last') setCursor(Math.max(0, rows.length - 1));
      else if (a.name === 'up' || a.name === 'down')
        setCursor((c) => moveCursor(c, a.name === 'up' ? -1 : 1, rows.length));
      else if (a.name === 'pageUp' || a.name === 'pageDown')
        setCursor((c) => moveCursor(c, a.name === 'pageUp' ? -page : page, rows.length));
      else if (a.name === 'select') {
        const r = rows[cursor];
        if (r) nav.push({ name: 'lab', id: r.lab.id });
      }
    },
    { active: data.status === 'ok' },
  );
  if (data.status === 'loading') return h(Frame, { title: 'Labs' }, h(Loading, { what: 'labs' }));
  if (data.status === 'error')
    return h(
      Frame,
      { title: 'Labs' },
      h(ErrorText, { message: `the labs could not be loaded: ${data.error}` }),
    );
  const { lines, rowOf } = labListLines(rows, cursor, width, data.value.problems);
  const cursorRow = rowOf[cursor] ?? 0;
  const offset = clampScroll(cursorRow - Math.floor(height / 2), lines.length, height);
  const passed = rows.filter((r) => r.progress?.status === 'passed').length;
  return h(
    Frame,
    {
      title: 'Labs',
      status: `${passed}/${rows.length} passed${moreNote(offset, height, lines.length)}`,
    },
    rows.length === 0 && data.value.problems.length === 0
      ? h(ErrorText, { message: 'There are no labs.' })
      : h(LinesView, { lines, offset, height }),
  );
}
