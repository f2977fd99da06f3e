// Live grading of a lab workspace: once on opening, then after every save
// (fs.watch, debounced). One grade runs at a time; saves during a run queue one
// more. The previous result stays on screen until the next is ready.
import { useCallback, useEffect, useRef } from 'react';
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import { errorText, type TuiEnv } from '../services/env.ts';
import { gradeWithTraffic, type LabGrade } from '../services/lab.ts';

export interface GraderEvents {
  grading(): void;
  graded(grade: LabGrade, cause: 'open' | 'save' | 'request'): void;
  failed(message: string): void;
}

export function useLabGrader(
  env: TuiEnv,
  lab: LoadedExercise | undefined,
  dir: string | undefined,
  events: GraderEvents,
): { regrade(): void } {
  const eventsRef = useRef(events);
  eventsRef.current = events;
  const control = useRef({ running: false, again: undefined as undefined | 'save' | 'request', live: true });

  const run = useCallback(
    async (cause: 'open' | 'save' | 'request'): Promise<void> => {
      const c = control.current;
      if (!lab || !dir) return;
      if (c.running) {
        c.again = c.again === 'request' ? 'request' : cause === 'open' ? 'save' : cause;
        return;
      }
      c.running = true;
      eventsRef.current.grading();
      try {
        const grade = await gradeWithTraffic(env, lab, dir);
        if (c.live) eventsRef.current.graded(grade, cause);
      } catch (e) {
        if (c.live) eventsRef.current.failed(`could not grade: ${errorText(e)}`);
      } finally {
        c.running = false;
        const again = c.again;
        c.again = undefined;
        if (again && c.live) void run(again);
      }
    },
    [env, lab, dir],
  );

  useEffect(() => {
    if (!lab || !dir) return undefined;
    const c = control.current;
    c.live = true;
    let timer: NodeJS.Timeout | undefined;
    let handle: { close(): void } | undefined;
    void run('open');
    try {
      handle = env.watch(
        dir,
        (file) => {
          if (file && !/\.ya?ml$/i.test(file)) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => void run('save'), env.debounceMs);
        },
        (e) => eventsRef.current.failed(`stopped watching the workspace: ${e.message}`),
      );
    } catch (e) {
      eventsRef.current.failed(`cannot watch the workspace (press r to grade): ${errorText(e)}`);
    }
    return () => {
      c.live = false;
      if (timer) clearTimeout(timer);
      handle?.close();
    };
  }, [env, lab, dir, run]);

  return { regrade: useCallback(() => void run('request'), [run]) };
}
