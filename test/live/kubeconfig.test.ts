// Kubeconfig and context resolution, as kubectl does it (no API server needed).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterError } from '../../src/core/cluster/errors.ts';
import { resolveKubeconfig } from '../../src/core/cluster/kubeconfig.ts';
import { kubeconfigYaml } from '../helpers/apiserver.ts';

const dir = mkdtempSync(join(tmpdir(), 'ica-kubeconfig-'));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const a = file(
  'a.yaml',
  kubeconfigYaml({
    server: 'https://a.example:6443',
    context: 'ctx-a',
    token: 't',
    user: 'ua',
    namespace: 'team-a',
  }),
);
const b = file(
  'b.yaml',
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'ctx-a', cluster: { server: 'https://shadowed.example:6443' } },
      { name: 'cb', cluster: { server: 'https://b.example:6443' } },
    ],
    users: [{ name: 'ub', user: { token: 'tb' } }],
    contexts: [{ name: 'ctx-b', context: { cluster: 'cb', user: 'ub' } }],
    'current-context': 'ctx-b',
  }),
);
const emptyHome = mkdtempSync(join(tmpdir(), 'ica-home-'));

function failure(fn: () => unknown): ClusterError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClusterError) return e;
    throw e;
  }
  throw new Error('expected a ClusterError');
}

describe('resolveKubeconfig', () => {
  it('reads --kubeconfig, with the namespace from the context', () => {
    const r = resolveKubeconfig({ kubeconfig: a, env: {} });
    expect(r).toMatchObject({ context: 'ctx-a', server: 'https://a.example:6443', namespace: 'team-a' });
  });

  it('lets -n override the context namespace, and defaults to "default"', () => {
    expect(resolveKubeconfig({ kubeconfig: a, namespace: 'other', env: {} }).namespace).toBe('other');
    expect(resolveKubeconfig({ kubeconfig: b, env: {} }).namespace).toBe('default');
  });

  it('merges KUBECONFIG files: the first definition and the first current-context win', () => {
    const r = resolveKubeconfig({ env: { KUBECONFIG: [a, b].join(delimiter) } });
    expect(r.context).toBe('ctx-a');
    expect(r.server).toBe('https://a.example:6443');
    const rb = resolveKubeconfig({ env: { KUBECONFIG: [a, b].join(delimiter) }, context: 'ctx-b' });
    expect(rb).toMatchObject({ context: 'ctx-b', server: 'https://b.example:6443' });
    // The other order: b's current-context wins.
    expect(resolveKubeconfig({ env: { KUBECONFIG: [b, a].join(delimiter) } }).context).toBe('ctx-b');
  });

  it('skips KUBECONFIG entries that do not exist', () => {
    const r = resolveKubeconfig({ env: { KUBECONFIG: [join(dir, 'nope.yaml'), b].join(delimiter) } });
    expect(r.context).toBe('ctx-b');
  });

  it('falls back to ~/.kube/config', () => {
    const home = mkdtempSync(join(tmpdir(), 'ica-home-'));
    const kube = join(home, '.kube');
    mkdirSync(kube, { recursive: true });
    writeFileSync(
      join(kube, 'config'),
      kubeconfigYaml({ server: 'https://h:1', context: 'home', token: 't', user: 'u' }),
    );
    expect(resolveKubeconfig({ env: { HOME: home } }).context).toBe('home');
  });

  it('says so when there is no kubeconfig at all', () => {
    const e = failure(() => resolveKubeconfig({ env: { HOME: emptyHome } }));
    expect(e.failure).toBe('no-kubeconfig');
    expect(e.message).toMatch(/^no kubeconfig: KUBECONFIG is not set and .*\.kube\/config does not exist/);
    const e2 = failure(() => resolveKubeconfig({ env: { KUBECONFIG: join(dir, 'missing.yaml') } }));
    expect(e2.message).toMatch(/none of the files in KUBECONFIG exist/);
    const e3 = failure(() => resolveKubeconfig({ kubeconfig: join(dir, 'missing.yaml'), env: {} }));
    expect(e3.message).toMatch(/missing\.yaml does not exist \(--kubeconfig\)/);
  });

  it('names the contexts when --context is unknown', () => {
    const e = failure(() =>
      resolveKubeconfig({ env: { KUBECONFIG: [a, b].join(delimiter) }, context: 'kind-x' }),
    );
    expect(e.failure).toBe('no-context');
    expect(e.message).toBe(
      `context "kind-x" not found in KUBECONFIG=${[a, b].join(delimiter)} (available: ctx-a, ctx-b)`,
    );
  });

  it('rejects an empty or broken kubeconfig in one line', () => {
    const empty = file('empty.yaml', '');
    const e = failure(() => resolveKubeconfig({ kubeconfig: empty, env: {} }));
    expect(e.failure).toBe('bad-kubeconfig');
    expect(e.message).not.toContain('\n');
    const noCurrent = file(
      'nocurrent.yaml',
      JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }),
    );
    const e2 = failure(() => resolveKubeconfig({ kubeconfig: noCurrent, env: {} }));
    expect(e2.message).toMatch(
      /sets no current-context: pass --context NAME \(the kubeconfig defines no contexts\)/,
    );
  });
});
