// Every key binding of the terminal UI, in one place (DESIGN convention 8).
// Keys map to named actions; screens declare which actions they accept (their
// scope) and handle actions, never raw characters. The footer and the help
// screen are generated from this table, so they cannot drift from the code.
import type { Key } from 'ink';

export const ACTION_NAMES = [
  'up',
  'down',
  'left',
  'right',
  'pageUp',
  'pageDown',
  'first',
  'last',
  'select',
  'toggle',
  'choose',
  'nextPane',
  'prevPane',
  'edit',
  'hint',
  'solution',
  'regrade',
  'source',
  'flag',
  'skip',
  'done',
  'submit',
  'abandon',
  'yes',
  'no',
  'back',
  'help',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** What a key press means. `choose` carries the 0-based number pressed (1 -> 0). */
export type KeyAction = { name: Exclude<ActionName, 'choose'> } | { name: 'choose'; index: number };

type KeyFlag =
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'tab';

/** One way to press an action: a printable character, a special key, or a digit. */
export interface KeyPattern {
  input?: string;
  key?: KeyFlag;
  shift?: boolean;
  digit?: true;
}

export interface Binding {
  keys: readonly KeyPattern[];
  /** how the footer and help name the keys */
  label: string;
  /** what it does, in a word or two (the footer) */
  does: string;
  /** a sentence for the help screen */
  help: string;
}

export const BINDINGS: Record<ActionName, Binding> = {
  up: { keys: [{ key: 'upArrow' }, { input: 'k' }], label: '↑', does: 'up', help: 'Move up (also k).' },
  down: {
    keys: [{ key: 'downArrow' }, { input: 'j' }],
    label: '↓',
    does: 'down',
    help: 'Move down (also j).',
  },
  left: { keys: [{ key: 'leftArrow' }], label: '←', does: 'previous', help: 'Previous task or page.' },
  right: { keys: [{ key: 'rightArrow' }], label: '→', does: 'next', help: 'Next task or page.' },
  pageUp: { keys: [{ key: 'pageUp' }], label: 'PgUp', does: 'page up', help: 'Scroll a page up.' },
  pageDown: {
    keys: [{ key: 'pageDown' }],
    label: 'PgDn',
    does: 'page down',
    help: 'Scroll a page down.',
  },
  first: {
    keys: [{ key: 'home' }],
    label: 'Home',
    does: 'first',
    help: 'Go to the first entry (or the top).',
  },
  last: { keys: [{ key: 'end' }], label: 'End', does: 'last', help: 'Go to the last entry (or the bottom).' },
  select: { keys: [{ key: 'return' }], label: 'Enter', does: 'open', help: 'Open, submit or continue.' },
  toggle: {
    keys: [{ input: ' ' }],
    label: 'Space',
    does: 'toggle',
    help: 'Tick or untick an option (choose-all-that-apply questions).',
  },
  choose: {
    keys: [{ digit: true }],
    label: '1-9',
    does: 'choose',
    help: 'Choose an option or a menu entry by its number.',
  },
  nextPane: {
    keys: [{ key: 'tab', shift: false }],
    label: 'Tab',
    does: 'pane',
    help: 'Next pane: task, grade, traffic, hints.',
  },
  prevPane: {
    keys: [{ key: 'tab', shift: true }],
    label: 'S-Tab',
    does: 'previous pane',
    help: 'Previous pane.',
  },
  edit: {
    keys: [{ input: 'e' }],
    label: 'e',
    does: 'edit',
    help: 'Open $VISUAL or $EDITOR (YAML answers, lab files).',
  },
  hint: { keys: [{ input: 'h' }], label: 'h', does: 'hint', help: 'Show the next hint of the lab.' },
  solution: {
    keys: [{ input: 's' }],
    label: 's',
    does: 'solution',
    help: 'Show the reference solution (asks first; the lab is then marked as revealed).',
  },
  regrade: { keys: [{ input: 'r' }], label: 'r', does: 'grade now', help: 'Grade the workspace again now.' },
  source: {
    keys: [{ input: 'l' }],
    label: 'l',
    does: 'files/cluster',
    help: "Grade what is applied to the cluster (the context `cluster up` recorded, else kubectl's) instead of the workspace files, on every apply; again to go back.",
  },
  flag: { keys: [{ input: 'f' }], label: 'f', does: 'flag', help: 'Flag or unflag an exam task for review.' },
  skip: { keys: [{ input: 'x' }], label: 'x', does: 'skip', help: 'Skip an exam task (come back later).' },
  done: {
    keys: [{ input: 'd' }],
    label: 'd',
    does: 'mark done',
    help: 'Mark an exam lab task as done (it is graded from its folder on submit).',
  },
  submit: {
    keys: [{ input: 'S' }],
    label: 'S',
    does: 'submit exam',
    help: 'Submit the exam (asks first).',
  },
  abandon: {
    keys: [{ input: 'A' }],
    label: 'A',
    does: 'abandon exam',
    help: 'Abandon the exam in progress (asks first; its folders are kept, nothing is scored).',
  },
  yes: { keys: [{ input: 'y' }, { input: 'Y' }], label: 'y', does: 'yes', help: 'Confirm.' },
  no: { keys: [{ input: 'n' }, { input: 'N' }, { key: 'escape' }], label: 'n', does: 'no', help: 'Cancel.' },
  back: {
    keys: [{ input: 'q' }, { key: 'escape' }],
    label: 'q',
    does: 'back',
    help: 'Go back (q or Esc); on the home screen, quit.',
  },
  help: { keys: [{ input: '?' }], label: '?', does: 'help', help: 'Show this help.' },
};

const KEY_NAMES: Record<KeyFlag, string> = {
  upArrow: '↑',
  downArrow: '↓',
  leftArrow: '←',
  rightArrow: '→',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
  home: 'Home',
  end: 'End',
  return: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
};

/** Every key of a binding, as the help screen lists them ("q Esc"). */
export function keysText(name: ActionName): string {
  const names = BINDINGS[name].keys.map((p) => {
    if (p.digit) return '1-9';
    if (p.key) return `${p.shift ? 'Shift-' : ''}${KEY_NAMES[p.key]}`;
    return p.input === ' ' ? 'Space' : (p.input ?? '');
  });
  return [...new Set(names)].join(' ');
}

/** The parts of ink's Key that bindings look at (tests may pass fewer). */
export type KeyState = Partial<Pick<Key, KeyFlag | 'ctrl' | 'meta' | 'shift'>>;

function matches(p: KeyPattern, input: string, key: KeyState): boolean {
  if (p.key) {
    if (!key[p.key]) return false;
    return p.shift === undefined || Boolean(key.shift) === p.shift;
  }
  if (key.ctrl || key.meta) return false;
  if (p.digit) return /^[1-9]$/.test(input);
  return p.input === input;
}

/** The action a key press means within a scope, or undefined. The first action of the scope that matches wins. */
export function resolveKey(
  input: string,
  key: KeyState,
  scope: readonly ActionName[],
): KeyAction | undefined {
  for (const name of scope) {
    if (!BINDINGS[name].keys.some((p) => matches(p, input, key))) continue;
    if (name === 'choose') return { name, index: Number(input) - 1 };
    return { name };
  }
  return undefined;
}

/** Pairs shown as one footer entry ("↑↓ move"). */
const PAIRS: readonly [ActionName, ActionName, string][] = [
  ['up', 'down', 'move'],
  ['left', 'right', 'prev/next'],
  ['pageUp', 'pageDown', 'scroll'],
  ['yes', 'no', 'yes/no'],
];

export interface FooterItem {
  keys: string;
  does: string;
}

/**
 * A screen's footer wording for an action: what it does there, or also which of its keys
 * apply (the rating after a right answer takes 1-4, not 1-9).
 */
export type FooterRename = string | FooterItem;

/** The footer's entries for a scope, in scope order; `does` (and keys) may be renamed per screen. */
export function footerItems(
  scope: readonly ActionName[],
  rename: Partial<Record<ActionName, FooterRename>> = {},
): FooterItem[] {
  const doesOf = (name: ActionName, fallback: string) => {
    const r = rename[name];
    return typeof r === 'object' ? r.does : (r ?? fallback);
  };
  const out: FooterItem[] = [];
  const done = new Set<ActionName>();
  // the footer keeps to one row: page keys go with the arrows, Shift-Tab with Tab (help lists them all)
  if (scope.includes('up') && scope.includes('pageUp')) done.add('pageUp').add('pageDown');
  if (scope.includes('up')) done.add('first').add('last');
  if (scope.includes('nextPane')) done.add('prevPane');
  for (const name of scope) {
    if (done.has(name)) continue;
    done.add(name);
    const pair = PAIRS.find(
      ([a, b]) => (a === name && scope.includes(b)) || (b === name && scope.includes(a)),
    );
    if (pair) {
      const [a, b, does] = pair;
      done.add(a);
      done.add(b);
      const keys =
        a === 'pageUp' ? 'PgUp/PgDn' : a === 'yes' ? 'y/n' : `${BINDINGS[a].label}${BINDINGS[b].label}`;
      out.push({ keys, does: doesOf(a, does) });
      continue;
    }
    const r = rename[name];
    out.push({
      keys: typeof r === 'object' ? r.keys : BINDINGS[name].label,
      does: doesOf(name, BINDINGS[name].does),
    });
  }
  return out;
}

/**
 * The footer entries that fit in `width` (two spaces between entries): `q` and `?`
 * always stay (how to leave, how to see every key); the others give way from the end.
 */
export function fitFooter(items: readonly FooterItem[], width: number): FooterItem[] {
  const kept = (item: FooterItem) => item.keys === BINDINGS.back.label || item.keys === BINDINGS.help.label;
  const size = (item: FooterItem) => item.keys.length + 1 + item.does.length;
  const essentials = items.filter(kept);
  let budget = width - essentials.reduce((n, item, i) => n + size(item) + (i ? 2 : 0), 0);
  let full = false;
  return items.filter((item) => {
    if (kept(item)) return true;
    const need = size(item) + 2;
    if (full || need > budget) {
      full = true;
      return false;
    }
    budget -= need;
    return true;
  });
}
