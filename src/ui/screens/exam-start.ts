// The exam screen before an exam: what it is, the lengths to choose from.
import { Box } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { Menu } from '../components/menu.ts';
import { Toned } from '../components/styled.ts';
import type { ExamPreset } from '../services/exam.ts';

export function ExamStart({
  presets,
  cursor,
  width,
  message,
}: {
  presets: readonly ExamPreset[];
  cursor: number;
  width: number;
  message?: string | undefined;
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
    message ? h(Toned, { tone: 'warn', wrap: true }, message) : null,
  );
}
