// The Snapshot's host lookups: Services by FQDN, ServiceEntry and DestinationRule
// hosts (exact names first, then wildcards), exportTo visibility, and the registry
// host whose cluster carries a name, as pilot looks services up. Snapshot extends
// this class, so callers keep one object to ask; each index is built on first use.
import { hostCovers, isWildcard, toFqdn } from './hosts.ts';
import type { Kind, Resource } from './resource.ts';
import { isIstioKind } from './resource.ts';
import type { Subset } from './schemas/index.ts';
import { asRecord, serviceInfo } from './snapshot-objects.ts';
import type { DestinationRule, ServiceEntry, ServiceInfo } from './snapshot-types.ts';
import {
  annotationScope,
  EXPORT_ANNOTATION,
  type ExportScope,
  exportScope,
  visibleIn,
} from './visibility.ts';

/** Adds `item` to the list at `key`, a new list made with its one item (an empty one grows room for seventeen). */
function addTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export abstract class HostRegistry {
  private servicesByFqdn?: Map<string, ServiceInfo>;
  /** exact ServiceEntry hosts: the one ServiceEntry, or those naming it in order (most hosts have one: no list each) */
  private seExact?: Map<string, ServiceEntry | ServiceEntry[]>;
  private seWildcard?: { host: string; se: ServiceEntry }[];
  private drByHost?: Map<string, DestinationRule[]>;
  private drWildcard?: { host: string; dr: DestinationRule }[];
  private readonly scopes = new WeakMap<Resource, ExportScope>();

  /** The resources of one kind as held, without recording a read. */
  protected abstract held(kind: Kind): Resource[];
  /** Records that a lookup reads `kind` (Snapshot.onRead). */
  protected abstract read(kind: Kind): void;

  /** A Kubernetes Service by FQDN (`reviews.default.svc.cluster.local`). */
  service(fqdn: string): ServiceInfo | undefined {
    this.read('Service');
    if (!this.servicesByFqdn) {
      const map = new Map<string, ServiceInfo>();
      for (const r of this.held('Service')) {
        const info = serviceInfo(r);
        map.set(info.fqdn, info);
      }
      this.servicesByFqdn = map;
    }
    return this.servicesByFqdn.get(fqdn);
  }

  services(): ServiceInfo[] {
    this.service('');
    return [...(this.servicesByFqdn?.values() ?? [])];
  }

  /**
   * The namespaces that see a resource: `exportTo` of a VirtualService,
   * DestinationRule or ServiceEntry, the `networking.istio.io/exportTo`
   * annotation of a Service; every namespace for other kinds.
   */
  scopeOf(r: Resource): ExportScope {
    let scope = this.scopes.get(r);
    if (!scope) {
      if (r.kind === 'Service') {
        const annotations = asRecord(asRecord(r.raw.metadata).annotations);
        scope = annotationScope(annotations[EXPORT_ANNOTATION], r.namespace);
      } else if (isIstioKind(r.kind)) {
        const exportTo = (r.spec as { exportTo?: unknown }).exportTo;
        scope = exportScope(Array.isArray(exportTo) ? exportTo : undefined, r.namespace);
      } else scope = '*';
      this.scopes.set(r, scope);
    }
    return scope;
  }

  /**
   * ServiceEntries whose hosts cover `host` (exact first, then wildcards); with
   * `from`, only those exported to that namespace (what its sidecars see).
   */
  serviceEntriesFor(host: string, from?: string): ServiceEntry[] {
    const all = this.allServiceEntriesFor(host);
    return from === undefined ? all : all.filter((se) => visibleIn(this.scopeOf(se), from));
  }

  /** A Service by FQDN if its exportTo annotation lets proxies in `from` see it. */
  serviceVisible(fqdn: string, from: string): ServiceInfo | undefined {
    const svc = this.service(fqdn);
    return svc && visibleIn(this.scopeOf(svc.resource), from) ? svc : undefined;
  }

  private allServiceEntriesFor(host: string): ServiceEntry[] {
    this.read('ServiceEntry');
    if (!this.seExact || !this.seWildcard) {
      const exact = new Map<string, ServiceEntry | ServiceEntry[]>();
      const wild: { host: string; se: ServiceEntry }[] = [];
      for (const se of this.held('ServiceEntry') as ServiceEntry[]) {
        for (const h of se.spec.hosts ?? []) {
          const fq = toFqdn(h, se.namespace);
          if (isWildcard(fq)) wild.push({ host: fq, se });
          else {
            const known = exact.get(fq);
            if (known === undefined) exact.set(fq, se);
            else if (Array.isArray(known)) known.push(se);
            else exact.set(fq, [known, se]);
          }
        }
      }
      this.seExact = exact;
      this.seWildcard = wild;
    }
    const found = this.seExact.get(host);
    const out = found === undefined ? [] : Array.isArray(found) ? [...found] : [found];
    for (const w of this.seWildcard) if (hostCovers(w.host, host) && !out.includes(w.se)) out.push(w.se);
    return out;
  }

  /** Is `fqdn` a known destination: a Service or a ServiceEntry host? */
  hostExists(fqdn: string): boolean {
    if (isWildcard(fqdn)) return false;
    return this.service(fqdn) !== undefined || this.serviceEntriesFor(fqdn).length > 0;
  }

  /**
   * The registry host whose cluster carries traffic for `fqdn`: itself when a Service or a
   * ServiceEntry names it exactly, else the most specific wildcard ServiceEntry host that
   * covers it (`covers.openlibrary.org` -> `*.openlibrary.org`), as pilot looks services up.
   */
  serviceHost(fqdn: string): string {
    if (isWildcard(fqdn) || this.service(fqdn)) return fqdn;
    this.serviceEntriesFor(fqdn);
    if (this.seExact?.has(fqdn)) return fqdn;
    let best: string | undefined;
    for (const w of this.seWildcard ?? [])
      if (hostCovers(w.host, fqdn) && (!best || w.host.length > best.length)) best = w.host;
    return best ?? fqdn;
  }

  /**
   * DestinationRules that apply to traffic for `fqdn`: those for its service host
   * (`serviceHost`), exact host first, then the closest wildcard. A rule for a name
   * inside a wildcard ServiceEntry (covers.openlibrary.org under *.openlibrary.org)
   * does not apply: the cluster belongs to the ServiceEntry's host.
   */
  destinationRulesFor(fqdn: string): DestinationRule[] {
    return this.destinationRulesForHost(this.serviceHost(fqdn));
  }

  /** DestinationRules for a registry host as written (exact first, then the closest wildcard). */
  destinationRulesForHost(fqdn: string): DestinationRule[] {
    this.read('DestinationRule');
    if (!this.drByHost || !this.drWildcard) {
      const exact = new Map<string, DestinationRule[]>();
      const wild: { host: string; dr: DestinationRule }[] = [];
      for (const dr of this.held('DestinationRule') as DestinationRule[]) {
        const h = dr.spec.host;
        if (!h) continue;
        const fq = toFqdn(h, dr.namespace);
        if (isWildcard(fq)) wild.push({ host: fq, dr });
        else addTo(exact, fq, dr);
      }
      wild.sort((a, b) => b.host.length - a.host.length);
      this.drByHost = exact;
      this.drWildcard = wild;
    }
    const exact = this.drByHost.get(fqdn);
    if (exact?.length) return exact;
    const w = this.drWildcard.find((x) => hostCovers(x.host, fqdn));
    return w ? this.drWildcard.filter((x) => x.host === w.host).map((x) => x.dr) : [];
  }

  /** The subset named `name` for a host, with the DestinationRule defining it. */
  subset(fqdn: string, name: string): { subset: Subset; rule: DestinationRule } | undefined {
    for (const rule of this.destinationRulesFor(fqdn)) {
      const s = rule.spec.subsets?.find((x) => x.name === name);
      if (s) return { subset: s, rule };
    }
    return undefined;
  }
}
