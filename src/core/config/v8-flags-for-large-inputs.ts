// V8 flags set at run time when the loader meets a large input: two, each measured.
// Large inputs keep V8's young generation at the size it has. Everything the loader
// and the analyzer build for a large input lives until the analysis ends, so V8 sees
// a high survival rate and grows the young generation to its maximum (2 x 64 MB in
// Node 24), which then only holds survivors that are copied before being promoted.
// Not growing it measured peak RSS 277-317 -> 196-211 MB on 10,000 resources (hosts-
// heavy), 245 -> 161 MB (mesh), with the same or less CPU time (DESIGN, Decisions).
// The same inputs skip V8's top compiler tier (TurboFan): a one-shot analysis of
// under a second spends more CPU compiling its hot functions there, on other
// threads, than the compiled code saves; Maglev's tier stays (DESIGN, Decisions).
import v8 from 'node:v8';

/** Inputs this large (characters) are worth both flags; small ones never grow the young generation much nor run long enough to tier up. */
export const LARGE_INPUT = 1024 * 1024;

let applied = false;
let tierApplied = false;

/** Stops the young generation from growing (once per process; a user's own semi-space flags win). */
export function keepYoungGenerationSmall(): void {
  if (applied) return;
  applied = true;
  const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
  if (flags.includes('semi-space')) return;
  // read by V8 each time it would grow the young generation, so it takes effect at run time
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Leaves TurboFan out from now on (once per process; a user's own turbofan/opt flag wins). */
export function skipTopCompilerTier(): void {
  if (tierApplied) return;
  tierApplied = true;
  const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
  if (/--(no-)?(turbofan|opt)\b/.test(flags)) return;
  // read by V8 each time it would tier a function up, so it takes effect at run time
  v8.setFlagsFromString('--no-turbofan');
}
