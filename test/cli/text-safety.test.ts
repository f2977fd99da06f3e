import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { printable, shellQuote } from '../../src/core/text-safety.ts';

describe('printable', () => {
  it('shows terminal escapes, carriage returns, newlines and bidi overrides as escapes', () => {
    expect(printable('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printable('ok\rFAKE')).toBe('ok\\rFAKE');
    expect(printable('x\ny')).toBe('x\\ny');
    expect(printable('\u009b31m')).toBe('\\x9b31m');
    expect(printable('abc\u202edef')).toBe('abc\\u202edef');
    expect(printable('tab\tand ünïcode ✓')).toBe('tab\tand ünïcode ✓');
  });
});

describe('shellQuote', () => {
  it.each([
    ['ica-labs/canary-20'],
    ['my labs'],
    ["it's; rm -rf ~"],
    ['$(touch /tmp/x)'],
    ['`id`'],
    [''],
    ['a\nb'],
  ])('%j comes back from sh as the one argument it was', (arg) => {
    const r = spawnSync('sh', ['-c', `printf '%s' ${shellQuote(arg)}`], { encoding: 'utf8' });
    expect(r.stdout).toBe(arg);
  });

  it('leaves plain words alone', () => {
    expect(shellQuote('canary-20')).toBe('canary-20');
    expect(shellQuote('../x/y.yaml')).toBe('../x/y.yaml');
  });
});
