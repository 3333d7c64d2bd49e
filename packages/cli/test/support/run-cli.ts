import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { run } from '@privacy-kit/cli';

/** The repository root: CLI runs start there, like `npx privacy-kit` in a project. */
export const ROOT = resolve(__dirname, '..', '..', '..', '..');
/** The CLI's entry point, as written (no build): a stale dist/ can never answer for the source. */
export const CLI_SOURCE = join(ROOT, 'packages', 'cli', 'src', 'bin.ts');
/** Fixture modules, relative to the root. */
export const FIXTURES = 'packages/cli/test/fixtures';

/**
 * tsx, the CLI's own TypeScript loader, compiles the sources as they load; the root tsconfig's `paths` send every
 * `@privacy-kit/*` import (the CLI's and the fixture app's alike) to packages/<name>/src. Like TypeScript, tsx reads
 * a required './x.mjs' as './x.mts' when both exist, so no two fixtures share a base name across .mjs and .mts.
 */
const TSX = require.resolve('tsx/cjs');
const TSCONFIG = join(ROOT, 'tsconfig.json');

/** What a run printed and how it exited. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function environment(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  if (extra?.FORCE_COLOR !== undefined) env.FORCE_COLOR = extra.FORCE_COLOR;
  if (extra !== undefined && 'NO_COLOR' in extra && extra.NO_COLOR === undefined) delete env.NO_COLOR;
  return env;
}

/**
 * Runs `privacy-kit` from its TypeScript source in a child process (as the binary runs: its own process, which it
 * ends once output is written, whatever the loaded app leaves open), from the repository root, without colour
 * unless asked.
 *
 * @param args - the arguments after `privacy-kit`
 * @param options - extra environment, working directory
 */
export function runCli(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {}): CliRun {
  const env = { ...environment(options.env), TSX_TSCONFIG_PATH: TSCONFIG };
  const result = spawnSync(process.execPath, ['--require', TSX, CLI_SOURCE, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `privacy-kit` like {@link runCli}, and sends it SIGINT (Ctrl-C) as soon as its standard error matches
 * `when`: an interruption in the middle of the work, for the resume tests.
 *
 * @param args - the arguments after `privacy-kit`
 * @param when - what the run has printed on stderr when it is interrupted, e.g. its progress line
 * @param options - extra environment
 */
export function interruptCli(args: readonly string[], when: RegExp, options: { readonly env?: NodeJS.ProcessEnv } = {}): Promise<{ readonly code: number | null; readonly stderr: string }> {
  const env = { ...environment(options.env), TSX_TSCONFIG_PATH: TSCONFIG };
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--require', TSX, CLI_SOURCE, ...args], { cwd: ROOT, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (when.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('close', (code) => done({ code, stderr }));
  });
}

/**
 * Runs `privacy-kit` in this process through its exported `run()`, for commands that load no app module (help,
 * usage errors, schema): the same program, without the cost of a process.
 *
 * @param args - the arguments after `privacy-kit`
 * @param options - extra environment
 */
export async function runInProcess(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    isTTY: false,
    env: environment(options.env),
    cwd: ROOT,
  });
  return { status, stdout, stderr };
}
