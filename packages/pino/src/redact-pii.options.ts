import { defineOptionKeys, packageErrors, recordMeasure, rejectUnknownOptions } from '@privacy-kit/core';
import type { RedactOptions, Redactor } from '@privacy-kit/redact';
import { FAILED, createRedactor } from '@privacy-kit/redact';
import type { Logger, LoggerOptions, SerializerFn } from 'pino';
import { stdSerializers, symbols } from 'pino';

/** Options of {@link redactPii}: the options of `createRedactor` from @privacy-kit/redact. */
export type RedactPiiOptions = RedactOptions;

const { error } = packageErrors('@privacy-kit/pino');

const REDACT_PII_OPTION_KEYS = defineOptionKeys<RedactPiiOptions>({
  paths: true, keys: true, classAware: true, text: true, detectors: true, replacement: true, hashKey: true,
  maxDepth: true, maxNodes: true, maxStringLength: true, maxTotalText: true,
});

/** pino's own option names: given as redaction options, they were meant for the second argument. */
const PINO_OPTION_KEYS: ReadonlySet<string> = new Set([
  'level', 'levelComparison', 'customLevels', 'useOnlyCustomLevels', 'formatters', 'hooks', 'serializers', 'redact',
  'messageKey', 'errorKey', 'nestedKey', 'base', 'name', 'timestamp', 'mixin', 'mixinMergeStrategy', 'transport',
  'browser', 'enabled', 'crlf', 'depthLimit', 'edgeLimit', 'onChild', 'msgPrefix', 'safe', 'levelKey', 'errorLikeObjectKeys',
]);

type LogFormatter = (object: Record<string, unknown>) => Record<string, unknown>;
type BindingsFormatter = (bindings: Record<string, unknown>) => Record<string, unknown>;
type Internals = Record<symbol, unknown>;
interface Formatters {
  log?: LogFormatter;
  bindings?: BindingsFormatter;
  level?: unknown;
}

/** Each `formatters.log` made here, with the user's own log formatter it calls first. */
const OUR_LOG_FORMATTERS = new WeakMap<LogFormatter, LogFormatter | undefined>();
/** Each serializer made here (its output is redacted), so that a child's copy is not wrapped twice. */
const OUR_SERIALIZERS = new WeakSet<SerializerFn>();

function redactingSerializer(redact: Redactor, serializer: SerializerFn): SerializerFn {
  if (OUR_SERIALIZERS.has(serializer)) return serializer;
  const wrapped: SerializerFn = (value) => redact(serializer(value));
  OUR_SERIALIZERS.add(wrapped);
  return wrapped;
}

/**
 * The keys pino passes through a serializer: their values are redacted on the serializer's output, not before
 * (a serializer may call methods of the value, which a redacted plain copy would no longer have).
 */
function serializedKeys(serializers: Readonly<Record<string, unknown>>, errorKey: string): readonly string[] {
  const keys: string[] = [];
  for (const key in serializers) if (typeof serializers[key] === 'function') keys.push(key);
  if (typeof serializers.err === 'function' && !keys.includes(errorKey)) keys.push(errorKey);
  return keys;
}

function logFormatter(redact: Redactor, inner: LogFormatter | undefined, skip: readonly string[]): LogFormatter {
  const log: LogFormatter = (object) => {
    const merged = inner === undefined ? object : inner(object);
    // A formatter of the user's that returned something else than an object: pino would print it, so redact it.
    if (typeof merged !== 'object' || merged === null) return redact(merged) as typeof merged;
    let present = false;
    for (const key of skip) {
      if (Object.prototype.hasOwnProperty.call(merged, key)) {
        present = true;
        break;
      }
    }
    const proto: unknown = Object.getPrototypeOf(merged);
    if (!present || (proto !== Object.prototype && proto !== null)) return redact(merged);
    const rest: Record<string, unknown> = {};
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(merged)) {
      if (skip.includes(key)) kept[key] = merged[key];
      else rest[key] = merged[key];
    }
    return Object.assign(redact(rest), kept);
  };
  OUR_LOG_FORMATTERS.set(log, inner);
  return log;
}

/** Redacts a fragment of pino's serialised bindings (`,"key":value,...`); a fragment it cannot read is dropped. */
function redactFragment(redact: Redactor, fragment: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(`{${fragment.slice(1)}}`);
  } catch {
    return `,"bindings":${JSON.stringify(FAILED)}`;
  }
  const redacted = redact(parsed);
  if (redacted === parsed) return fragment;
  let out = '';
  for (const [key, value] of Object.entries(redacted as Record<string, unknown>)) {
    const json = JSON.stringify(value);
    if (json !== undefined) out += `,${JSON.stringify(key)}:${json}`;
  }
  return out;
}

/** Redacts what a child logger (or setBindings()) appended to its parent's serialised bindings. */
function redactAddedBindings(redact: Redactor, logger: Internals, before: unknown): void {
  const after = logger[symbols.chindingsSym];
  if (typeof after !== 'string') return;
  const prefix = typeof before === 'string' && after.startsWith(before) ? before : '';
  const added = after.slice(prefix.length);
  if (added !== '') logger[symbols.chindingsSym] = prefix + redactFragment(redact, added);
}

type SetBindings = (this: Internals, bindings: Record<string, unknown>) => void;

/** One `setBindings()` per redactPii() call: pino's own, then the redaction of what it appended. */
interface SetBindingsWrapper {
  original: SetBindings | undefined;
  readonly redacting: SetBindings;
}

function setBindingsWrapper(redact: Redactor): SetBindingsWrapper {
  const wrapper: SetBindingsWrapper = {
    original: undefined,
    redacting: function redactedSetBindings(this: Internals, bindings: Record<string, unknown>): void {
      const before = this[symbols.chindingsSym];
      wrapper.original!.call(this, bindings);
      redactAddedBindings(redact, this, before);
    },
  };
  return wrapper;
}

/**
 * pino applies `formatters.bindings` to the root logger's `base` only: a child's bindings, its own serializers
 * and its own `formatters.log` are set up in `child()`, after which pino calls `onChild`. This puts the
 * redaction back on each of them.
 */
function adoptChild(redact: Redactor, child: Internals, errorKey: string, setBindings: SetBindingsWrapper): void {
  const parent = Object.getPrototypeOf(child) as Internals;
  redactAddedBindings(redact, child, parent[symbols.chindingsSym]);

  const serializers = child[symbols.serializersSym] as Record<string, SerializerFn>;
  const parentSerializers = parent[symbols.serializersSym];
  // A child's own serializers may add keys, or unset one (its value is then written as it is, so it must be redacted first).
  const skipChanged = serializers !== parentSerializers;
  if (skipChanged) {
    for (const key of Object.keys(serializers)) {
      const serializer = serializers[key];
      if (typeof serializer === 'function') serializers[key] = redactingSerializer(redact, serializer);
    }
  }
  const formatters = child[symbols.formattersSym] as Formatters;
  const log = formatters.log;
  const ours = log !== undefined && OUR_LOG_FORMATTERS.has(log);
  if (!ours || skipChanged) {
    formatters.log = logFormatter(redact, ours ? OUR_LOG_FORMATTERS.get(log) : log, serializedKeys(serializers, errorKey));
  }

  const logger = child as unknown as { setBindings: SetBindings };
  // Grandchildren inherit the wrapper from their parent; wrapping it again would redact twice.
  if (logger.setBindings !== setBindings.redacting) {
    setBindings.original ??= logger.setBindings;
    Object.defineProperty(child, 'setBindings', { configurable: true, writable: true, value: setBindings.redacting });
  }
}

function checkArguments(options: unknown, pinoOptions: unknown): void {
  if (typeof options === 'object' && options !== null) {
    const misplaced = Object.keys(options).find((key) => PINO_OPTION_KEYS.has(key) && !REDACT_PII_OPTION_KEYS.includes(key as never));
    if (misplaced !== undefined) {
      throw error(
        'PK_INVALID_OPTION',
        `redactPii(): '${misplaced}' is a pino option, not a redaction option. Pass pino's options as the second argument: pino(redactPii({ ...redaction }, { ${misplaced}: ... })).`,
      );
    }
    rejectUnknownOptions(options, REDACT_PII_OPTION_KEYS, 'redactPii()', error);
  }
  if (pinoOptions === undefined) return;
  if (typeof pinoOptions !== 'object' || pinoOptions === null || Array.isArray(pinoOptions)) {
    throw error('PK_INVALID_OPTION', 'redactPii(): the second argument must be the options object you would give pino(), or nothing.');
  }
  const { serializers, formatters } = pinoOptions as LoggerOptions;
  for (const [key, value] of Object.entries(serializers ?? {})) {
    if (typeof value !== 'function') throw error('PK_INVALID_OPTION', `redactPii(): pino option serializers.${key} must be a function (value) => serialized value.`);
  }
  for (const name of ['log', 'bindings'] as const) {
    const value: unknown = formatters?.[name];
    if (value !== undefined && typeof value !== 'function') throw error('PK_INVALID_OPTION', `redactPii(): pino option formatters.${name} must be a function.`);
  }
}

/**
 * pino options that keep personal data out of pino logs, built on the same engine as the winston format: give the
 * result to `pino()`. Your own pino options go in the second argument and are kept: your `formatters`, `hooks`,
 * `serializers`, `mixin` and `onChild` are still called (redaction applies to what they return), and pino's own
 * `redact` paths still apply, after ours.
 *
 * It redacts the merged object (`formatters.log`), the message after pino interpolated its `%s`/`%d`/`%o`/`%j`
 * arguments (a serializer on the message key), the output of every serializer, including pino's `err` serializer
 * (error message and stack), the `base` bindings (`formatters.bindings`) and the bindings of `logger.child()` and
 * `setBindings()` (through `onChild`, as pino serialises bindings once, when the child is made). The caller's objects
 * are never modified. If redaction fails, the value becomes `[REDACTED:redaction-failed]`; nothing throws out of a
 * log call because of it. Making the options records log redaction as a security measure of the process
 * (`recordMeasure` of @privacy-kit/core).
 *
 * @param options - paths, detectors, replacement and limits, as for `createRedactor` of @privacy-kit/redact
 * @param pinoOptions - the options you would otherwise give `pino()`
 * @returns the options to give `pino()`, with your own merged in
 * @example
 * const logger = pino(redactPii({}, { level: 'info' }));
 * logger.info({ user: { email: 'alice@example.com' } }, 'signup %s', 'alice@example.com');
 * // {"level":30,...,"user":{"email":"[REDACTED:email]"},"msg":"signup [REDACTED:email]"}
 */
export function redactPii<CustomLevels extends string = never, UseOnlyCustomLevels extends boolean = boolean>(
  options?: RedactPiiOptions,
  pinoOptions?: LoggerOptions<CustomLevels, UseOnlyCustomLevels>,
): LoggerOptions<CustomLevels, UseOnlyCustomLevels> {
  checkArguments(options, pinoOptions);
  const redact = createRedactor(options);
  // Options made for pino exist to go into a logger: the record of processing activities may now say logs are redacted.
  recordMeasure('logRedaction', "privacy-kit's redactPii() pino options");

  const given: LoggerOptions<CustomLevels, UseOnlyCustomLevels> = pinoOptions ?? {};
  const messageKey = given.messageKey ?? 'msg';
  const errorKey = given.errorKey ?? 'err';
  const serializers: Record<string, SerializerFn> = {};
  for (const [key, serializer] of Object.entries(given.serializers ?? {})) serializers[key] = redactingSerializer(redact, serializer);
  serializers.err ??= redactingSerializer(redact, stdSerializers.err);
  // The message as written: after pino interpolated the printf-style arguments and added msgPrefix.
  if (serializers[messageKey] === undefined) {
    const redactMessage: SerializerFn = (message: unknown) => (typeof message === 'string' ? redact.text(message) : redact(message));
    OUR_SERIALIZERS.add(redactMessage);
    serializers[messageKey] = redactMessage;
  }

  const userBindings = given.formatters?.bindings as BindingsFormatter | undefined;
  const formatters = {
    ...given.formatters,
    log: logFormatter(redact, given.formatters?.log, serializedKeys(serializers, errorKey)),
    bindings: (bindings: Record<string, unknown>) => redact(userBindings === undefined ? bindings : userBindings(bindings)),
  };
  const userOnChild = given.onChild;
  const setBindings = setBindingsWrapper(redact);
  const onChild = (child: Logger<CustomLevels>): void => {
    adoptChild(redact, child as unknown as Internals, errorKey, setBindings);
    if (userOnChild !== undefined) userOnChild(child);
  };
  return { ...given, serializers, formatters, onChild };
}
