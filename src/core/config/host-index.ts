// An index of host names (concrete and `*.suffix` wildcards) answering "which indexed
// hosts overlap this one?" by looking up the host's label suffixes, so that checks
// over every pair of hosts (duplicates, conflicts) stay near-linear: a host with k
// labels costs k lookups, whatever the number of hosts indexed. Matching is Istio's
// host.Name semantics (see hosts.ts hostCovers): `*.example.com` covers any name
// ending in `.example.com`, at any depth; `*` covers every name.

function push<T>(map: Map<string, T[]>, key: string, value: T): T[] {
  const list = map.get(key);
  if (list) {
    list.push(value);
    return list;
  }
  const made = [value];
  map.set(key, made);
  return made;
}

/** The answer when no host overlaps: shared, callers only read answers. */
const NO_LISTS: readonly never[] = Object.freeze([]);

/** `out` with `list` added when it holds something (an array is made only then: most answers are one list or none). */
function addList<T>(out: T[][] | undefined, list: T[] | undefined): T[][] | undefined {
  if (!list || list.length === 0) return out;
  if (!out) return [list];
  out.push(list);
  return out;
}

/**
 * A domain (".b.c", "" for the root) in the tree of the hosts added: each host hangs
 * under its closest enclosing domain, so a host costs one lookup, not one per label.
 */
interface Domain<T> {
  parent: Domain<T> | undefined;
  children: Domain<T>[];
  /** positions in the added lists of concrete hosts and of wildcards hanging here */
  exact: number[];
  wild: number[];
  /** once asked for: the items of concrete hosts and of wildcards at or under it, in the order added */
  under?: { exact: T[]; wild: T[] };
}

function newDomain<T>(): Domain<T> {
  return { parent: undefined, children: [], exact: [], wild: [] };
}

export class HostIndex<T> {
  /** concrete host -> items */
  private readonly exact = new Map<string, T[]>();
  /** wildcard suffix (".example.com", "" for "*") -> items */
  private readonly wild = new Map<string, T[]>();
  /** lengths of the wildcard suffixes: a host's suffix of another length is not looked up (nor cut out) */
  private readonly wildLengths = new Set<number>();
  /** everything added, in order (hosts and items side by side): the domain tree is built from them on demand */
  private readonly addedHosts: string[] = [];
  private readonly addedItems: T[] = [];
  /** for a concrete host added, the list it went into (undefined for a wildcard) */
  private readonly addedLists: (T[] | undefined)[] = [];
  private treeBuilt = 0;
  /** domain suffix -> its node in the tree of the hosts added */
  private readonly domains = new Map<string, Domain<T>>();
  /** concrete hosts some wildcard covers, and how many hosts had been added when they were found */
  private covered: Set<string> | undefined;
  private coveredAt = 0;

  /** Adds an item under a host; returns its position (for `aloneAt`). */
  add(host: string, item: T): number {
    let list: T[] | undefined;
    if (host.startsWith('*')) {
      push(this.wild, host.slice(1), item);
      this.wildLengths.add(host.length - 1);
    } else list = push(this.exact, host, item);
    this.addedHosts.push(host);
    this.addedItems.push(item);
    this.addedLists.push(list);
    return this.addedHosts.length - 1;
  }

  /**
   * Items whose host overlaps `host` (some name matches both), each list in the order
   * added. An item indexed under several matching keys can appear more than once.
   */
  overlapping(host: string): readonly T[][] {
    // plain loops, no callbacks: this runs once per host of every resource
    let out: T[][] | undefined;
    if (!host.startsWith('*')) {
      out = addList(out, this.exact.get(host));
      // wildcards covering it: `*` + one of its label suffixes ("*.b.c" for "a.b.c")
      if (this.wild.size > 0) {
        for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1))
          if (this.wildLengths.has(host.length - i)) out = addList(out, this.wild.get(host.slice(i)));
        out = addList(out, this.wild.get(''));
      }
      return out ?? NO_LISTS;
    }
    const suffix = host.slice(1);
    // wildcards covering it, itself included: `*` + one of its label suffixes
    out = addList(out, this.wild.get(suffix));
    for (let i = host.indexOf('.', 1); i !== -1; i = host.indexOf('.', i + 1)) {
      const s = host.slice(i);
      if (s !== suffix) out = addList(out, this.wild.get(s));
    }
    if (suffix !== '') out = addList(out, this.wild.get(''));
    // what it covers: concrete hosts and narrower wildcards under its suffix
    this.buildTree();
    const domain = this.domains.get(suffix);
    if (domain) {
      const under = this.under(domain);
      out = addList(out, under.exact);
      out = addList(out, under.wild);
    }
    return out ?? NO_LISTS;
  }

  /**
   * Is the item added at `position` the only one overlapping its host (what
   * `overlapping` answers as one list of one item)? The usual case, answered for a
   * concrete host without a lookup: the hosts that wildcards cover are found once,
   * from the domain tree, rather than by looking up each host's label suffixes.
   */
  aloneAt(position: number): boolean {
    const list = this.addedLists[position];
    if (!list) {
      const lists = this.overlapping(this.addedHosts[position] as string);
      return lists.length === 1 && lists[0]?.length === 1;
    }
    if (list.length !== 1) return false;
    if (this.wild.size === 0) return true;
    if (this.wild.has('')) return false;
    const covered = this.coveredHosts();
    return covered.size === 0 || !covered.has(this.addedHosts[position] as string);
  }

  /** The concrete hosts under some wildcard's domain (`*` aside): each wildcard's subtree once. */
  private coveredHosts(): Set<string> {
    if (this.covered && this.coveredAt === this.addedHosts.length) return this.covered;
    this.buildTree();
    const covered = new Set<string>();
    const stack: Domain<T>[] = [];
    for (const suffix of this.wild.keys()) {
      const top = suffix === '' ? undefined : this.domains.get(suffix);
      if (top) stack.push(top);
      for (let d = stack.pop(); d; d = stack.pop()) {
        for (const i of d.exact) covered.add(this.addedHosts[i] as string);
        for (const c of d.children) stack.push(c);
      }
    }
    this.covered = covered;
    this.coveredAt = this.addedHosts.length;
    return covered;
  }

  /**
   * Only wildcard queries need the domain tree: built then, for what was added since.
   * A host hangs under its first label suffix (from its first dot; for a wildcard, the
   * first after the `*`, so `*.a.b` hangs under ".a.b" and counts as under itself);
   * domains already asked for take each new item at once, in order.
   */
  private buildTree(): void {
    // hosts added one after another mostly share their domain (a resource's hosts): no copy, no lookup then
    let lastSuffix: string | undefined;
    let lastDomain: Domain<T> | undefined;
    for (; this.treeBuilt < this.addedHosts.length; this.treeBuilt++) {
      const host = this.addedHosts[this.treeBuilt] as string;
      const wildcard = host.startsWith('*');
      const dot = host.indexOf('.', wildcard ? 1 : 0);
      let domain: Domain<T>;
      if (
        lastDomain &&
        lastSuffix !== undefined &&
        (dot === -1
          ? lastSuffix === ''
          : host.length - dot === lastSuffix.length && host.endsWith(lastSuffix))
      )
        domain = lastDomain;
      else {
        lastSuffix = dot === -1 ? '' : host.slice(dot);
        domain = this.domain(lastSuffix);
        lastDomain = domain;
      }
      (wildcard ? domain.wild : domain.exact).push(this.treeBuilt);
      const item = this.addedItems[this.treeBuilt] as T;
      for (let d: Domain<T> | undefined = domain; d; d = d.parent)
        if (d.under) (wildcard ? d.under.wild : d.under.exact).push(item);
    }
  }

  /** The node of a domain, made with any missing ancestors (a loop: a host may have many labels). */
  private domain(suffix: string): Domain<T> {
    const found = this.domains.get(suffix);
    if (found) return found;
    const node = newDomain<T>();
    this.domains.set(suffix, node);
    let child = node;
    let s = suffix;
    while (s !== '') {
      const dot = s.indexOf('.', 1);
      s = dot === -1 ? '' : s.slice(dot);
      const known = this.domains.get(s);
      const parent = known ?? newDomain<T>();
      child.parent = parent;
      parent.children.push(child);
      if (known) break;
      this.domains.set(s, parent);
      child = parent;
    }
    return node;
  }

  /** The items at or under a domain, in the order added; kept up to date by buildTree. */
  private under(domain: Domain<T>): { exact: T[]; wild: T[] } {
    if (domain.under) return domain.under;
    const exact: number[] = [];
    const wild: number[] = [];
    const stack = [domain];
    for (let d = stack.pop(); d; d = stack.pop()) {
      for (const i of d.exact) exact.push(i);
      for (const i of d.wild) wild.push(i);
      for (const c of d.children) stack.push(c);
    }
    exact.sort((a, b) => a - b);
    wild.sort((a, b) => a - b);
    const items = this.addedItems;
    domain.under = { exact: exact.map((i) => items[i] as T), wild: wild.map((i) => items[i] as T) };
    return domain.under;
  }
}
