// Live grading of a lab: once on opening, then after every change (debounced).
// The source is the workspace (fs.watch on its files) or the cluster (the
// Kubernetes watch API on the namespace's Istio resources). One grade runs at a
// time; changes during a run queue one more. The previous result stays on screen
// until the next is ready.
import { useCallback, useEffect, useRef } from 'react';
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import { errorText, type TuiEnv, type WatchHandle } from '../services/env.ts';
import { gradeWithTraffic, type LabGrade } from '../services/lab.ts';

export type GradeSource = 'files' | 'cluster';

export interface GraderEvents {
  grading(): void;
  graded(grade: LabGrade, cause: 'open' | 'save' | 'request'): void;
  failed(message: string): void;
  /** grading from the cluster: which context and namespace */
  connected?(label: string): void;
  /** no cluster to grade: one line saying what is missing and how to get it */
  unavailable?(message: string, detail: string): void;
}

type Cause = 'open' | 'save' | 'request';

export function useLabGrader(
  env: TuiEnv,
  lab: LoadedExercise | undefined,
  dir: string | undefined,
  events: GraderEvents,
  source: GradeSource = 'files',
): { regrade(): void } {
  const eventsRef = useRef(events);
  eventsRef.current = events;
  const control = useRef({
    running: false,
    again: undefined as undefined | 'save' | 'request',
    live: true,
    grade: undefined as undefined | (() => Promise<LabGrade>),
  });

  const run = useCallback(async (cause: Cause): Promise<void> => {
    const c = control.current;
    const grade = c.grade;
    if (!grade) return;
    if (c.running) {
      c.again = c.again === 'request' ? 'request' : cause === 'open' ? 'save' : cause;
      return;
    }
    c.running = true;
    eventsRef.current.grading();
    try {
      const result = await grade();
      if (c.live && c.grade === grade) eventsRef.current.graded(result, cause);
    } catch (e) {
      if (c.live && c.grade === grade) eventsRef.current.failed(`could not grade: ${errorText(e)}`);
    } finally {
      c.running = false;
      const again = c.again;
      c.again = undefined;
      if (again && c.live) void run(again);
    }
  }, []);

  useEffect(() => {
    if (!lab || !dir) return undefined;
    const c = control.current;
    c.live = true;
    let timer: NodeJS.Timeout | undefined;
    let handle: WatchHandle | undefined;
    let closed = false;
    const changed = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run('save'), env.debounceMs);
    };
    if (source === 'files') {
      c.grade = () => gradeWithTraffic(env, lab, dir);
      void run('open');
      try {
        handle = env.watch(
          dir,
          (file) => {
            if (!file || /\.ya?ml$/i.test(file)) changed();
          },
          (e) => eventsRef.current.failed(`stopped watching the workspace: ${e.message}`),
        );
      } catch (e) {
        eventsRef.current.failed(`cannot watch the workspace (press r to grade): ${errorText(e)}`);
      }
    } else {
      c.grade = undefined;
      eventsRef.current.grading();
      void import('../services/lab-cluster.ts')
        .then(({ openClusterGrading }) => openClusterGrading(env, lab))
        .then((cluster) => {
          if (closed) return;
          eventsRef.current.connected?.(cluster.label);
          c.grade = cluster.grade;
          void run('open');
          handle = cluster.watch(changed, (message) => eventsRef.current.failed(message));
        })
        .catch((e: unknown) => {
          if (closed) return;
          const detail = (e as { detail?: unknown }).detail;
          if (typeof detail === 'string' && eventsRef.current.unavailable)
            eventsRef.current.unavailable(errorText(e), detail);
          else eventsRef.current.failed(`cannot grade from the cluster: ${errorText(e)}`);
        });
    }
    return () => {
      closed = true;
      c.live = false;
      c.grade = undefined;
      if (timer) clearTimeout(timer);
      handle?.close();
    };
  }, [env, lab, dir, source, run]);

  return { regrade: useCallback(() => void run('request'), [run]) };
}
