// Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's
// own summary, so that CI logs state the totals in a form any reader can parse.
// A test file that failed outside its tests (a hook timing out, an import throwing)
// counts as one failure even though its tests were only skipped: a run in which
// nothing was allowed to fail must never print "0 failed".
import type { Reporter, TestModule } from 'vitest/node';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function countTotals(testModules: ReadonlyArray<TestModule>): Totals {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  for (const mod of testModules) {
    let failedHere = 0;
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') totals.passed++;
      else if (state === 'failed') failedHere++;
      else totals.skipped++;
    }
    // failed before (or after) its tests ran: the file itself is the failure
    if (failedHere === 0 && mod.state() === 'failed') failedHere = 1;
    totals.failed += failedHere;
  }
  return totals;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const { passed, failed, skipped } = countTotals(testModules);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
