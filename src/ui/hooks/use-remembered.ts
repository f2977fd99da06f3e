// State that survives leaving a screen and coming back (the home menu's cursor,
// the lab list's position), for as long as the trainer runs.
import { createContext, useCallback, useContext, useState } from 'react';

export const MemoryContext = createContext<Map<string, unknown>>(new Map());

export function useRemembered<T>(key: string, initial: T): [T, (next: T | ((prev: T) => T)) => void] {
  const memory = useContext(MemoryContext);
  const [value, setValue] = useState<T>(() => (memory.has(key) ? (memory.get(key) as T) : initial));
  const set = useCallback(
    (next: T | ((prev: T) => T)) => {
      setValue((prev) => {
        const v = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
        memory.set(key, v);
        return v;
      });
    },
    [memory, key],
  );
  return [value, set];
}
