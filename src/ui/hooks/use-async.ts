// Runs an async core call for a screen and keeps its outcome; a failure is a
// message (never a crash). `reload` runs it again; a stale run is ignored.
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../services/env.ts';

export type Async<T> =
  | { status: 'loading' }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: string };

export function useAsync<T>(run: () => Promise<T>, deps: DependencyList): Async<T> & { reload(): void } {
  const [state, setState] = useState<Async<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to run again
  useEffect(() => {
    let live = true;
    runRef
      .current()
      .then((value) => live && setState({ status: 'ok', value }))
      .catch((e: unknown) => live && setState({ status: 'error', error: errorText(e) }));
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
