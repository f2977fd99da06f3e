// Things the learner must be told once and that outlive a screen: a progress
// file that was unusable and moved aside, a file from a newer release.
import { createContext, useCallback, useContext, useMemo, useState } from 'react';

export interface Notices {
  list: readonly string[];
  add(notices: readonly string[]): void;
}

export const NoticesContext = createContext<Notices>({ list: [], add: () => undefined });

export function useNotices(): Notices {
  return useContext(NoticesContext);
}

/** The app's notice list (deduplicated, in order of arrival). */
export function useNoticeList(initial: readonly string[] = []): Notices {
  const [list, setList] = useState<readonly string[]>(initial);
  const add = useCallback((more: readonly string[]) => {
    if (more.length === 0) return;
    setList((l) => {
      const fresh = more.filter((n) => !l.includes(n));
      return fresh.length ? [...l, ...fresh] : l;
    });
  }, []);
  return useMemo(() => ({ list, add }), [list, add]);
}
