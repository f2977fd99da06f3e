// The keys the exam screen takes in each of its states.
import type { ActionName } from '../keys.ts';
import type { ExamScreenState } from '../state/exam.ts';

export type TaskKind = 'lab' | 'single' | 'multiple' | 'truefalse';

/** The keys each part of the screen takes. */
export function keyScope(s: ExamScreenState, kind: TaskKind | undefined): readonly ActionName[] {
  if (s.confirmSubmit || s.confirmAbandon) return [];
  if (s.phase === 'start')
    return s.last
      ? ['up', 'down', 'choose', 'select', 'regrade', 'back']
      : ['up', 'down', 'choose', 'select', 'back'];
  if (s.phase === 'result')
    return s.review === undefined
      ? ['up', 'down', 'select', 'back']
      : ['up', 'down', 'pageUp', 'pageDown', 'left', 'right', 'back'];
  if (s.phase !== 'running') return [];
  const exam = ['flag', 'skip', 'submit', 'abandon', 'back'] as const;
  if (s.view === 'list') return ['up', 'down', 'select', ...exam];
  if (kind === 'lab')
    return ['left', 'right', 'up', 'down', 'pageUp', 'pageDown', 'edit', 'regrade', 'done', ...exam];
  if (kind === 'multiple') return ['left', 'right', 'up', 'down', 'choose', 'toggle', 'select', ...exam];
  return ['left', 'right', 'up', 'down', 'choose', 'select', ...exam];
}
