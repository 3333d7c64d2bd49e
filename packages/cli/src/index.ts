export { run, runAndExit } from './cli.program';
export type { CliEnvironment } from './cli.program';
export { EXIT_CODES } from './exit-codes';
export type { ExitCode } from './exit-codes';
