// istioctl's --set for `install manifest generate`: a path into the IstioOperator spec
// (keys, list indices and item selectors) and its value, applied to the -f files alone,
// before their profile is laid under them, as istioctl 1.24+ does (render.MergeInputs): a
// list --set writes replaces the profile's list. Apart from install-actions.ts, which runs
// the commands.
import { UserError } from './output.ts';

type Spec = Record<string, unknown>;

/** `--set a.b=c`: strings, with true/false and numbers typed as istioctl's --set does. */
type PathToken = { key: string } | { index: number } | { match: [string, string] } | { item: string };

/**
 * A --set path as istioctl reads it: keys separated by dots, each optionally followed by
 * list selectors, `[0]` (an index), `[name:istio-egressgateway]` (the item whose field
 * has that value) or `[value]` (the item equal to it); missing nodes are created.
 */
export function parseSetPath(path: string): PathToken[] {
  const tokens: PathToken[] = [];
  for (const part of path.split(/\.(?![^[]*\])/)) {
    const m = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(part);
    if (!m)
      throw new UserError(`--set ${path}: cannot read "${part}" (write key, key[0] or key[name:value])`);
    if (m[1]) tokens.push({ key: m[1] });
    for (const sel of (m[2] ?? '').match(/\[[^\]]*\]/g) ?? []) {
      const inner = sel.slice(1, -1);
      const colon = inner.indexOf(':');
      if (/^\d+$/.test(inner)) tokens.push({ index: Number(inner) });
      else if (colon > 0) tokens.push({ match: [inner.slice(0, colon), inner.slice(colon + 1)] });
      else tokens.push({ item: inner });
    }
  }
  return tokens;
}

export function applySets(spec: Spec, sets: readonly string[]): Spec {
  const out = structuredClone(spec) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0)
      throw new UserError(`--set ${s}: expected path=value, e.g. meshConfig.accessLogFile=/dev/stdout`);
    const tokens = parseSetPath(s.slice(0, eq));
    const raw = s.slice(eq + 1);
    const value: unknown =
      raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    // walk with (container, slot) pairs: a slot is a key of an object or an index of a list
    let container: Record<string, unknown> | unknown[] = out;
    let slot: string | number | undefined;
    const descend = (wantList: boolean): Record<string, unknown> | unknown[] => {
      const holder = container as Record<string | number, unknown>;
      const cur = holder[slot as string | number];
      const ok = wantList
        ? Array.isArray(cur)
        : cur !== null && typeof cur === 'object' && !Array.isArray(cur);
      if (!ok) holder[slot as string | number] = wantList ? [] : {};
      return holder[slot as string | number] as Record<string, unknown> | unknown[];
    };
    for (const t of tokens) {
      if ('key' in t) {
        if (slot !== undefined) container = descend(false);
        slot = t.key;
        continue;
      }
      const list = slot === undefined ? [] : (descend(true) as unknown[]);
      let i: number;
      if ('index' in t) {
        // past the end, istioctl appends one item (values.setPathRecurse)
        i = t.index < list.length ? t.index : list.push({}) - 1;
      } else if ('match' in t) {
        const [k, v] = t.match;
        i = list.findIndex(
          (x) => x && typeof x === 'object' && String((x as Record<string, unknown>)[k]) === v,
        );
        if (i < 0)
          throw new UserError(
            `--set ${s}: element [${k}:${v}] not found (istioctl looks in the -f files, not the profile)`,
          );
      } else {
        i = list.findIndex((x) => String(x) === t.item);
        if (i < 0) i = list.push(t.item) - 1;
      }
      container = list;
      slot = i;
    }
    if (slot === undefined)
      throw new UserError(`--set ${s}: expected path=value, e.g. meshConfig.accessLogFile=/dev/stdout`);
    (container as Record<string | number, unknown>)[slot] = value;
  }
  return out as Spec;
}
