import { defineOptionKeys, rejectUnknownOptions, type PrivacyKitError } from '@privacy-kit/core';
import type { DetectorSetting } from '../redact.options';
import { resolveDetectorSettings } from '../redact.options';
import { classifyKey } from '../keys/sensitive-keys';
import { Replacer } from '../replacement/replacer';
import { TextRedactor } from '../text/text-redactor';
import { personalFieldsOf, refreshDeclaredKeys } from '../walk/class-fields';
import { redactError } from '../redact.error';

/** At most this many values are visited per call. */
export const DEFAULT_FIND_MAX_NODES = 2_000;
/** Objects deeper than this are not looked into. */
export const DEFAULT_FIND_MAX_DEPTH = 16;
/** Only the first this many characters of each string are scanned. */
export const DEFAULT_FIND_MAX_STRING_LENGTH = 4 * 1024;
/** At most this many characters of text are scanned (or parsed as JSON) per call. */
export const DEFAULT_FIND_MAX_TOTAL_TEXT = 64 * 1024;

/** Options of {@link findPersonalData} and {@link createPersonalDataFinder}. */
export interface FindPersonalDataOptions {
  /** Switch free-text detectors off (`{ phone: false }`) or add your own (a Detector). */
  readonly detectors?: Readonly<Record<string, DetectorSetting>>;
  /** Use field names (email, phone, dob, firstName, street, iban, ip...). Default true. */
  readonly keys?: boolean;
  /** Report the categories of `@PersonalData` fields of class instances. Default true. */
  readonly classAware?: boolean;
  /** Parse a string (or Buffer) that holds JSON before looking into it. Default true. */
  readonly parseJson?: boolean;
  /** Default {@link DEFAULT_FIND_MAX_NODES}. */
  readonly maxNodes?: number;
  /** Default {@link DEFAULT_FIND_MAX_DEPTH}. */
  readonly maxDepth?: number;
  /** Default {@link DEFAULT_FIND_MAX_STRING_LENGTH}. */
  readonly maxStringLength?: number;
  /** Default {@link DEFAULT_FIND_MAX_TOTAL_TEXT}. */
  readonly maxTotalText?: number;
}

/** {@link FindPersonalDataOptions} with every default applied. */
export interface ResolvedFindPersonalDataOptions {
  readonly text: TextRedactor;
  readonly keys: boolean;
  readonly classAware: boolean;
  readonly parseJson: boolean;
  readonly maxNodes: number;
  readonly maxDepth: number;
  readonly maxStringLength: number;
  readonly maxTotalText: number;
}

const FIND_OPTION_KEYS = defineOptionKeys<FindPersonalDataOptions>({
  detectors: true, keys: true, classAware: true, parseJson: true, maxNodes: true, maxDepth: true, maxStringLength: true, maxTotalText: true,
});

function invalid(message: string): PrivacyKitError {
  return redactError('PK_INVALID_OPTION', `findPersonalData(): ${message}`);
}

function limit(options: FindPersonalDataOptions, name: 'maxNodes' | 'maxDepth' | 'maxStringLength' | 'maxTotalText', fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(`'${name}' must be a positive integer; got ${JSON.stringify(value)}.`);
  return value;
}

function flag(options: FindPersonalDataOptions, name: 'keys' | 'classAware' | 'parseJson'): boolean {
  const value = options[name];
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw invalid(`'${name}' must be true or false; got ${JSON.stringify(value)}.`);
  return value;
}

/**
 * Validates the options of the personal-data finder and applies the defaults (compiling the detectors).
 *
 * @param options - as passed by the app
 */
export function resolveFindPersonalDataOptions(options: FindPersonalDataOptions = {}): ResolvedFindPersonalDataOptions {
  if (typeof options !== 'object' || options === null) throw invalid(`takes an options object; got ${JSON.stringify(options)}.`);
  rejectUnknownOptions(options, FIND_OPTION_KEYS, 'findPersonalData()', redactError);
  const maxStringLength = limit(options, 'maxStringLength', DEFAULT_FIND_MAX_STRING_LENGTH);
  return {
    text: new TextRedactor(resolveDetectorSettings(options.detectors), new Replacer(undefined), maxStringLength),
    keys: flag(options, 'keys'),
    classAware: flag(options, 'classAware'),
    parseJson: flag(options, 'parseJson'),
    maxNodes: limit(options, 'maxNodes', DEFAULT_FIND_MAX_NODES),
    maxDepth: limit(options, 'maxDepth', DEFAULT_FIND_MAX_DEPTH),
    maxStringLength,
    maxTotalText: limit(options, 'maxTotalText', DEFAULT_FIND_MAX_TOTAL_TEXT),
  };
}

/** Whether a value under a personal field name holds something (not empty, null or a flag). */
function holdsData(value: unknown): boolean {
  if (value === null || value === undefined || typeof value === 'boolean') return false;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

class Finder {
  private nodes = 0;
  private textUsed = 0;
  private readonly stack: object[] = [];
  private readonly recheck = { done: false };

  constructor(
    private readonly options: ResolvedFindPersonalDataOptions,
    private readonly found: Set<string>,
  ) {}

  root(value: unknown): void {
    const o = this.options;
    let input = value;
    if (Buffer.isBuffer(input)) input = input.toString('utf8', 0, Math.min(input.length, o.maxTotalText));
    if (o.parseJson && typeof input === 'string' && input.length <= o.maxTotalText) {
      const first = input.trimStart()[0];
      if (first === '{' || first === '[') {
        try {
          input = JSON.parse(input) as unknown;
        } catch {
          // Not JSON after all: scanned as text below.
        }
      }
    }
    this.walk(input, 0);
  }

  private text(value: string): void {
    const o = this.options;
    if (this.textUsed >= o.maxTotalText) return;
    const room = Math.min(o.maxStringLength, o.maxTotalText - this.textUsed);
    this.textUsed += Math.min(value.length, room);
    o.text.categories(value, this.found, room);
  }

  private walk(value: unknown, depth: number): void {
    const o = this.options;
    if (++this.nodes > o.maxNodes) return;
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e12)) return this.text(String(value));
    if (typeof value !== 'object' || value === null || depth >= o.maxDepth || this.stack.includes(value)) return;
    this.stack.push(value);
    try {
      this.object(value, depth);
    } catch {
      // An unreadable value (throwing getter, revoked proxy) says nothing about personal data.
    } finally {
      this.stack.pop();
    }
  }

  private object(value: object, depth: number): void {
    const o = this.options;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && this.nodes <= o.maxNodes; i++) this.walk(value[i], depth + 1);
      return;
    }
    if (value instanceof Map) {
      for (const [key, item] of value) {
        if (this.nodes > o.maxNodes) return;
        if (typeof key === 'string') this.field(key, item, depth);
        else this.walk(item, depth + 1);
      }
      return;
    }
    if (value instanceof Set) {
      for (const item of value) {
        if (this.nodes > o.maxNodes) return;
        this.walk(item, depth + 1);
      }
      return;
    }
    if (value instanceof Date || ArrayBuffer.isView(value)) return;
    if (value instanceof Error) {
      this.walk(value.message, depth + 1);
      return;
    }
    if (o.classAware) {
      const fields = personalFieldsOf(value, this.recheck);
      if (fields !== undefined) {
        for (const [property, field] of fields) {
          if (holdsData((value as Record<string, unknown>)[property])) this.found.add(field.category);
        }
      }
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (this.nodes > o.maxNodes) return;
      this.field(key, record[key], depth);
    }
  }

  private field(key: string, item: unknown, depth: number): void {
    if (this.options.keys) {
      const kind = classifyKey(key);
      if (kind !== undefined && holdsData(item)) this.found.add(kind.category);
    }
    this.walk(item, depth + 1);
  }
}

/**
 * Makes a personal-data finder with its options compiled once (the form to use when sampling traffic).
 *
 * @param options - detectors, field-name heuristics and work limits
 * @example
 * const find = createPersonalDataFinder({ maxNodes: 500 });
 * find(responseBody); // ['user.contact.email', 'user.name']
 */
export function createPersonalDataFinder(options?: FindPersonalDataOptions): (value: unknown) => readonly string[] {
  const resolved = resolveFindPersonalDataOptions(options);
  return function findPersonalDataIn(value: unknown): readonly string[] {
    if (resolved.classAware) refreshDeclaredKeys();
    const found = new Set<string>();
    new Finder(resolved, found).root(value);
    return [...found].sort();
  };
}

let defaultFinder: ((value: unknown) => readonly string[]) | undefined;

/**
 * The fideslang data categories observed in a value: from the free-text detectors (each carries its
 * category), field names (`email`, `e_mail`, `phone`, `dob`/`dateOfBirth`, `firstName`/`lastName`/`name`,
 * `street`/`address`, `iban`, `ssn`, `ip`, ...) and `@PersonalData` class fields. Cheap enough to sample live
 * HTTP responses: it visits a bounded number of values and characters, and each detector stops at its first
 * match. JSON strings and Buffers are parsed first.
 *
 * @param value - any value: an object, a JSON string, a Buffer
 * @param options - see {@link FindPersonalDataOptions} (compile once with {@link createPersonalDataFinder} when calling often)
 * @example
 * findPersonalData({ user: { email: 'a@example.com', firstName: 'Ada' }, ip: '203.0.113.9' });
 * // ['user.contact.email', 'user.device.ip_address', 'user.name']
 */
export function findPersonalData(value: unknown, options?: FindPersonalDataOptions): readonly string[] {
  if (options !== undefined) return createPersonalDataFinder(options)(value);
  defaultFinder ??= createPersonalDataFinder();
  return defaultFinder(value);
}
