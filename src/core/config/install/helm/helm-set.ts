// `--set` as helm reads it, for `install helm check` and the plan's helm commands.
const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `--set a.b=c,d=e` as helm reads it: true/false/null and integers typed, the rest strings. */
export function applyHelmSet(
  values: Record<string, unknown>,
  set: string,
  asStrings = false,
): Record<string, unknown> {
  const out = structuredClone(values);
  for (const pair of set.split(/,(?=[^,=]+=)/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--set ${pair}: expected key=value, e.g. pilot.replicaCount=2`);
    // a\.b is one key (labels.topology\.istio\.io/network), {a,b} a list, as helm reads them
    const keys = pair
      .slice(0, eq)
      .split(/(?<!\\)\./)
      .map((k) => k.replace(/\\\./g, '.'));
    const raw = pair.slice(eq + 1);
    const typed = (r: string): unknown =>
      asStrings
        ? r
        : r === 'true'
          ? true
          : r === 'false'
            ? false
            : r === 'null'
              ? null
              : /^-?\d+$/.test(r)
                ? Number(r)
                : r;
    const list = /^\{(.*)\}$/.exec(raw);
    const items = list?.[1] ?? '';
    const value: unknown = list ? (items === '' ? [] : items.split(',').map(typed)) : typed(raw);
    let cur: Record<string, unknown> = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) cur[k] = value;
      else {
        if (!isMap(cur[k])) cur[k] = {};
        cur = cur[k] as Record<string, unknown>;
      }
    });
  }
  return out;
}
