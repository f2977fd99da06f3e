// Screens receive named actions, never raw keys: useKeys registers a handler for
// a scope of actions with the app's key registry (see key-registry.ts).
import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import { createKeyRegistry, type KeyEntry, type KeyRegistry, type Layer } from '../key-registry.ts';
import type { ActionName, FooterRename, KeyAction } from '../keys.ts';

export const KeysContext = createContext<KeyRegistry>(createKeyRegistry());

export interface UseKeysOptions {
  layer?: Layer;
  /** false: not listening (e.g. while loading) */
  active?: boolean;
  rename?: Partial<Record<ActionName, FooterRename>>;
}

export function useKeys(
  scope: readonly ActionName[],
  handler: (action: KeyAction) => boolean | undefined,
  options: UseKeysOptions = {},
): void {
  const registry = useContext(KeysContext);
  const ref = useRef(handler);
  ref.current = handler;
  const layer = options.layer ?? 'screen';
  const active = options.active ?? true;
  const scopeKey = scope.join(',');
  const renameKey = JSON.stringify(options.rename ?? {});
  useEffect(() => {
    if (!active) return undefined;
    const entry: KeyEntry = {
      layer,
      scope: scopeKey.split(',').filter(Boolean) as ActionName[],
      rename: JSON.parse(renameKey) as Partial<Record<ActionName, FooterRename>>,
      handler: (a) => {
        const r = ref.current(a);
        return r === false ? false : undefined;
      },
    };
    return registry.register(entry);
  }, [registry, layer, active, scopeKey, renameKey]);
}

/** The registry's entries that receive keys now (re-renders when they change). */
export function useActiveKeys(): readonly KeyEntry[] {
  const registry = useContext(KeysContext);
  useSyncExternalStore(registry.subscribe, registry.version, registry.version);
  return registry.active();
}
