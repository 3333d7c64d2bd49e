'use strict';
/**
 * npm run bench:redact: @privacy-kit/redact and @privacy-kit/winston side by side with the usual tools, in one
 * process, on the same inputs.
 *
 *   structured   JSON.stringify, fast-redact, @pinojs/redact and ours, on the same paths
 *   end to end   winston json, winston + fast-redact, winston + redactPii(), on a request record and on
 *                application log lines
 *   pino         plain pino, pino + its own redact paths, pino + @privacy-kit/pino redactPii() (defaults, paths only)
 *   free text    redact-pii and ours on 100 B, 1 KB, 16 KB and 256 KB messages of the leak corpus, next to two
 *                floors: one bare pass over the characters, and the shared text profile alone (read from the
 *                built module packages/redact/dist/text/text-profile.js, which the package does not export)
 *   accuracy     leaks and changed hard negatives on the leak corpus, and leaks by type on the held-back corpus
 *
 * Requires the built packages (`npm run build`); the corpus generator is TypeScript test code, loaded with
 * ts-node in transpile-only mode. `--quick` runs shorter rounds; `--only=structured,winston,pino,text,accuracy`
 * runs some sections. Throughputs are medians of interleaved rounds, so that a busy machine slows
 * every contender alike; the ratios are what to read.
 */
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });

const winston = require('winston');
const Transport = require('winston-transport');
const fastRedact = require('fast-redact');
const pinoRedact = require('@pinojs/redact');
const { SyncRedactor } = require('redact-pii');
const { createRedactor } = require('@privacy-kit/redact');
const { redactPii } = require('@privacy-kit/winston');
const pino = require('pino');
const { redactPii: pinoRedactPii } = require('@privacy-kit/pino');
const { generateCorpus, generateLogLines, generateMessages } = require('../packages/redact/test/corpus/leak-corpus.ts');
const { changedNegatives, findLeaks, leaksByType, serialize } = require('../packages/redact/test/corpus/leak-check.ts');
const { generateHeldOut } = require('../packages/redact/test/corpus/held-out.ts');
const pii = require('../packages/redact/test/corpus/personal-values.ts');
const { Prng } = require('../packages/redact/test/corpus/prng.ts');
// eslint-disable-next-line no-restricted-syntax, import-x/no-restricted-paths -- this benchmark times one internal step of the engine (the shared text profile)
const { ProfileBuffers, TextProfile } = require('../packages/redact/dist/text/text-profile.js');

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 3 : 7;
const ROUND_MS = QUICK ? 150 : 300;

// ---------------------------------------------------------------------------------------------- measuring

function opsPerSecond(fn, inputs, ms) {
  let i = 0;
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    for (let k = 0; k < 8; k++) {
      fn(inputs[i]);
      i = i + 1 === inputs.length ? 0 : i + 1;
      calls++;
    }
    elapsed = Number(process.hrtime.bigint() - start);
  } while (elapsed < ms * 1e6);
  return calls / (elapsed / 1e9);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the contenders in interleaved rounds and returns the median ops/s of each. */
function compare(contenders, inputs, ms = ROUND_MS) {
  for (const c of contenders) opsPerSecond(c.fn, inputs, Math.min(ms, 100));
  const samples = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach((c, k) => samples[k].push(opsPerSecond(c.fn, inputs, ms)));
  }
  return contenders.map((c, k) => ({ name: c.name, ops: median(samples[k]) }));
}

function fmt(n) {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

function table(title, rows, extra = () => '') {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) console.log(`  ${r.name.padEnd(width)}  ${fmt(r.ops).padStart(12)} ops/s${extra(r)}`);
}

const verdicts = [];
function verdict(label, ok, detail) {
  verdicts.push(`${ok ? 'MET    ' : 'NOT MET'}  ${label}: ${detail}`);
}

// ---------------------------------------------------------------------------------------------- inputs

const PATHS = ['user.password', 'user.email', 'headers.authorization', 'headers.cookie', 'payment.card.number', 'customers[*].email', 'customers[*].phone'];

function requestRecord(rng) {
  return {
    requestId: `req-${rng.hex(12)}`,
    route: 'POST /api/v1/checkout',
    status: 200,
    durationMs: rng.int(1, 900) / 10,
    user: { id: rng.int(1, 99999), email: pii.email(rng), password: pii.password(rng), plan: 'gold' },
    headers: { authorization: `Bearer ${pii.bearerToken(rng)}`, cookie: `sid=${pii.sessionId(rng)}`, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.6099.109', accept: 'application/json' },
    payment: { card: { number: pii.card(rng), expiry: '12/29' }, amountCents: rng.int(100, 99999), currency: 'EUR' },
    customers: [{ email: pii.email(rng), phone: pii.phone(rng), tier: 2 }, { email: pii.email(rng), phone: pii.phone(rng), tier: 1 }],
    tags: ['checkout', 'web'],
  };
}

const rng = new Prng(2024);
const records = Array.from({ length: 256 }, () => requestRecord(rng));
const clonePool = () => records.map((r) => JSON.parse(JSON.stringify(r)));

// ---------------------------------------------------------------------------------------------- structured

function structured() {
  const fr = fastRedact({ paths: PATHS });
  const pr = pinoRedact({ paths: PATHS });
  const oursPaths = createRedactor({ paths: PATHS, keys: false, text: false, classAware: false });
  const oursFull = createRedactor({ paths: PATHS });
  const planted = records[0].user.password;
  for (const [name, out] of [['fast-redact', fr(records[0])], ['@pinojs/redact', pr(records[0])], ['ours', JSON.stringify(oursPaths(records[0]))]]) {
    if (out.includes(planted)) throw new Error(`${name} did not redact the benchmark paths`);
  }
  const rows = compare(
    [
      { name: 'JSON.stringify (no redaction)', fn: (r) => JSON.stringify(r) },
      { name: 'fast-redact', fn: (r) => fr(r) },
      { name: '@pinojs/redact', fn: (r) => pr(r) },
      { name: 'privacy-kit createRedactor({ paths }) paths only + JSON.stringify', fn: (r) => JSON.stringify(oursPaths(r)) },
      { name: 'privacy-kit createRedactor({ paths }) full defaults + JSON.stringify', fn: (r) => JSON.stringify(oursFull(r)) },
    ],
    records,
  );
  const base = rows[1].ops;
  table(`Structured: ${PATHS.length} paths on a ${JSON.stringify(records[0]).length}-byte request record, output a JSON string`, rows, (r) => `   ${(r.ops / base).toFixed(2)}x fast-redact`);
  return rows;
}

// ---------------------------------------------------------------------------------------------- winston

class NullTransport extends Transport {
  log(info, callback) {
    callback();
  }
}

function winstonLogger(format) {
  return winston.createLogger({ level: 'info', format, transports: [new NullTransport()] });
}

function endToEnd() {
  const { format } = winston;
  const { combine, json } = format;
  // fast-redact in winston: redact in place before json(), restore the caller's objects after it.
  const fr = fastRedact({ paths: PATHS, serialize: false });
  const frRedact = format((info) => fr(info))();
  const frRestore = format((info) => fr.restore(info))();
  const loggers = [
    { name: 'winston json()', logger: winstonLogger(combine(json())) },
    { name: 'winston + fast-redact (redact, json(), restore)', logger: winstonLogger(combine(frRedact, json(), frRestore)) },
    { name: 'winston + redactPii({ paths }) paths only', logger: winstonLogger(combine(redactPii({ paths: PATHS, keys: false, text: false, classAware: false }), json())) },
    { name: 'winston + redactPii({ paths }) full defaults', logger: winstonLogger(combine(redactPii({ paths: PATHS }), json())) },
    { name: 'winston + redactPii() no options', logger: winstonLogger(combine(redactPii(), json())) },
  ];
  const pools = loggers.map(() => clonePool());
  let k = 0;
  const rows = compare(
    loggers.map((l, index) => ({ name: l.name, fn: () => l.logger.info('request handled', pools[index][(k = (k + 1) & 255)]) })),
    [0],
  );
  const base = rows[1].ops;
  table('End to end: logger.info(message, record) through winston into a null transport', rows, (r) => `   ${(r.ops / base).toFixed(2)}x winston + fast-redact`);
  verdict('path redaction inside winston >= 1.0x winston + fast-redact', rows[2].ops / base >= 1, `${(rows[2].ops / base).toFixed(2)}x (paths only); full defaults ${(rows[3].ops / base).toFixed(2)}x`);
  const plain = rows[0].ops;
  verdict('winston + redactPii() (defaults) >= 0.70x winston json(), request record', rows[4].ops / plain >= 0.7, `${(rows[4].ops / plain).toFixed(2)}x`);
  return rows;
}

/**
 * winston on application log lines: a message string per call, as most apps log. The pool holds more distinct lines
 * than the redactor remembers clean strings (CLEAN_MEMO_SIZE, two generations), so every line is scanned, as in a
 * real log where timestamps make every line new.
 */
function endToEndLines() {
  const { combine, json } = winston.format;
  const lines = generateLogLines(4242, 20000).map((r) => r.value);
  const loggers = [
    { name: 'winston json()', logger: winstonLogger(combine(json())) },
    { name: 'winston + redactPii() no options', logger: winstonLogger(combine(redactPii(), json())) },
  ];
  let k = 0;
  const rows = compare(loggers.map((l) => ({ name: l.name, fn: () => l.logger.info(lines[(k = k + 1 === lines.length ? 0 : k + 1)]) })), [0]);
  const plain = rows[0].ops;
  table(`End to end: logger.info(line) through winston into a null transport, ${lines.length.toLocaleString('en-US')} distinct application log lines`, rows, (r) => `   ${(r.ops / plain).toFixed(2)}x winston json()`);
  verdict('winston + redactPii() (defaults) >= 0.70x winston json(), application log lines', rows[1].ops / plain >= 0.7, `${(rows[1].ops / plain).toFixed(2)}x`);
  return rows;
}

// ---------------------------------------------------------------------------------------------- pino

function pinoEndToEnd() {
  // pino's fast path: a destination with write() and nothing else (no sonic-boom, no worker thread).
  const nullDestination = { write() {} };
  const contenders = [
    { name: 'pino (no redaction)', options: {} },
    { name: 'pino + its own redact paths', options: { redact: PATHS } },
    { name: 'pino + privacy-kit redactPii() defaults', options: pinoRedactPii() },
    { name: 'pino + privacy-kit redactPii({ paths }) paths only', options: pinoRedactPii({ paths: PATHS, keys: false, text: false, classAware: false }) },
  ];
  const planted = records[0].user.password;
  for (const c of contenders.slice(1)) {
    const lines = [];
    pino(c.options, { write: (line) => lines.push(line) }).info(records[0], 'request handled');
    if (lines[0].includes(planted)) throw new Error(`${c.name} did not redact the benchmark paths`);
  }
  const loggers = contenders.map((c) => pino(c.options, nullDestination));
  const pools = loggers.map(() => clonePool());
  let k = 0;
  const rows = compare(
    contenders.map((c, index) => ({ name: c.name, fn: () => loggers[index].info(pools[index][(k = (k + 1) & 255)], 'request handled') })),
    [0],
  );
  const base = rows[0].ops;
  table('End to end: logger.info(record, message) through pino into a null destination', rows, (r) => `   ${(r.ops / base).toFixed(2)}x plain pino`);
  verdict('pino + privacy-kit redaction (defaults) >= 0.70x plain pino, request record', rows[2].ops / base >= 0.7, `${(rows[2].ops / base).toFixed(2)}x; paths only ${(rows[3].ops / base).toFixed(2)}x; pino's own redact paths ${(rows[1].ops / base).toFixed(2)}x`);
  return rows;
}

/** pino on application log lines: a message string per call (see endToEndLines for why the pool is that large). */
function pinoEndToEndLines() {
  const nullDestination = { write() {} };
  const lines = generateLogLines(4242, 20000).map((r) => r.value);
  const loggers = [
    { name: 'pino (no redaction)', logger: pino({}, nullDestination) },
    { name: 'pino + privacy-kit redactPii() defaults', logger: pino(pinoRedactPii(), nullDestination) },
  ];
  let k = 0;
  const rows = compare(loggers.map((l) => ({ name: l.name, fn: () => l.logger.info(lines[(k = k + 1 === lines.length ? 0 : k + 1)]) })), [0]);
  const base = rows[0].ops;
  table(`End to end: logger.info(line) through pino into a null destination, ${lines.length.toLocaleString('en-US')} distinct application log lines`, rows, (r) => `   ${(r.ops / base).toFixed(2)}x plain pino`);
  verdict('pino + privacy-kit redaction (defaults) >= 0.70x plain pino, application log lines', rows[1].ops / base >= 0.7, `${(rows[1].ops / base).toFixed(2)}x`);
  return rows;
}

// ---------------------------------------------------------------------------------------------- free text

/**
 * The floor of any scanner written in JavaScript: one pass over the characters that reads each one and looks it
 * up in a class table, doing nothing else. Printed as a ratio to redact-pii next to ours, so that the room a
 * throughput target leaves is visible: at 20x, ours may cost at most (bare-pass ratio / 20) bare passes.
 */
const CLASS_TABLE = new Uint8Array(65536).map((_, c) => (c >= 48 && c <= 57 ? 1 : c === 64 || c === 58 || c === 61 ? 2 : 0));
function barePass(s) {
  let seen = 0;
  for (let i = 0; i < s.length; i++) seen |= CLASS_TABLE[s.charCodeAt(i)];
  return seen;
}

/**
 * The second floor: the profile every detector shares (which kinds of characters a string holds, and its numeric
 * candidates), built by the library's own native searches. Whatever it costs is gone from the budget before any
 * detector runs; the detectors, URL decoding and the replacements must fit in what is left.
 */
const profileBuffers = new ProfileBuffers();
function sharedProfile(s) {
  return new TextProfile(s, profileBuffers).clusterCount;
}

function freeTextOn(title, corpusText) {
  const theirs = new SyncRedactor();
  const ours = createRedactor({ maxStringLength: 512 * 1024 });
  const results = [];
  console.log(`\nFree text: redact-pii SyncRedactor (defaults) vs createRedactor().text(), ${title}`);
  for (const size of [100, 1024, 16 * 1024, 256 * 1024]) {
    const count = size >= 256 * 1024 ? 2 : size >= 16 * 1024 ? 8 : 64;
    const messages = [];
    for (let m = 0; m < count; m++) {
      const start = Math.floor(((corpusText.length - size) * m) / count);
      messages.push(corpusText.slice(start, start + size));
    }
    const [a, b, floor, profile] = compare(
      [
        { name: 'redact-pii', fn: (s) => theirs.redact(s) },
        { name: 'privacy-kit', fn: (s) => ours.text(s) },
        { name: 'one bare pass', fn: barePass },
        { name: 'shared profile', fn: sharedProfile },
      ],
      messages,
      size >= 256 * 1024 ? ROUND_MS * 2 : ROUND_MS,
    );
    const ratio = b.ops / a.ops;
    results.push({ size, ratio, floor: floor.ops / a.ops, profile: profile.ops / a.ops });
    const label = size >= 1024 ? `${size / 1024} KB` : `${size} B`;
    console.log(
      `  ${label.padStart(6)}  redact-pii ${fmt(a.ops).padStart(9)} ops/s ${((a.ops * size) / 1e6).toFixed(1).padStart(6)} MB/s   ` +
        `privacy-kit ${fmt(b.ops).padStart(9)} ops/s ${((b.ops * size) / 1e6).toFixed(1).padStart(6)} MB/s   ratio ${ratio.toFixed(1)}x   ` +
        `(one bare pass: ${(floor.ops / a.ops).toFixed(0)}x, shared profile alone: ${(profile.ops / a.ops).toFixed(0)}x)`,
    );
  }
  return results;
}

function density(records, text) {
  const planted = records.reduce((n, r) => n + r.planted.length, 0);
  return `one personal value per ${Math.round(text.length / planted)} bytes`;
}

function freeText() {
  const dense = generateMessages(99, 3000);
  const denseText = dense.map((r) => r.value).join('\n');
  const sparse = generateLogLines(99, 12000);
  const sparseText = sparse.map((r) => r.value).join('\n');
  const a = freeTextOn(`leak-corpus messages (${density(dense, denseText)})`, denseText);
  const b = freeTextOn(`application log lines (${density(sparse, sparseText)})`, sparseText);
  const line = (results) => results.map((r) => `${r.size >= 1024 ? `${r.size / 1024} KB` : `${r.size} B`} ${r.ratio.toFixed(1)}x`).join(', ');
  verdict('free text >= 20x redact-pii throughput, leak-corpus messages', Math.min(...a.map((r) => r.ratio)) >= 20, line(a));
  verdict('free text >= 20x redact-pii throughput, application log lines', Math.min(...b.map((r) => r.ratio)) >= 20, line(b));
  const passes = (results) => results.map((r) => (r.floor / r.ratio).toFixed(1)).join(', ');
  console.log(`\n  ours costs this many bare passes over the characters: ${passes(a)} (leak-corpus), ${passes(b)} (log lines); 20x allows ${passes(a.map((r) => ({ ...r, ratio: 20 })))} and ${passes(b.map((r) => ({ ...r, ratio: 20 })))}`);
  // At 20x, a budget of 1/20 of redact-pii's time per message; the shared profile takes 20/profile of it.
  const left = (results) => results.map((r) => `${Math.max(0, 100 - (100 * 20) / r.profile).toFixed(0)}%`).join(', ');
  console.log(`  of a 20x budget, the shared profile leaves this much for the detectors, URL decoding and the replacements: ${left(a)} (leak-corpus), ${left(b)} (log lines)`);
}

// ---------------------------------------------------------------------------------------------- accuracy

function accuracy() {
  const corpus = generateCorpus(20240115, 2000);
  const ours = createRedactor();
  const theirs = new SyncRedactor();
  const score = (records, redactFn) => {
    let planted = 0;
    let leaks = 0;
    let negatives = 0;
    let changed = 0;
    for (const record of records) {
      const out = serialize(redactFn(record.value));
      planted += record.planted.length;
      leaks += findLeaks(out, record.planted).length;
      negatives += record.negatives.length;
      changed += changedNegatives(out, record.negatives).length;
    }
    return { records: records.length, planted, leaks, negatives, changed };
  };
  const strings = corpus.filter((r) => typeof r.value === 'string');
  const lines = generateLogLines(20240115, 4000);
  const rows = [
    ['privacy-kit, whole corpus (text + objects)', score(corpus, (v) => ours(v))],
    ['privacy-kit, text records', score(strings, (v) => ours(v))],
    ['redact-pii, text records', score(strings, (v) => theirs.redact(v))],
    ['privacy-kit, application log lines', score(lines, (v) => ours(v))],
    ['redact-pii, application log lines', score(lines, (v) => theirs.redact(v))],
  ];
  console.log('\nAccuracy on the leak corpus (seed 20240115)');
  for (const [name, s] of rows) {
    console.log(
      `  ${name.padEnd(44)} ${String(s.records).padStart(5)} records  ${String(s.leaks).padStart(5)} / ${s.planted} planted values leaked  ` +
        `${String(s.changed).padStart(5)} / ${s.negatives} hard negatives changed (${((100 * s.changed) / s.negatives).toFixed(2)}%)`,
    );
  }
  // The held-back corpus: forms and templates not used while tuning the detectors (test/corpus/held-out.ts).
  const heldOut = generateHeldOut(20261204, 2000);
  const heldOurs = score(heldOut, (v) => ours(v));
  const heldTheirs = score(heldOut, (v) => theirs.redact(v));
  const byType = leaksByType(heldOut, (v) => ours(v));
  const theirsByType = new Map(leaksByType(heldOut, (v) => theirs.redact(v)).map((row) => [row.type, row.leaked]));
  console.log('\nLeaks by type on the held-back corpus (seed 20261204, 2,000 records)');
  console.log(`  ${'type'.padEnd(26)} ${'planted'.padStart(8)} ${'leaked'.padStart(8)} ${'redact-pii'.padStart(11)}`);
  for (const row of byType) {
    console.log(`  ${row.type.padEnd(26)} ${String(row.planted).padStart(8)} ${String(row.leaked).padStart(8)} ${String(theirsByType.get(row.type) ?? 0).padStart(11)}`);
  }
  for (const [name, s] of [['privacy-kit, held-back corpus', heldOurs], ['redact-pii, held-back corpus', heldTheirs]]) {
    console.log(
      `  ${name.padEnd(44)} ${String(s.leaks).padStart(5)} / ${s.planted} planted values leaked  ` +
        `${String(s.changed).padStart(5)} / ${s.negatives} hard negatives changed (${((100 * s.changed) / s.negatives).toFixed(2)}%)`,
    );
  }
  const whole = rows[0][1];
  const logLines = rows[3][1];
  verdict('0 leaks on the held-back corpus', heldOurs.leaks === 0, `${heldOurs.leaks} of ${heldOurs.planted}`);
  verdict('<= 1% of held-back hard negatives changed', heldOurs.changed <= heldOurs.negatives / 100, `${((100 * heldOurs.changed) / heldOurs.negatives).toFixed(2)}%`);
  verdict('0 leaks on the corpus', whole.leaks === 0 && logLines.leaks === 0, `${whole.leaks} of ${whole.planted} (corpus), ${logLines.leaks} of ${logLines.planted} (log lines)`);
  verdict(
    '<= 1% of hard negatives changed',
    whole.changed <= whole.negatives / 100 && logLines.changed <= logLines.negatives / 100,
    `${((100 * whole.changed) / whole.negatives).toFixed(2)}% (corpus), ${((100 * logLines.changed) / logLines.negatives).toFixed(2)}% (log lines)`,
  );
}

console.log(`@privacy-kit/redact benchmark  node ${process.version}  ${require('node:os').cpus().length} CPUs  load ${require('node:os').loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '').slice(7).split(',').filter(Boolean);
const wanted = (name) => only.length === 0 || only.includes(name);
if (wanted('structured')) structured();
if (wanted('winston')) {
  endToEnd();
  endToEndLines();
}
if (wanted('pino')) {
  pinoEndToEnd();
  pinoEndToEndLines();
}
if (wanted('text')) freeText();
if (wanted('accuracy')) accuracy();
console.log('\nTargets');
for (const line of verdicts) console.log(`  ${line}`);
