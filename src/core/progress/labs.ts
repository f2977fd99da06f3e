// Per-lab progress: status, attempts, hints used, time spent, in the learner
// state file's `labs` section.
import { z } from 'zod';
import type { LearnerState } from './state.ts';
import { loadState, StateError, type StoreOptions, updateState } from './store.ts';

export const LAB_STATUSES = ['not started', 'attempted', 'passed', 'revealed'] as const;
export type LabStatus = (typeof LAB_STATUSES)[number];

const isoDate = z.iso.datetime({ offset: true });

export const labProgressSchema = z
  .object({
    status: z.enum(LAB_STATUSES).default('not started'),
    attempts: z.number().int().min(0).default(0).describe('graded checks'),
    hintsUsed: z.number().int().min(0).default(0),
    revealed: z.boolean().default(false).describe('the solution was shown'),
    timeSpentMs: z.number().min(0).default(0),
    startedAt: isoDate.optional(),
    passedAt: isoDate.optional(),
    lastActivityAt: isoDate.optional(),
  })
  .describe('what the trainer knows about one lab');
export type LabProgress = z.infer<typeof labProgressSchema>;

export const LABS_SECTION = z
  .record(z.string(), labProgressSchema)
  .default({})
  .describe('lab progress by lab id');

/** Gaps longer than this between two actions do not count as time spent. */
export const IDLE_GAP_MS = 15 * 60 * 1000;

export type LabEvent = 'start' | 'pass' | 'fail' | 'hint' | 'reveal';

function labsOf(state: LearnerState): Record<string, LabProgress> {
  const s = state as LearnerState & { labs?: unknown };
  const parsed = LABS_SECTION.safeParse(s.labs ?? {});
  if (!parsed.success) {
    // never replace learner data we cannot read: stop and say where
    const issue = parsed.error.issues[0];
    throw new StateError(
      `the "labs" section of the progress file is not valid (labs.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}); the file was left untouched`,
    );
  }
  s.labs = parsed.data;
  return parsed.data;
}

export function labProgress(state: LearnerState, id: string): LabProgress {
  return labsOf(state)[id] ?? labProgressSchema.parse({});
}

/** Applies one event to a lab's progress (pure, for tests and the TUI's reducers). */
export function applyLabEvent(p: LabProgress, event: LabEvent, now: Date): LabProgress {
  const next = { ...p };
  const at = now.toISOString();
  if (next.lastActivityAt) {
    const gap = now.getTime() - Date.parse(next.lastActivityAt);
    if (gap > 0 && gap <= IDLE_GAP_MS) next.timeSpentMs += gap;
  }
  next.lastActivityAt = at;
  if (!next.startedAt) next.startedAt = at;
  switch (event) {
    case 'start':
      break;
    case 'pass':
      next.attempts++;
      if (!next.passedAt) next.passedAt = at;
      break;
    case 'fail':
      next.attempts++;
      break;
    case 'hint':
      next.hintsUsed++;
      break;
    case 'reveal':
      next.revealed = true;
      break;
  }
  next.status = next.passedAt ? 'passed' : next.revealed ? 'revealed' : 'attempted';
  return next;
}

export async function recordLabEvent(
  id: string,
  event: LabEvent,
  options: StoreOptions = {},
): Promise<{ progress: LabProgress; notices: string[] }> {
  const now = options.now?.() ?? new Date();
  const { result, notices } = await updateState((state) => {
    const labs = labsOf(state);
    const updated = applyLabEvent(labs[id] ?? labProgressSchema.parse({}), event, now);
    labs[id] = updated;
    return updated;
  }, options);
  return { progress: result, notices };
}

/** Lab progress by id, from a loaded state. */
export function readLabsProgressFrom(state: LearnerState): Record<string, LabProgress> {
  return labsOf(state);
}

export async function readLabsProgress(
  options: StoreOptions = {},
): Promise<{ labs: Record<string, LabProgress>; notices: string[] }> {
  const { state, notices } = await loadState(options);
  return { labs: labsOf(state), notices };
}
