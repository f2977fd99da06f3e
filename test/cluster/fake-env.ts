// A throw-away machine for the cluster tests: a bin folder holding the chosen
// recording fakes (and `node`, for their shebang) as the whole PATH, a world
// file, a call log and a state folder. Runs `ica-trainer cluster ...` as a user
// would, through the real binary (bin/ica-trainer.js).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import {
  emptyWorld,
  type FakeCall,
  type FakeToolName,
  type FakeWorld,
  readWorld,
  writeWorld,
} from '../fixtures/fake-bin/world.ts';
import { type CliResult, runCli } from '../helpers/cli.ts';

export const ALL_TOOLS: FakeToolName[] = ['docker', 'kind', 'kubectl', 'istioctl'];
const FAKE_BIN = fileURLToPath(new URL('../fixtures/fake-bin/bin/', import.meta.url));

export interface FakeEnv {
  root: string;
  bin: string;
  home: string;
  worldPath: string;
  logPath: string;
  /** environment for the CLI and the fakes */
  env: Record<string, string>;
  world(): FakeWorld;
  updateWorld(change: (w: FakeWorld) => void): void;
  calls(): FakeCall[];
  /** the calls as command lines: "kind get clusters" */
  commands(): string[];
  clearLog(): void;
  run(args: string[]): CliResult;
  cleanup(): void;
}

export interface FakeEnvOptions {
  /** the fakes on PATH (default: all four) */
  tools?: FakeToolName[];
  /** the starting world (merged over an empty machine) */
  world?: Partial<FakeWorld>;
  /** start from a copy of another machine: its world and its state folder */
  from?: FakeEnv;
}

export function makeFakeEnv(options: FakeEnvOptions = {}): FakeEnv {
  const root = mkdtempSync(join(tmpdir(), 'ica-cluster-'));
  const bin = join(root, 'bin');
  const home = join(root, 'home');
  mkdirSync(bin);
  for (const tool of options.tools ?? ALL_TOOLS) symlinkSync(join(FAKE_BIN, tool), join(bin, tool));
  symlinkSync(process.execPath, join(bin, 'node'));
  const worldPath = join(root, 'world.json');
  const logPath = join(root, 'calls.jsonl');
  writeWorld(worldPath, { ...emptyWorld(), ...(options.from ? options.from.world() : {}), ...options.world });
  if (options.from && existsSync(options.from.home)) cpSync(options.from.home, home, { recursive: true });
  const env: Record<string, string> = {
    PATH: bin,
    FAKE_WORLD: worldPath,
    FAKE_LOG: logPath,
    ICA_TRAINER_HOME: home,
    NO_COLOR: '1',
  };
  const calls = (): FakeCall[] =>
    existsSync(logPath)
      ? readFileSync(logPath, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as FakeCall)
      : [];
  return {
    root,
    bin,
    home,
    worldPath,
    logPath,
    env,
    world: () => readWorld(worldPath),
    updateWorld(change) {
      const w = readWorld(worldPath);
      change(w);
      writeWorld(worldPath, w);
    },
    calls,
    commands: () => calls().map((c) => [c.tool, ...c.args].join(' ')),
    clearLog: () => rmSync(logPath, { force: true }),
    run: (args) => runCli(['cluster', ...args], { env }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * One `cluster up` for a test file (run before its tests); each call of the
 * returned function gives a fresh copy of the machine it left.
 */
export function afterClusterUp(): () => FakeEnv {
  let afterUp: FakeEnv | undefined;
  beforeAll(() => {
    afterUp = makeFakeEnv();
    const r = afterUp.run(['up']);
    if (r.code !== 0) throw new Error(`cluster up failed: ${r.stderr}`);
  });
  afterAll(() => afterUp?.cleanup());
  return () => {
    if (!afterUp) throw new Error('afterClusterUp: used outside a test');
    return makeFakeEnv({ from: afterUp });
  };
}

/** The sample ext-authz providers of istio.io's authz-custom task, as istioctl --set values. */
export const PROVIDER_SETS = [
  'meshConfig.extensionProviders[0].name=sample-ext-authz-grpc',
  'meshConfig.extensionProviders[0].envoyExtAuthzGrpc.service=ext-authz.foo.svc.cluster.local',
  'meshConfig.extensionProviders[0].envoyExtAuthzGrpc.port=9000',
  'meshConfig.extensionProviders[1].name=sample-ext-authz-http',
  'meshConfig.extensionProviders[1].envoyExtAuthzHttp.service=ext-authz.foo.svc.cluster.local',
  'meshConfig.extensionProviders[1].envoyExtAuthzHttp.port=8000',
  'meshConfig.extensionProviders[1].envoyExtAuthzHttp.includeRequestHeadersInCheck[0]=x-ext-authz',
];
/** The same, as the install's command-line words. */
export const PROVIDERS = PROVIDER_SETS.map((s) => `--set ${s}`).join(' ');
