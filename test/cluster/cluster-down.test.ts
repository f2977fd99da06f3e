// `cluster down` against recording fakes; the confirmation path through the core function.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterDown } from '../../src/core/cluster/cluster-up.ts';
import { execaRunner } from '../../src/core/cluster/exec.ts';
import { afterClusterUp, type FakeEnv, makeFakeEnv } from './fake-env.ts';

let fake: FakeEnv | undefined;
afterEach(() => {
  fake?.cleanup();
  fake = undefined;
});

// One `cluster up` for the file; each test starts from a copy of the machine it left.
const withCluster = afterClusterUp();

describe('cluster down', () => {
  it('refuses without --yes when not interactive: exit 2, nothing runs, the cluster stays', () => {
    fake = withCluster();
    const r = fake.run(['down']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run it again with --yes to confirm');
    expect(fake.commands()).toEqual([]);
    expect(Object.keys(fake.world().clusters)).toEqual(['ica']);
    expect(existsSync(join(fake.home, 'cluster.json'))).toBe(true);
  });

  it('with --yes deletes the kind cluster and forgets the recorded context', () => {
    fake = withCluster();
    const r = fake.run(['down', '--yes']);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual([
      'docker info --format {{.ServerVersion}}',
      'kind get clusters',
      'kind delete cluster --name ica',
    ]);
    expect(r.stdout).toContain('Deleted the kind cluster "ica". Its recorded context was forgotten.');
    expect(fake.world().clusters).toEqual({});
    expect(fake.world().contexts).toEqual([]);
    expect(existsSync(join(fake.home, 'cluster.json'))).toBe(false);
  });

  it('with --yes and no such cluster deletes nothing and says so', () => {
    fake = makeFakeEnv();
    const r = fake.run(['down', '-y', '--name', 'other']);
    expect(r.code).toBe(0);
    expect(fake.commands()).toEqual(['docker info --format {{.ServerVersion}}', 'kind get clusters']);
    expect(r.stdout).toContain('There is no kind cluster named "other": nothing to delete.');
  });

  it('leaves the record of another cluster alone', () => {
    fake = withCluster();
    fake.updateWorld((w) => {
      w.clusters.scratch = { namespaces: {}, objects: {}, deployments: {} };
    });
    expect(fake.run(['down', '--yes', '--name', 'scratch']).code).toBe(0);
    expect(Object.keys(fake.world().clusters)).toEqual(['ica']);
    expect(existsSync(join(fake.home, 'cluster.json'))).toBe(true);
  });

  it('reports a failed deletion with its command and output (exit 1) and keeps the record', () => {
    fake = withCluster();
    fake.updateWorld((w) => {
      w.rules.push({
        tool: 'kind',
        match: 'delete cluster',
        exitCode: 1,
        stderr: 'ERROR: failed to delete cluster "ica": error deleting nodes: permission denied\n',
      });
    });
    const r = fake.run(['down', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('$ kind delete cluster --name ica');
    expect(r.stderr).toContain('permission denied');
    expect(existsSync(join(fake.home, 'cluster.json'))).toBe(true);
  });

  it('needs kind: a missing tool gives the install message and exit 2', () => {
    fake = makeFakeEnv({ tools: ['docker', 'kubectl', 'istioctl'] });
    const r = fake.run(['down', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`cluster down` needs kind, which is not installed');
    expect(fake.commands()).toEqual([]);
  });
});

describe('cluster down on a terminal (the confirmation)', () => {
  it('asks, and deletes nothing when the answer is no', async () => {
    fake = withCluster();
    const questions: string[] = [];
    const env = { ...process.env, ...fake.env };
    const result = await clusterDown(
      {
        name: 'ica',
        confirm: async (q) => {
          questions.push(q);
          return false;
        },
      },
      { run: execaRunner({ env }), env, home: fake.home },
    );
    expect(result).toEqual({ outcome: 'declined', name: 'ica' });
    expect(questions).toEqual(['Delete the kind cluster "ica" and everything in it?']);
    expect(fake.commands()).toEqual(['docker info --format {{.ServerVersion}}', 'kind get clusters']);
    expect(Object.keys(fake.world().clusters)).toEqual(['ica']);
  });

  it('deletes when the answer is yes', async () => {
    fake = withCluster();
    const env = { ...process.env, ...fake.env };
    const result = await clusterDown(
      { name: 'ica', confirm: async () => true },
      { run: execaRunner({ env }), env, home: fake.home },
    );
    expect(result).toEqual({ outcome: 'deleted', name: 'ica', forgotRecord: true });
    expect(fake.commands().at(-1)).toBe('kind delete cluster --name ica');
  });

  it('does not ask about a cluster that does not exist', async () => {
    fake = makeFakeEnv();
    const env = { ...process.env, ...fake.env };
    let asked = false;
    const result = await clusterDown(
      {
        name: 'ica',
        confirm: async () => {
          asked = true;
          return true;
        },
      },
      { run: execaRunner({ env }), env, home: fake.home },
    );
    expect(result.outcome).toBe('absent');
    expect(asked).toBe(false);
  });
});
