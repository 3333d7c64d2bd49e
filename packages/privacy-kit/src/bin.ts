#!/usr/bin/env node
import { run } from '@privacy-kit/cli';

// The `privacy-kit` command of the umbrella package is @privacy-kit/cli's, run the same way as its own binary.
// The loaded app may hold handles (a database, timers, even a listening server): exit once output is written.
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (error: unknown) => {
    process.stderr.write(`privacy-kit: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`, () => process.exit(2));
  },
);
