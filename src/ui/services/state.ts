// Reading the learner state for display. A file from a newer release (the one
// case loadState refuses) becomes a notice and an empty state, so the trainer
// still opens; saving then reports the same problem where it happens.
import type { LearnerState } from '../../core/progress/state.ts';
import type { TuiEnv } from './env.ts';

export interface ReadState {
  state: LearnerState;
  notices: string[];
  /** false when the file could not be used at all */
  usable: boolean;
}

export async function readState(env: Pick<TuiEnv, 'home' | 'now'>): Promise<ReadState> {
  const store = await import('../../core/progress/store.ts');
  try {
    const loaded = await store.loadState({ ...storeOptions(env) });
    return { state: loaded.state, notices: loaded.notices, usable: true };
  } catch (e) {
    const { emptyState } = await import('../../core/progress/state.ts');
    return { state: emptyState(env.now()), notices: [(e as Error).message], usable: false };
  }
}

/** StoreOptions for the core store. */
export function storeOptions(env: Pick<TuiEnv, 'home' | 'now'>): { home?: string; now: () => Date } {
  return env.home ? { home: env.home, now: env.now } : { now: env.now };
}

let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs state writes one after another. Each core call loads, changes and saves
 * the whole file; two at once (a hint and a grade) would lose one of them.
 */
export function serialized<T>(write: () => Promise<T>): Promise<T> {
  const run = tail.then(write, write);
  tail = run.catch(() => undefined);
  return run;
}

/** Resolves when every write queued so far has finished. */
export function whenSaved(): Promise<void> {
  return tail.then(() => undefined);
}
