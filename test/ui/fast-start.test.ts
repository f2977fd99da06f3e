// The start-up settings: the resolve hook points ink's es-toolkit import at the
// same throttle function, and ink still renders with it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { throttleModule } from '../../src/ui/fast-start.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('fast start', () => {
  it("finds es-toolkit's throttle module, which exports the function ink imports", async () => {
    const require = createRequire(import.meta.url);
    const entry = pathToFileURL(require.resolve('es-toolkit/compat/throttle')).href;
    const url = throttleModule(entry);
    expect(url).toBeDefined();
    const mod = (await import(url ?? '')) as { throttle?: unknown };
    expect(typeof mod.throttle).toBe('function');
    const barrel = (await import('es-toolkit/compat')) as { throttle?: unknown };
    expect(mod.throttle).toBe(barrel.throttle);
  });

  it('lets ink load and render with the hook in place, in production mode', () => {
    const script = `
      const { prepareFastStart } = await import('./src/ui/fast-start.ts');
      const done = prepareFastStart();
      const { renderToString, Text } = await import('ink');
      const { createElement } = await import('react');
      done();
      process.stdout.write(renderToString(createElement(Text, null, 'hello ' + process.env.NODE_ENV)));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV')),
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello production');
  });
});
