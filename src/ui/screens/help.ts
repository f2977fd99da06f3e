// Help: what the trainer is for, and every key (from keys.ts, so it is always right).
import { createElement as h, type ReactElement, useState } from 'react';
import { trainerCommand } from '../../core/command-name.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, scrollNote } from '../components/styled.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { ACTION_NAMES, BINDINGS, keysText } from '../keys.ts';
import { clampScroll } from '../state/cursor.ts';
import { type Line, span, wrapLine, wrapText } from '../text/lines.ts';

const INTRO = [
  'ica-trainer prepares you for the Istio Certified Associate exam by doing.',
  '',
  'Quiz asks questions over the curriculum and schedules them again by spaced repetition (FSRS): a wrong answer comes back soon, a quick right one much later. Review asks only the questions that are due.',
  '',
  'Labs give you a task on the Bookinfo application. Write Istio YAML in the lab folder with any editor: every save is graded at once, with the simulator showing where the requests went.',
  '',
  `Mock exam is timed and scored per curriculum domain, like the real one. It keeps running when you leave the screen; \`${trainerCommand()} exam\` commands see the same exam.`,
  '',
  'Everything is saved as you go: quitting, or closing the terminal, loses nothing.',
].join('\n');

function helpLines(width: number): Line[] {
  const lines: Line[] = [...wrapText(INTRO, width), [], [span('Keys', 'accent', { bold: true })]];
  for (const name of ACTION_NAMES) {
    const b = BINDINGS[name];
    lines.push(
      ...wrapLine([span(`  ${keysText(name).padEnd(11)} `, undefined, { bold: true }), span(b.help)], width, {
        hang: 14,
      }),
    );
  }
  return lines;
}

export function HelpScreen(): ReactElement {
  const { width, height } = useBodySize();
  const [offset, setOffset] = useState(0);
  const lines = helpLines(width);
  const page = Math.max(1, height - 1);
  useKeys(['up', 'down', 'pageUp', 'pageDown'], (a) => {
    const delta = a.name === 'up' ? -1 : a.name === 'down' ? 1 : a.name === 'pageUp' ? -page : page;
    setOffset((o) => clampScroll(o + delta, lines.length, height));
  });
  return h(
    Frame,
    { title: 'Help', status: scrollNote(offset, height, lines.length) },
    h(LinesView, { lines, offset: clampScroll(offset, lines.length, height), height }),
  );
}
