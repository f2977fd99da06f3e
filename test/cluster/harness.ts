// Runs `cluster ...` through a fresh commander program, handling errors the way
// src/cli/program.ts's main() does, for as long as registerCluster is not wired
// into program.ts (test/cluster/fake-env.ts switches to the real binary once it is).
import { Command, CommanderError } from 'commander';
import { registerCluster } from '../../src/cli/cluster.ts';
import { EXIT, UserError } from '../../src/cli/output.ts';

const program = new Command('ica-trainer').exitOverride();
registerCluster(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  else if (e instanceof UserError) {
    process.stderr.write(`ica-trainer: ${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`ica-trainer: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
