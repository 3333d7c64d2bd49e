#!/usr/bin/env node
import { runAndExit } from './cli.program';

runAndExit(process.argv.slice(2));
