// The host index answers "which hosts overlap this one" as the pairwise checks did
// (hostsMatch), and the rules built on it report what they reported before at any scale.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneVsManyHostsYaml, sameHostYaml } from '../../bench/generate.ts';
import { hostsMatch } from '../../src/core/analysis/rules/shared/dns.ts';
import { HostIndex } from '../../src/core/config/host-index.ts';
import { analyzeText } from '../helpers/analyze.ts';

const label = fc.constantFrom('a', 'b', 'c', 'svc', 'example');
const concrete = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const host = fc.oneof(
  concrete,
  concrete.map((h) => `*.${h}`),
  fc.constant('*'),
);

describe('HostIndex', () => {
  it('finds exactly the hosts that overlap, as comparing every pair does', () => {
    fc.assert(
      fc.property(fc.array(host, { maxLength: 30 }), host, (indexed, query) => {
        const index = new HostIndex<number>();
        for (const [i, h] of indexed.entries()) index.add(h, i);
        const found = new Set(index.overlapping(query).flat());
        const expected = new Set(indexed.flatMap((h, i) => (hostsMatch(h, query) ? [i] : [])));
        expect(found).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('says an item is alone exactly when it is the one item overlapping its host, whatever was added before or after asking', () => {
    fc.assert(
      fc.property(fc.array(host, { maxLength: 30 }), fc.array(host, { maxLength: 5 }), (indexed, later) => {
        const index = new HostIndex<number>();
        const all = [...indexed, ...later];
        for (const [i, h] of indexed.entries()) expect(index.add(h, i)).toBe(i);
        const check = (upTo: number) => {
          for (let i = 0; i < upTo; i++) {
            const lists = index.overlapping(all[i] as string);
            expect(index.aloneAt(i)).toBe(lists.length === 1 && lists[0]?.length === 1);
          }
        };
        check(indexed.length);
        for (const [i, h] of later.entries()) index.add(h, indexed.length + i);
        check(all.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('host checks at scale', () => {
  it('a VirtualService with 50,000 hosts: the duplicates among them, each against the first it overlaps', () => {
    const yaml = oneVsManyHostsYaml(50_000)
      .replace('  - h7.example.com\n', '  - h7.example.com\n  - h3.example.com\n')
      .replace('  - h9.example.com\n', '  - h9.example.com\n  - "*.example.com"\n');
    const { findings } = analyzeText(yaml, { bookinfo: false });
    const dups = findings.filter((f) => f.code === 'IST0106');
    const at = (i: number) => dups.find((f) => f.path === `spec.hosts[${i}]`)?.message;
    expect(at(8)).toMatch(/host "h3\.example\.com" is listed twice/);
    expect(at(11)).toMatch(/hosts "h0\.example\.com" and "\*\.example\.com" overlap/);
    expect(at(12)).toMatch(/hosts "\*\.example\.com" and "h10\.example\.com" overlap/);
    expect(dups.length).toBe(2 + (50_000 - 10));
  });

  it('5,000 VirtualServices for one host: each conflicts (IST0109), the message names ten and counts the rest', () => {
    const { findings } = analyzeText(sameHostYaml(5000));
    const conflicts = findings.filter((f) => f.code === 'IST0109');
    expect(conflicts).toHaveLength(5000);
    expect(conflicts[0]?.message).toMatch(
      /The VirtualServices default\/reviews-\d+(,default\/reviews-\d+){9} and 4990 more associated with mesh/,
    );
    expect(Math.max(...conflicts.map((f) => f.message.length))).toBeLessThan(600);
  });
});
