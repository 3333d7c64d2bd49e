'use strict';
// npm run bench:postgres: the request-overhead benchmark of bench/request-overhead.js (same servers, same
// autocannon load on loopback, same bounded duration), with privacy() on the PostgreSQL store. Prints the
// throughput and p99 of bare Express and of privacy() on PostgreSQL, and their ratio.
// Needs a server: `npm run bench:postgres` runs it under scripts/with-postgres.sh (a throwaway cluster).
if (!process.env.DATABASE_URL) {
  console.error('bench:postgres: DATABASE_URL is not set. Run `npm run bench:postgres` (it starts a throwaway PostgreSQL),');
  console.error('or: bash scripts/with-postgres.sh node bench/request-overhead-postgres.js');
  process.exit(1);
}
// The servers are forked with this environment: request-overhead-server.js then opens createPostgresStore().
process.env.BENCH_STORE = 'postgres';
require('./request-overhead.js');
