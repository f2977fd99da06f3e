// The near-miss facility: a criterion names the intended match and the grading library
// derives the requests that tell a right answer from an almost-right one.
import { describe, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import { matchInputs } from '../../src/core/grading/near-miss.ts';

const values = (list: { headers?: Record<string, string> }[], name: string) =>
  list.map((i) => i.headers?.[name]);
const paths = (list: { path?: string }[]) => list.map((i) => i.path);

describe('matchInputs', () => {
  it('an exact header value: extensions, cut-short values, other spellings of a yes/no', () => {
    const { matching, missing } = matchInputs({ header: 'x-canary', exact: 'true' }, '/reviews/0');
    expect(values(matching, 'x-canary')).toEqual(['true', undefined]);
    expect(matching[1]?.headers).toEqual({ 'X-Canary': 'true' }); // header names ignore case
    expect(values(missing, 'x-canary')).toEqual([
      undefined,
      '',
      'tru',
      'xtrue',
      'true-smith',
      'truex',
      'yes',
      '1',
      'on',
    ]);
    expect(missing.every((i) => i.path === '/reviews/0')).toBe(true);
  });

  it('case variants only where the task cares', () => {
    const loose = matchInputs({ header: 'end-user', exact: 'jason' });
    expect(values(loose.missing, 'end-user')).not.toContain('Jason');
    const strict = matchInputs({ header: 'end-user', exact: 'jason', caseMatters: true });
    expect(values(strict.missing, 'end-user')).toEqual(
      expect.arrayContaining(['Jason', 'JASON', 'jason-smith', 'jasonx', 'jaso']),
    );
  });

  it('a prefix path: the prefix itself, a trailing slash and long ids match; neighbours do not', () => {
    const { matching, missing } = matchInputs({ uri: 'prefix', path: '/reviews/' });
    expect(paths(matching)).toEqual([
      '/reviews/',
      '/reviews/0',
      '/reviews/12/',
      '/reviews/1234567890',
      '/reviews/0/history',
    ]);
    expect(paths(missing)).toEqual(['/reviews-archive/0', '/api/reviews/0', '/health', '/reviews']);
  });

  it('an exact path: a query string still matches; extensions, trailing slash and another id do not', () => {
    const { matching, missing } = matchInputs({ uri: 'exact', path: '/reviews/0', caseMatters: true });
    expect(paths(matching)).toEqual(['/reviews/0', '/reviews/0?lang=en']);
    expect(paths(missing)).toEqual([
      '/reviews/00',
      '/reviews/0/history',
      '/reviews/0/',
      '/health',
      '/reviews/1',
      '/Reviews/0',
    ]);
  });

  it('a numeric id: ids of any length match; no id, letters, deeper paths and other prefixes do not', () => {
    const { matching, missing } = matchInputs({ uri: 'numeric-id', under: '/reviews/' });
    expect(paths(matching)).toContain('/reviews/1234567890');
    expect(paths(missing)).toEqual([
      '/reviews/',
      '/reviews/abc',
      '/reviews/1a',
      '/reviews/a1',
      '/reviews/12/',
      '/reviews/12/history',
      '/api/reviews/12',
      '/health',
    ]);
  });
});

describe('near misses in a lab', () => {
  it('a wrong answer is told which near miss it routed wrongly, and why that matters', async () => {
    const lab = loadExercises().exercises.find((e) => e.id === 'header-canary-v3')!;
    const dir = new URL('../labs/header-canary-v3/wrong-true-or-yes', import.meta.url).pathname;
    const r = await gradeLab(lab, { dir });
    const others = r.criteria.find((c) => c.id === 'others')!;
    expect(others.pass).toBe(false);
    expect(others.reason).toContain(
      'requests to reviews for /reviews/0 with x-canary: yes: v3 100%, expected v1 100% [yes reads like true but the task says true only]',
    );
    expect(others.reason).not.toContain('truex'); // only the inputs that went wrong are listed
  });
});
