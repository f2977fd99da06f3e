// `simulate --access-log` prints lines only for a proxy whose access logging is on:
// meshConfig.accessLogFile, or a Telemetry enabling the envoy provider for it (root,
// namespace, workload), and not when a Telemetry disables it; otherwise it says why.
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const fx = (f: string) => new URL(`../fixtures/telemetry/${f}`, import.meta.url).pathname;
const logLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('['));
const why = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('# no access log')) ?? '';

function run(files: string[], from: string) {
  const r = cli([
    'simulate',
    ...files.map(fx),
    '--to',
    'reviews',
    '--from',
    from,
    '--requests',
    '3',
    '--access-log',
  ]);
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('simulate --access-log honours the mesh config and Telemetry', () => {
  it('the demo profile logs for everyone when no input sets accessLogFile', () => {
    expect(logLines(run(['mesh-on-telemetry.yaml'], 'reviews-v1'))).toHaveLength(3);
    expect(logLines(run(['productpage-on.yaml'], 'reviews-v1'))).toHaveLength(3);
  });

  it('accessLogFile "" turns logging off, and the output says why', () => {
    const out = run(['mesh-off.yaml'], 'productpage-v1');
    expect(logLines(out)).toHaveLength(0);
    expect(why(out)).toContain('productpage-v1.default');
    expect(why(out)).toContain('meshConfig.accessLogFile is empty');
  });

  it('a Telemetry selecting productpage turns its log on, and only its own', () => {
    expect(logLines(run(['mesh-off.yaml', 'productpage-on.yaml'], 'productpage-v1'))).toHaveLength(3);
    const other = run(['mesh-off.yaml', 'productpage-on.yaml'], 'reviews-v1');
    expect(logLines(other)).toHaveLength(0);
    expect(why(other)).toContain('no Telemetry turns access logging on');
  });

  it('a mesh-wide Telemetry in istio-system turns it on for every workload', () => {
    expect(logLines(run(['mesh-off.yaml', 'mesh-on-telemetry.yaml'], 'reviews-v1'))).toHaveLength(3);
  });

  it('disabled: true turns off the providers in scope: the mesh-wide envoy one', () => {
    const withMesh = run(
      ['mesh-off.yaml', 'mesh-on-telemetry.yaml', 'productpage-disabled.yaml'],
      'productpage-v1',
    );
    expect(logLines(withMesh)).toHaveLength(0);
    expect(why(withMesh)).toContain('Telemetry default/productpage-quiet sets disabled: true');
    expect(
      logLines(run(['mesh-off.yaml', 'mesh-on-telemetry.yaml', 'productpage-disabled.yaml'], 'reviews-v1')),
    ).toHaveLength(3);
  });

  it('disabled: true naming no provider leaves accessLogFile logging on (istiod falls back to it)', () => {
    expect(logLines(run(['productpage-disabled.yaml'], 'productpage-v1'))).toHaveLength(3);
    const named = run(['productpage-disabled-envoy.yaml'], 'productpage-v1');
    expect(logLines(named)).toHaveLength(0);
    expect(why(named)).toContain('sets disabled: true');
  });

  it('a provider the mesh does not define is skipped: no log without accessLogFile', () => {
    const out = run(['mesh-off.yaml', 'provider-typo.yaml'], 'productpage-v1');
    expect(logLines(out)).toHaveLength(0);
    expect(why(out)).toContain('"envoy-file", which the mesh config does not define');
  });

  it('match.mode SERVER does not log the outbound (client) requests', () => {
    expect(logLines(run(['mesh-off.yaml', 'server-only.yaml'], 'productpage-v1'))).toHaveLength(0);
  });
});
