// An index of host names (concrete and `*.suffix` wildcards) answering "which indexed
// hosts overlap this one?" by looking up the host's label suffixes, so that checks
// over every pair of hosts (duplicates, conflicts) stay near-linear: a host with k
// labels costs k lookups, whatever the number of hosts indexed. Matching is Istio's
// host.Name semantics (see hosts.ts hostCovers): `*.example.com` covers any name
// ending in `.example.com`, at any depth; `*` covers every name.

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addList<T>(out: T[][], list: T[] | undefined): void {
  if (list && list.length > 0) out.push(list);
}

export class HostIndex<T> {
  /** concrete host -> items */
  private readonly exact = new Map<string, T[]>();
  /** wildcard suffix (".example.com", "" for "*") -> items */
  private readonly wild = new Map<string, T[]>();
  /** everything added, in order: the suffix maps below are built from it on demand */
  private readonly added: { host: string; item: T }[] = [];
  private underBuilt = 0;
  /** label suffix -> items of concrete hosts ending in it (covered by `*` + suffix) */
  private readonly exactUnder = new Map<string, T[]>();
  /** label suffix -> items of wildcards ending in it (covered by `*` + suffix) */
  private readonly wildUnder = new Map<string, T[]>();

  add(host: string, item: T): void {
    if (host.startsWith('*')) push(this.wild, host.slice(1), item);
    else push(this.exact, host, item);
    this.added.push({ host, item });
  }

  /**
   * Items whose host overlaps `host` (some name matches both), each list in the order
   * added. An item indexed under several matching keys can appear more than once.
   */
  overlapping(host: string): T[][] {
    // plain loops, no callbacks: this runs once per host of every resource
    const out: T[][] = [];
    if (!host.startsWith('*')) {
      addList(out, this.exact.get(host));
      // wildcards covering it: `*` + one of its label suffixes ("*.b.c" for "a.b.c")
      if (this.wild.size > 0) {
        for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1))
          addList(out, this.wild.get(host.slice(i)));
        addList(out, this.wild.get(''));
      }
      return out;
    }
    const suffix = host.slice(1);
    // wildcards covering it, itself included: `*` + one of its label suffixes
    addList(out, this.wild.get(suffix));
    for (let i = host.indexOf('.', 1); i !== -1; i = host.indexOf('.', i + 1)) {
      const s = host.slice(i);
      if (s !== suffix) addList(out, this.wild.get(s));
    }
    if (suffix !== '') addList(out, this.wild.get(''));
    // what it covers: concrete hosts and narrower wildcards under its suffix
    this.buildUnder();
    addList(out, this.exactUnder.get(suffix));
    addList(out, this.wildUnder.get(suffix));
    return out;
  }

  /** Only wildcard queries need the suffix maps: built then, for what was added since. */
  private buildUnder(): void {
    for (; this.underBuilt < this.added.length; this.underBuilt++) {
      const { host, item } = this.added[this.underBuilt]!;
      const target = host.startsWith('*') ? this.wildUnder : this.exactUnder;
      const start = host.startsWith('*') ? 1 : 0;
      for (let i = host.indexOf('.', start); i !== -1; i = host.indexOf('.', i + 1))
        push(target, host.slice(i), item);
      push(target, '', item);
    }
  }
}
