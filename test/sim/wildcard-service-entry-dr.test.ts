// DestinationRules for hosts under a wildcard ServiceEntry: the cluster belongs to the
// ServiceEntry's host (*.openlibrary.org), so only a rule whose host is the most
// specific match for that host applies; one for covers.openlibrary.org does not.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/sim/index.ts';
import { snapshotOf, statusPercent } from './helpers.ts';
import { documents } from './yaml.ts';

const SE = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: openlibrary}
spec:
  hosts: ["*.openlibrary.org"]
  ports:
  - {number: 80, name: http, protocol: HTTP}
  resolution: NONE
  location: MESH_EXTERNAL`;

const dr = (host: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: books}
spec:
  host: "${host}"
  subsets:
  - name: primary`;

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: covers}
spec:
  hosts: [covers.openlibrary.org]
  http:
  - route:
    - destination: {host: covers.openlibrary.org, subset: primary}`;

describe('DestinationRule host matching under a wildcard ServiceEntry', () => {
  it('a rule for one name inside the wildcard does not attach: its subset does not exist (503 NC)', () => {
    const snap = snapshotOf(documents(SE, dr('covers.openlibrary.org'), VS), {
      outboundMode: 'REGISTRY_ONLY',
    });
    expect(snap.serviceHost('covers.openlibrary.org')).toBe('*.openlibrary.org');
    expect(snap.destinationRulesFor('covers.openlibrary.org')).toEqual([]);
    const r = simulate(snap, { to: 'http://covers.openlibrary.org/b/id/1.jpg', requests: 20 });
    expect(statusPercent(r.summary, 503, 'NC')).toBe(100);
  });

  it("a rule for the ServiceEntry's own host applies to every name under it", () => {
    const snap = snapshotOf(documents(SE, dr('*.openlibrary.org'), VS), { outboundMode: 'REGISTRY_ONLY' });
    expect(snap.destinationRulesFor('covers.openlibrary.org').map((d) => d.spec.host)).toEqual([
      '*.openlibrary.org',
    ]);
    const r = simulate(snap, { to: 'http://covers.openlibrary.org/b/id/1.jpg', requests: 20 });
    expect(statusPercent(r.summary, 200)).toBe(100);
  });

  it('a broader wildcard rule (*.org) also covers the ServiceEntry host', () => {
    const snap = snapshotOf(documents(SE, dr('*.org')));
    expect(snap.destinationRulesFor('covers.openlibrary.org').map((d) => d.spec.host)).toEqual(['*.org']);
  });

  it('a host with a ServiceEntry of its own keeps its own rule', () => {
    const own = SE.replace('"*.openlibrary.org"', 'covers.openlibrary.org').replace('NONE', 'DNS');
    const snap = snapshotOf(documents(own, dr('covers.openlibrary.org')));
    expect(snap.serviceHost('covers.openlibrary.org')).toBe('covers.openlibrary.org');
    expect(snap.destinationRulesFor('covers.openlibrary.org')).toHaveLength(1);
  });
});
