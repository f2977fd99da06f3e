// What the screens need from the outside world, in one object that run.ts
// builds and tests replace: where state and workspaces live, the clock, the
// editor, the file watcher. Core modules are imported lazily by the services,
// so the first frame does not wait for them.
import { createContext, useContext } from 'react';

export interface WatchHandle {
  close(): void;
}

export interface TuiEnv {
  /** the learner-state folder (undefined: $ICA_TRAINER_HOME or the platform default) */
  home?: string;
  /** where lab workspaces (ica-labs/) and exam folders (ica-exam/) are created */
  cwd: string;
  /** quiz bank folder (undefined: the shipped quizzes/) */
  quizDir?: string;
  /** exercises folder (undefined: the shipped exercises/) */
  exercisesDir?: string;
  now(): Date;
  /** seeds new mock exams (tests fix it) */
  random(): number;
  /** runs the learner's editor on a file and resolves when it exits */
  openEditor(file: string): Promise<void>;
  /** watches a folder recursively; calls back with the changed file name */
  watch(dir: string, onChange: (file: string | undefined) => void, onError: (e: Error) => void): WatchHandle;
  /** quiet time after the last save before a lab is graded again */
  debounceMs: number;
  /** exam countdown refresh (ms) */
  tickMs: number;
  /** the cluster a lab is graded from with `l` (default: the context `cluster up` recorded, else kubectl's) */
  cluster?: { kubeconfig?: string; context?: string; namespace?: string };
}

export const EnvContext = createContext<TuiEnv | undefined>(undefined);

export function useEnv(): TuiEnv {
  const env = useContext(EnvContext);
  if (!env) throw new Error('useEnv outside of <EnvContext.Provider>');
  return env;
}

/** A failure as one line for the learner (no stack trace). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
