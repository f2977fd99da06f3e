// The analyzer's findings on generated inputs (the bench's shapes, small, and a
// mixed shape full of overlapping hosts, exportTo, wildcards and duplicates) are
// compared line by line with the files in test/fixtures/generated-findings/, written
// by the code before the loader and host-check speed-ups: code, resource, file:line:col,
// field path and message must stay the same. ICA_UPDATE_GOLDEN=1 rewrites them (only
// for a change that means to change findings; review the diff).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  gatewayHeavyYaml,
  hostsHeavyYaml,
  meshYaml,
  oneVsManyHostsYaml,
  sameHostYaml,
} from '../../bench/generate.ts';
import { analyzeText } from '../helpers/analyze.ts';

/** A small deterministic generator (no Math.random: the golden files must not move). */
function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

/**
 * VirtualServices, ServiceEntries, DestinationRules and Gateways over a small set of
 * hosts, so that they overlap: short names, FQDNs, wildcards at several depths, `*`,
 * exportTo of every kind, hosts listed twice, anchors and aliases, flow and block style.
 */
function mixedYaml(resources: number, seed: number): string {
  const pick = lcg(seed);
  const hostPool = [
    'reviews',
    'ratings',
    'reviews.default.svc.cluster.local',
    'a.example.com',
    'b.example.com',
    'x.a.example.com',
    '"*.example.com"',
    '"*.a.example.com"',
    '"*"',
    'api.other.org',
    '"*.other.org"',
  ];
  const exports = ['', 'exportTo: ["*"]', 'exportTo: ["."]', 'exportTo: [ns-1]', 'exportTo: [ns-0, ns-2]'];
  const docs: string[] = [];
  for (let i = 0; i < resources; i++) {
    const ns = `ns-${pick(3)}`;
    const hosts = Array.from({ length: 1 + pick(4) }, () => hostPool[pick(hostPool.length)]);
    const exportTo = exports[pick(exports.length)];
    const kind = pick(5);
    if (kind <= 1) {
      const gateways = ['', 'gateways: [mesh]', 'gateways: [edge/shared, mesh]', 'gateways: [edge/shared]'][
        pick(4)
      ];
      docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-${i}
  namespace: ${ns}
spec:
  hosts:
${hosts.map((h) => `  - ${h}`).join('\n')}
  ${gateways}
  ${exportTo}
  http:
  - route:
    - destination:
        host: ${hostPool[pick(3)]}
        subset: v${pick(3)}
      weight: 100`);
    } else if (kind === 2) {
      docs.push(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se-${i}, namespace: ${ns}}
spec:
  hosts: [${hosts.filter((h) => h !== '"*"').join(', ') || 'api.other.org'}]
  ${exportTo}
  ports: [{number: ${80 + pick(2)}, name: http, protocol: HTTP}]
  resolution: DNS`);
    } else if (kind === 3) {
      docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: dr-${i}
  namespace: ${ns}
spec:
  host: ${hostPool[pick(4)]}
  ${exportTo}
  subsets:
  - &s name: v1
    labels: {version: v1}
  - name: v2
    labels: &l
      version: v2
  - name: v3
    labels: *l`);
    } else {
      docs.push(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-${i % 7}
  namespace: edge
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http-${i}, protocol: HTTP}
    hosts: ["*/${hosts[0]?.replaceAll('"', '')}"]`);
    }
  }
  return `${docs.join('\n---\n')}\n`;
}

const SHAPES: Record<string, () => string> = {
  mesh: () => meshYaml(60),
  'gateway-heavy': () => gatewayHeavyYaml(60),
  'hosts-heavy': () => hostsHeavyYaml(120),
  'one-vs-many-hosts': () =>
    oneVsManyHostsYaml(200).replace(
      '  - h7.example.com\n',
      '  - h7.example.com\n  - "*.example.com"\n  - h3.example.com\n',
    ),
  'same-host': () => sameHostYaml(25),
  'mixed-1': () => mixedYaml(150, 1),
  'mixed-2': () => mixedYaml(150, 7),
  'mixed-3': () => mixedYaml(400, 42),
};

function describeFindings(yaml: string): string {
  const { findings } = analyzeText(yaml);
  return `${findings
    .map(
      (f) =>
        `${f.code} ${f.origin ?? '-'} ${f.file ?? '-'}:${f.line ?? '-'}:${f.column ?? '-'} ${f.path ?? '-'} | ${f.message}`,
    )
    .join('\n')}\n`;
}

describe('findings on generated inputs stay the same', () => {
  it('the mixed shapes raise the host checks compared here', () => {
    const codes = new Set(
      Object.values(SHAPES).flatMap((yaml) => analyzeText(yaml()).findings.map((f) => f.code)),
    );
    for (const code of ['IST0109', 'IST0106', 'IST0101', 'IST0174', 'ICA0009']) expect(codes).toContain(code);
  });

  for (const [name, yaml] of Object.entries(SHAPES)) {
    it(name, () => {
      const file = new URL(`../fixtures/generated-findings/${name}.txt`, import.meta.url);
      const got = describeFindings(yaml());
      if (process.env.ICA_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, got);
      expect(got.split('\n')).toEqual(readFileSync(file, 'utf8').split('\n'));
    });
  }
});
