// Who gets a key press. Screens, dialogs and the app register handlers with a
// scope of actions on a layer (modal above screen above global); one router
// resolves each press against the top handlers first. The footer reads the
// same registry, so it always shows the keys that work right now.
import { type ActionName, type FooterRename, type KeyAction, type KeyState, resolveKey } from './keys.ts';

export const LAYERS = { global: 0, screen: 1, modal: 2 } as const;
export type Layer = keyof typeof LAYERS;

export interface KeyEntry {
  layer: Layer;
  scope: readonly ActionName[];
  /** footer wording per action ("quit" instead of "back" on the home screen) */
  rename?: Partial<Record<ActionName, FooterRename>>;
  /** return false to let the press fall through to lower handlers */
  handler: (action: KeyAction) => boolean | undefined;
}

interface Registered extends KeyEntry {
  id: number;
}

export interface KeyRegistry {
  register(entry: KeyEntry): () => void;
  /** routes a key press; true when a handler took it */
  dispatch(input: string, key: KeyState): boolean;
  /** the entries that can receive keys now, top first (a modal hides everything below it) */
  active(): readonly KeyEntry[];
  subscribe(listener: () => void): () => void;
  /** changes whenever the registrations change (for useSyncExternalStore) */
  version(): number;
}

export function createKeyRegistry(): KeyRegistry {
  let entries: Registered[] = [];
  let nextId = 1;
  let version = 0;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    version++;
    for (const l of listeners) l();
  };
  const ordered = (): Registered[] =>
    [...entries].sort((a, b) => LAYERS[b.layer] - LAYERS[a.layer] || b.id - a.id);
  const active = (): Registered[] => {
    const list = ordered();
    const top = list[0];
    return top?.layer === 'modal' ? list.filter((e) => e.layer === 'modal' && e.id === top.id) : list;
  };
  return {
    register(entry) {
      const registered = { ...entry, id: nextId++ };
      entries.push(registered);
      changed();
      return () => {
        entries = entries.filter((e) => e !== registered);
        changed();
      };
    },
    dispatch(input, key) {
      for (const entry of active()) {
        const action = resolveKey(input, key, entry.scope);
        if (action && entry.handler(action) !== false) return true;
      }
      return false;
    },
    active,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
  };
}
