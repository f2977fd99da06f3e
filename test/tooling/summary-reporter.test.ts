// The closing `N passed, N failed, N skipped` line, read from a real vitest run over
// small test files written for the purpose (one whose hook times out before its tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const reporter = new URL('../summary-reporter.ts', import.meta.url).pathname;
const vitestBin = new URL('../../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'ica-reporter-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function closingLine(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const r = spawnSync(
    process.execPath,
    [vitestBin, 'run', '--root', root, '--reporter', reporter, ...Object.keys(files)],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: '', NO_COLOR: '1' } },
  );
  const lines = r.stdout.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

const passing = `import { expect, it } from 'vitest';\nit('ok', () => { expect(1).toBe(1); });\n`;

it('counts a file whose beforeAll timed out as failed, its tests as skipped', () => {
  const hookTimesOut = `import { beforeAll, describe, expect, it } from 'vitest';
describe('suite', () => {
  beforeAll(() => new Promise((r) => setTimeout(r, 2000)), 50);
  it('a', () => { expect(1).toBe(1); });
  it('b', () => { expect(1).toBe(1); });
});\n`;
  expect(closingLine({ 'ok.test.ts': passing, 'hook.test.ts': hookTimesOut })).toBe(
    '1 passed, 1 failed, 2 skipped',
  );
}, 120_000);

it('counts failed tests once each, not their file again', () => {
  const twoFail = `import { expect, it } from 'vitest';
it('x', () => { expect(1).toBe(2); });
it('y', () => { expect(1).toBe(2); });
it('z', () => { expect(1).toBe(1); });\n`;
  expect(closingLine({ 'two.test.ts': twoFail })).toBe('1 passed, 2 failed, 0 skipped');
}, 120_000);
