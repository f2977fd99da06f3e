// Entry module: parse the process arguments and run.
import { main } from './program.ts';

await main();
