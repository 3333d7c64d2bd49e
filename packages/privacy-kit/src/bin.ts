#!/usr/bin/env node
import { runAndExit } from '@privacy-kit/cli';

// The `privacy-kit` command of the umbrella package is @privacy-kit/cli's, run the same way as its own binary.
runAndExit(process.argv.slice(2));
