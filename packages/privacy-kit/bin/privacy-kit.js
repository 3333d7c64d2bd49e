#!/usr/bin/env node
'use strict';
// A committed launcher, so that npm can link the `privacy-kit` binary at install time, before the TypeScript
// build has produced dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'bin.js');
if (!existsSync(built)) {
  process.stderr.write('privacy-kit: the privacy-kit package is not built (dist/bin.js is missing). Run `npm run build` first.\n');
  process.exit(2);
}
require(built);
