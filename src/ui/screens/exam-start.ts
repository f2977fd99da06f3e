// The exam screen before an exam (what it is, the lengths to choose from), and
// its two confirmations: submit and abandon.
import { Box } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import type { ActiveExam } from '../../core/progress/exams.ts';
import { Confirm } from '../components/dialogs.ts';
import { Menu } from '../components/menu.ts';
import { Toned } from '../components/styled.ts';
import type { ExamPreset } from '../services/exam.ts';

export function ExamStart({
  presets,
  cursor,
  width,
  message,
  last,
}: {
  presets: readonly ExamPreset[];
  cursor: number;
  width: number;
  message?: string | undefined;
  /** the line offering the last exam's review */
  last?: string;
}): ReactElement {
  return h(
    Box,
    { flexDirection: 'column' },
    h(
      Toned,
      { wrap: true },
      'A timed exam of performance tasks drawn across the ICA curriculum by its weights, as the real one has. Each task is solved in its own folder and scores only what you change. Hints and solutions of its labs are locked until it ends.',
    ),
    h(
      Box,
      { marginY: 1 },
      h(Menu, {
        items: presets.map((p) => ({
          key: p.name,
          label: p.name,
          detail: `${p.minutes} min · ${p.labs} task${p.labs === 1 ? '' : 's'}${p.questions ? ` · ${p.questions} question${p.questions === 1 ? '' : 's'}` : ''}`,
        })),
        cursor,
        width,
        labelWidth: 16,
      }),
    ),
    h(
      Toned,
      { tone: 'muted', wrap: true },
      'The clock keeps running if you leave this screen; come back to continue.',
    ),
    last ? h(Toned, { wrap: true }, last) : null,
    message ? h(Toned, { tone: 'warn', wrap: true }, message) : null,
  );
}

export function submitDialog(exam: ActiveExam, onYes: () => void, onNo: () => void): ReactElement {
  const open = exam.plan.tasks.filter(
    (t) => t.kind === 'question' && exam.tasks[t.index]?.status !== 'answered',
  ).length;
  const flagged = exam.tasks.filter((t) => t.flagged).length;
  return h(Confirm, {
    question: 'Submit the exam now?',
    detail: `${open ? `${open} question${open === 1 ? '' : 's'} not answered. ` : ''}${flagged ? `${flagged} task${flagged === 1 ? '' : 's'} flagged. ` : ''}Every task is graded; lab tasks from their folders.`,
    onYes,
    onNo,
  });
}

export function abandonDialog(folder: string, onYes: () => void, onNo: () => void): ReactElement {
  return h(Confirm, {
    question: 'Abandon this exam?',
    detail: `Nothing is scored or recorded, and the hints and solutions of its labs unlock. Its folders stay in ${folder}.`,
    onYes,
    onNo,
  });
}
