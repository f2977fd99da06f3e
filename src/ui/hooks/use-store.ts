// A reducer whose latest state handlers can read at once. Keys can arrive
// faster than React re-renders (two presses in one read): a handler that read
// the rendered state would act on the state before the previous press.
import { useCallback, useRef, useState } from 'react';

export interface Store<S, A> {
  state: S;
  dispatch(action: A): void;
  /** the state after every action dispatched so far (rendered or not) */
  get(): S;
}

export function useStore<S, A>(reducer: (s: S, a: A) => S, init: () => S): Store<S, A> {
  const [state, setState] = useState<S>(init);
  const ref = useRef<S>(state);
  const dispatch = useCallback(
    (action: A) => {
      ref.current = reducer(ref.current, action);
      setState(ref.current);
    },
    [reducer],
  );
  const get = useCallback(() => ref.current, []);
  return { state, dispatch, get };
}
