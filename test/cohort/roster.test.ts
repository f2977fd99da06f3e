import { describe, expect, it } from 'vitest';
import { learnerAccessManifests, learnerManifests } from '../../src/core/cohort/manifests.ts';
import { parseRoster, validateCohortName, validateIds } from '../../src/core/cohort/roster.ts';

describe('roster', () => {
  it('reads one id a line, skipping comments and blank lines', () => {
    expect(parseRoster('# spring cohort\nalice\n\n  bob   # joined late\ncarol-2\n', 'spring')).toEqual([
      'alice',
      'bob',
      'carol-2',
    ]);
  });

  it.each([
    ['alice\nBob\n', 'roster.txt:2: learner id "Bob" is not a DNS label: it has upper-case letters'],
    ['alice\nbob_x\n', `roster.txt:2: learner id "bob_x" is not a DNS label: it contains "_"`],
    [
      '\n\n-bob\n',
      'roster.txt:3: learner id "-bob" is not a DNS label: it must start and end with a letter or digit, not \'-\'',
    ],
    ['alice\nbob smith\n', 'roster.txt:2: one learner id per line, found "bob smith"'],
    ['alice\n# x\nalice\n', 'roster.txt:3: learner id "alice" is already on line 1'],
    [`${'a'.repeat(60)}\n`, 'roster.txt:1: learner id "aaaa'],
    ['# nobody yet\n', 'roster.txt lists no learner ids'],
  ])('names the line of a bad roster (%j)', (text, message) => {
    expect(() => parseRoster(text, 'spring', 'roster.txt')).toThrow(message);
  });

  it('checks cohort names and ids given as arguments', () => {
    expect(validateCohortName('spring-2025')).toBe('spring-2025');
    expect(() => validateCohortName('Spring')).toThrow('cohort name "Spring" is not a DNS label');
    expect(() => validateCohortName('default')).toThrow('reserved');
    expect(() => validateCohortName('a'.repeat(31))).toThrow('at most 30');
    expect(validateIds('spring', ['bob', 'bob', 'al'])).toEqual(['bob', 'al']);
    expect(() => validateIds('spring', ['B'])).toThrow('argument: learner id "B"');
  });
});

describe('what a learner gets', () => {
  it('a labelled namespace with sidecar injection, Bookinfo from the model, and their account', () => {
    const m = learnerManifests('spring', 'alice');
    expect(m[0]).toMatchObject({
      kind: 'Namespace',
      metadata: {
        name: 'spring-alice',
        labels: {
          'ica-trainer/cohort': 'spring',
          'ica-trainer/learner': 'alice',
          'istio-injection': 'enabled',
        },
      },
    });
    const names = m.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
    expect(names).toContain('Deployment/reviews-v3');
    expect(names).toContain('Service/productpage');
    expect(names).toContain('Deployment/fortio-deploy');
    expect(names.slice(-3)).toEqual([
      'ServiceAccount/learner',
      'Role/ica-trainer-learner',
      'RoleBinding/ica-trainer-learner',
    ]);
    expect(
      m.every(
        (o) => o.kind === 'Namespace' || (o.metadata as { namespace: string }).namespace === 'spring-alice',
      ),
    ).toBe(true);
  });

  it('a Role that writes Istio networking resources only, may exec (live probes), and reads pods and services', () => {
    const role = learnerAccessManifests('spring', 'alice')[1] as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const writable = role.rules.filter((r) => r.verbs.includes('create'));
    expect(writable).toEqual([
      expect.objectContaining({
        apiGroups: ['networking.istio.io'],
        resources: ['virtualservices', 'destinationrules', 'gateways', 'serviceentries'],
      }),
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
    expect(role.rules.flatMap((r) => r.resources)).not.toContain('secrets');
    // the namespace's Sidecar (cohort init's isolation) is read-only to the learner
    expect(role.rules.find((r) => r.resources.includes('sidecars'))?.verbs).toEqual(['get', 'list', 'watch']);
  });
});
