// The exam session as a pure reducer (DESIGN convention 9): the TUI and the CLI
// dispatch the same actions; saving and grading happen outside.
import type { ExamPlan } from './plan.ts';

export type TaskStatus = 'open' | 'answered' | 'skipped';

export interface TaskState {
  status: TaskStatus;
  flagged: boolean;
  /** for questions: the answer as typed ("b", "a,c", "true") */
  answer?: string;
}

export interface ExamSession {
  plan: ExamPlan;
  /** epoch ms */
  startedAt: number;
  current: number;
  tasks: TaskState[];
  submitted: boolean;
}

export type ExamAction =
  | { type: 'goto'; index: number }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'toggle-flag'; index?: number }
  | { type: 'skip'; index?: number }
  | { type: 'answer'; index?: number; answer: string }
  | { type: 'mark-done'; index?: number }
  | { type: 'submit' };

export function startSession(plan: ExamPlan, now: number): ExamSession {
  return {
    plan,
    startedAt: now,
    current: 0,
    tasks: plan.tasks.map(() => ({ status: 'open', flagged: false })),
    submitted: false,
  };
}

function clamp(s: ExamSession, i: number): number {
  return Math.max(0, Math.min(s.plan.tasks.length - 1, i));
}

function updateTask(
  s: ExamSession,
  index: number | undefined,
  change: (t: TaskState) => TaskState,
): ExamSession {
  const i = clamp(s, index ?? s.current);
  const tasks = s.tasks.map((t, n) => (n === i ? change(t) : t));
  return { ...s, tasks };
}

export function examReducer(s: ExamSession, action: ExamAction): ExamSession {
  if (s.submitted) return s;
  switch (action.type) {
    case 'goto':
      return { ...s, current: clamp(s, action.index) };
    case 'next':
      return { ...s, current: clamp(s, s.current + 1) };
    case 'prev':
      return { ...s, current: clamp(s, s.current - 1) };
    case 'toggle-flag':
      return updateTask(s, action.index, (t) => ({ ...t, flagged: !t.flagged }));
    case 'skip':
      return updateTask(s, action.index, (t) => (t.status === 'answered' ? t : { ...t, status: 'skipped' }));
    case 'answer':
      return updateTask(s, action.index, (t) => ({ ...t, status: 'answered', answer: action.answer }));
    case 'mark-done':
      return updateTask(s, action.index, (t) => ({ ...t, status: 'answered' }));
    case 'submit':
      return { ...s, submitted: true };
  }
}

export function deadline(s: ExamSession): number {
  return s.startedAt + s.plan.minutes * 60_000;
}

export function remainingMs(s: ExamSession, now: number): number {
  return Math.max(0, deadline(s) - now);
}

export function timeUp(s: ExamSession, now: number): boolean {
  return now >= deadline(s);
}

export function formatRemaining(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
