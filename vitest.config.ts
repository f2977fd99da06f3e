import { defineConfig } from 'vitest/config';

// The trainer prints `npx ica-trainer …` when npx started it (src/core/command-name.ts).
// `npx vitest` sets the same variable for everything it starts: the tests run the
// trainer as the README's set-up leaves it, with `ica-trainer` as the command.
delete process.env.npm_command;

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'test/**/*.test.ts',
      'test/**/*.test.tsx',
      'graders/**/*.test.ts',
    ],
    testTimeout: 30_000,
    // hooks start fakes, API servers and temp workspaces: on a loaded 2-core machine a
    // 10 s default timed out before any test ran (issue 12)
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
