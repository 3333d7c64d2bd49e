import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: CLI runs start there, like `npx privacy-kit` in a project. */
export const ROOT = resolve(__dirname, '..', '..', '..', '..');
/** The built binary the tests run, as users get it. */
export const CLI = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
/** Fixture modules, relative to the root. */
export const FIXTURES = 'packages/cli/test/fixtures';

/** What a run printed and how it exited. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built `privacy-kit` binary with arguments, from the repository root, without colour unless asked.
 *
 * @param args - the arguments after `privacy-kit`
 * @param options - extra environment, working directory
 */
export function runCli(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {}): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the CLI tests (npm test does).`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR;
  if (options.env?.FORCE_COLOR !== undefined) env.FORCE_COLOR = options.env.FORCE_COLOR;
  if (options.env !== undefined && 'NO_COLOR' in options.env && options.env.NO_COLOR === undefined) delete env.NO_COLOR;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
