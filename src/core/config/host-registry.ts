// One registry of the host names of an analysis (FQDNs as rules resolve them), shared by
// every check over hosts: each distinct name is hashed into a record once, and its
// domain (the label suffix it hangs under) is cut out once, however many rules ask.
// Rules keep their own lists per record (arrays by record id, no hashing), and
// `SharedHostIndex` answers "which hosts overlap this one" by walking the record's
// domains instead of cutting and looking up each label suffix again.
// Matching is Istio's host.Name semantics, as in HostIndex (host-index.ts).

/** A domain (".b.c"; "" for the root) of the hosts registered, in a tree by label. */
export interface HostDomain {
  readonly id: number;
  readonly parent: HostDomain | undefined;
  readonly children: HostDomain[];
  /** the wildcard whose suffix this is (`*.b.c` for ".b.c", `*` for the root), once registered */
  wildcard: HostRecord | undefined;
}

/** A registered host name, concrete or `*`-wildcard. */
export interface HostRecord {
  readonly host: string;
  readonly id: number;
  readonly wildcard: boolean;
  /** the domain it hangs under: from its first dot (after the `*` for a wildcard); made when first asked */
  place: HostDomain | undefined;
  /** for a wildcard, the domain of its suffix (where concrete names look for it) */
  readonly key: HostDomain | undefined;
}

export class HostRegistry {
  private readonly records = new Map<string, HostRecord>();
  private readonly domains = new Map<string, HostDomain>();
  private domainCount = 0;
  /** how many records there are (record ids are 0 .. size-1) */
  size = 0;

  /** The record of a host if it was registered. */
  get(host: string): HostRecord | undefined {
    return this.records.get(host);
  }

  /** The record of a host, registered now if new. */
  record(host: string): HostRecord {
    const found = this.records.get(host);
    if (found) return found;
    const wildcard = host.startsWith('*');
    const key = wildcard ? this.domain(host.slice(1)) : undefined;
    const record: HostRecord = { host, id: this.size++, wildcard, place: undefined, key };
    if (key) key.wildcard = record;
    this.records.set(host, record);
    return record;
  }

  /** The domain a host hangs under (its closest enclosing domain), cut out once per record. */
  placeOf(record: HostRecord): HostDomain {
    if (record.place) return record.place;
    const host = record.host;
    const dot = host.indexOf('.', record.wildcard ? 1 : 0);
    record.place =
      dot === -1 ? this.domain('') : record.key && dot === 1 ? record.key : this.domain(host.slice(dot));
    return record.place;
  }

  /** The node of a domain, made with any missing ancestors (a loop: a host may have many labels). */
  private domain(suffix: string): HostDomain {
    const found = this.domains.get(suffix);
    if (found) return found;
    // the chain of missing suffixes, then made from the top down (parents are fixed at creation)
    const missing = [suffix];
    let s = suffix;
    let top: HostDomain | undefined;
    while (s !== '') {
      const dot = s.indexOf('.', 1);
      s = dot === -1 ? '' : s.slice(dot);
      top = this.domains.get(s);
      if (top) break;
      missing.push(s);
    }
    let parent = top;
    for (let i = missing.length - 1; i >= 0; i--) {
      const node: HostDomain = { id: this.domainCount++, parent, children: [], wildcard: undefined };
      parent?.children.push(node);
      this.domains.set(missing[i] as string, node);
      parent = node;
    }
    return parent as HostDomain;
  }
}

/** The answer when no host overlaps: shared, callers only read answers. */
const NO_LISTS: readonly never[] = Object.freeze([]);

function addList<T>(out: T[][] | undefined, list: T[] | undefined): T[][] | undefined {
  if (!list || list.length === 0) return out;
  if (!out) return [list];
  out.push(list);
  return out;
}

/**
 * HostIndex over a shared registry's records: the same answers, in the same order
 * (exact host, covering wildcards from the closest, then what a wildcard covers, in
 * the order added), without hashing a host again after it was registered.
 */
export class SharedHostIndex<T> {
  /** record id -> items added for that host */
  private readonly lists: (T[] | undefined)[] = [];
  private wildcards = 0;
  private readonly addedRecords: HostRecord[] = [];
  private readonly addedItems: T[] = [];
  private treeBuilt = 0;
  /** domain id -> positions (in the added lists) of concrete hosts and of wildcards hanging there */
  private readonly exactAt: (number[] | undefined)[] = [];
  private readonly wildAt: (number[] | undefined)[] = [];
  /** domain id -> once asked for: items at or under it, kept up to date */
  private readonly underOf: ({ exact: T[]; wild: T[] } | undefined)[] = [];

  private readonly registry: HostRegistry;

  constructor(registry: HostRegistry) {
    this.registry = registry;
  }

  add(record: HostRecord, item: T): void {
    const list = this.lists[record.id];
    if (list) list.push(item);
    else this.lists[record.id] = [item];
    if (record.wildcard) this.wildcards++;
    this.addedRecords.push(record);
    this.addedItems.push(item);
  }

  /** Items whose host overlaps the record's (some name matches both), each list in the order added. */
  overlapping(record: HostRecord): readonly T[][] {
    let out: T[][] | undefined;
    const lists = this.lists;
    if (!record.wildcard) {
      out = addList(out, lists[record.id]);
      // wildcards covering it, closest first: the wildcard of each enclosing domain
      if (this.wildcards > 0)
        for (let d: HostDomain | undefined = this.registry.placeOf(record); d; d = d.parent)
          if (d.wildcard) out = addList(out, lists[d.wildcard.id]);
      return out ?? NO_LISTS;
    }
    // wildcards covering it, itself first
    const key = record.key as HostDomain;
    for (let d: HostDomain | undefined = key; d; d = d.parent)
      if (d.wildcard) out = addList(out, lists[d.wildcard.id]);
    // what it covers: concrete hosts and narrower wildcards at or under its suffix
    this.buildTree();
    const under = this.under(key);
    out = addList(out, under.exact);
    out = addList(out, under.wild);
    return out ?? NO_LISTS;
  }

  private buildTree(): void {
    for (; this.treeBuilt < this.addedRecords.length; this.treeBuilt++) {
      const record = this.addedRecords[this.treeBuilt] as HostRecord;
      const domain = this.registry.placeOf(record);
      const at = record.wildcard ? this.wildAt : this.exactAt;
      const list = at[domain.id];
      if (list) list.push(this.treeBuilt);
      else at[domain.id] = [this.treeBuilt];
      const item = this.addedItems[this.treeBuilt] as T;
      for (let d: HostDomain | undefined = domain; d; d = d.parent) {
        const under = this.underOf[d.id];
        if (under) (record.wildcard ? under.wild : under.exact).push(item);
      }
    }
  }

  private under(domain: HostDomain): { exact: T[]; wild: T[] } {
    const known = this.underOf[domain.id];
    if (known) return known;
    const exact: number[] = [];
    const wild: number[] = [];
    const stack = [domain];
    for (let d = stack.pop(); d; d = stack.pop()) {
      for (const i of this.exactAt[d.id] ?? []) exact.push(i);
      for (const i of this.wildAt[d.id] ?? []) wild.push(i);
      for (const c of d.children) stack.push(c);
    }
    exact.sort((a, b) => a - b);
    wild.sort((a, b) => a - b);
    const items = this.addedItems;
    const under = { exact: exact.map((i) => items[i] as T), wild: wild.map((i) => items[i] as T) };
    this.underOf[domain.id] = under;
    return under;
  }
}
