import type { Pseudonymizer } from '@privacy-kit/core';
import { MIN_KEY_BYTES, closest, createPseudonymizer, defineOptionKeys, rejectUnknownOptions, type PrivacyKitError } from '@privacy-kit/core';
import { BUILT_IN_DETECTORS, BUILT_IN_DETECTOR_NAMES } from './detectors/built-in-detectors';
import { checkCategory } from './detectors/define-detector';
import type { Detector } from './detectors/detector';
import { normalizeKey } from './keys/sensitive-keys';
import type { PathSegment } from './paths/path-parser';
import { parsePath } from './paths/path-parser';
import { redactError } from './redact.error';
import type { Replacement } from './replacement/replacer';

/** Objects nested deeper than this are replaced by `[REDACTED:depth-limit]`. */
export const DEFAULT_MAX_DEPTH = 32;
/** At most this many values are visited per call; the rest is replaced by `[REDACTED:size-limit]`. */
export const DEFAULT_MAX_NODES = 50_000;
/** Longer strings are cut to about this many characters (the kept part is redacted). */
export const DEFAULT_MAX_STRING_LENGTH = 64 * 1024;
/** At most this many characters of text are scanned per call; further strings become `[REDACTED:size-limit]`. */
export const DEFAULT_MAX_TOTAL_TEXT = 1024 * 1024;
/** The default replacement: a typed label such as `[REDACTED:email]`. */
export const DEFAULT_REPLACEMENT: Replacement = 'label';

/**
 * The setting of one detector in {@link RedactOptions.detectors}: `false` switches it off, `true` on,
 * `{ replacement }` changes how its matches are replaced, and a {@link Detector} replaces it (or adds a new one
 * under a new name).
 */
export type DetectorSetting = boolean | Detector | { readonly enabled?: boolean; readonly replacement?: Replacement };

/** Which field names are sensitive: the built-in table, plus `extra` names, minus `ignore` names. */
export interface KeyOptions {
  /** More sensitive field names, matched like the built-in ones (case and `-`/`_` ignored). */
  readonly extra?: readonly string[];
  /** Built-in names to leave alone, e.g. ['address'] if your logs use it for server addresses. */
  readonly ignore?: readonly string[];
}

/** Options of {@link createRedactor}. Every option is optional: the defaults redact everything they know. */
export interface RedactOptions {
  /**
   * Structured paths to redact, compiled once: 'user.password', 'headers["x-api-key"]', 'users[*].card',
   * '*.secret', '**.password'. Paths are configuration, never user input.
   */
  readonly paths?: readonly string[];
  /** Redact values of sensitive field names (password, token, authorization, cookie, email, ...). Default true. */
  readonly keys?: boolean | KeyOptions;
  /**
   * Redact the `@PersonalData` fields of class instances without listing paths, and of plain objects shaped like
   * such a class (see {@link ClassAwareOptions}). Default true.
   */
  readonly classAware?: boolean | ClassAwareOptions;
  /** Run the free-text detectors over every string. Default true. */
  readonly text?: boolean;
  /** Switch detectors off, change their replacement, replace them or add your own (by name). */
  readonly detectors?: Readonly<Record<string, DetectorSetting>>;
  /** How values are replaced: 'label' (default), 'hash', 'mask' or your function. */
  readonly replacement?: Replacement;
  /** The secret key of the 'hash' replacement (at least 32 bytes). */
  readonly hashKey?: string | Buffer;
  /** Default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
  /** Default {@link DEFAULT_MAX_NODES}. */
  readonly maxNodes?: number;
  /** Default {@link DEFAULT_MAX_STRING_LENGTH}. */
  readonly maxStringLength?: number;
  /** Default {@link DEFAULT_MAX_TOTAL_TEXT}. */
  readonly maxTotalText?: number;
}

/** A detector switched on, with its replacement. */
/** How `classAware` treats plain objects (rows read from a database, parsed JSON). */
export interface ClassAwareOptions {
  /**
   * A plain object whose keys include at least this many `@PersonalData` fields of one annotated class is redacted
   * as that class: `{ id, name, email }` read from the table of a `Patient` whose `name` and `email` are personal
   * has its `name` redacted too, which the field name alone would not. Keys match across spellings
   * (`date_of_birth` is `dateOfBirth`). Default {@link DEFAULT_SHAPE_FIELDS}; `false`: only class instances.
   */
  readonly plainObjects?: number | false;
}

/** How many personal fields of one class make a plain object that class, by default. */
export const DEFAULT_SHAPE_FIELDS = 2;

export interface ResolvedDetector {
  readonly detector: Detector;
  readonly replacement: Replacement;
}

/** {@link RedactOptions} validated, with every default applied. */
export interface ResolvedRedactOptions {
  readonly paths: readonly (readonly PathSegment[])[];
  readonly keys: false | { readonly extra: ReadonlySet<string>; readonly ignore: ReadonlySet<string> };
  readonly classAware: boolean;
  /** How many personal fields of one class make a plain object that class (0: plain objects are not matched). */
  readonly shapeFields: number;
  readonly detectors: readonly ResolvedDetector[];
  readonly replacement: Replacement;
  readonly pseudonymize: Pseudonymizer | undefined;
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly maxStringLength: number;
  readonly maxTotalText: number;
}

const REDACT_OPTION_KEYS = defineOptionKeys<RedactOptions>({
  paths: true, keys: true, classAware: true, text: true, detectors: true, replacement: true, hashKey: true,
  maxDepth: true, maxNodes: true, maxStringLength: true, maxTotalText: true,
});
const KEY_OPTION_KEYS = defineOptionKeys<KeyOptions>({ extra: true, ignore: true });
const DETECTOR_SETTING_KEYS = defineOptionKeys<Exclude<DetectorSetting, boolean | Detector>>({ enabled: true, replacement: true });

function invalid(message: string): PrivacyKitError {
  return redactError('PK_INVALID_OPTION', message);
}

function isDetector(value: unknown): value is Detector {
  return typeof value === 'object' && value !== null && typeof (value as Detector).scan === 'function' && typeof (value as Detector).name === 'string';
}

/** A detector given in the options, checked and with defaults for the fields a hand-written one may lack. */
function normalizeDetector(d: Detector, name: string): Detector {
  const category = checkCategory(d.category, `detector '${name}'`);
  const normalized: Detector = {
    name: d.name,
    category,
    label: typeof d.label === 'string' ? d.label : d.name,
    secret: d.secret === true,
    minLength: typeof d.minLength === 'number' ? d.minLength : 1,
    minDigits: typeof d.minDigits === 'number' ? d.minDigits : 0,
    requires: typeof d.requires === 'number' ? d.requires : 0,
    scan: (text, report, profile) => d.scan(text, report, profile),
  };
  if (typeof d.mask === 'function') normalized.mask = (value) => d.mask!(value);
  if (typeof d.normalize === 'function') normalized.normalize = (value) => d.normalize!(value);
  return Object.freeze(normalized);
}

function checkReplacement(value: unknown, where: string): Replacement {
  if (value === 'label' || value === 'hash' || value === 'mask' || typeof value === 'function') return value as Replacement;
  throw invalid(`${where} must be 'label', 'hash', 'mask' or a function (match) => string; got ${JSON.stringify(value)}.`);
}

function checkLimit(options: RedactOptions, name: 'maxDepth' | 'maxNodes' | 'maxStringLength' | 'maxTotalText', fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(`'${name}' must be a positive integer; got ${JSON.stringify(value)}.`);
  return value;
}

const CLASS_AWARE_KEYS = defineOptionKeys<ClassAwareOptions>({ plainObjects: true });

function resolveClassAware(value: RedactOptions['classAware']): { classAware: boolean; shapeFields: number } {
  if (value === undefined || value === true) return { classAware: true, shapeFields: DEFAULT_SHAPE_FIELDS };
  if (value === false) return { classAware: false, shapeFields: 0 };
  if (typeof value !== 'object' || value === null) throw invalid(`'classAware' must be true, false or { plainObjects }; got ${JSON.stringify(value)}.`);
  rejectUnknownOptions(value, CLASS_AWARE_KEYS, 'createRedactor({ classAware })', redactError);
  const fields = value.plainObjects ?? DEFAULT_SHAPE_FIELDS;
  if (fields === false) return { classAware: true, shapeFields: 0 };
  if (typeof fields !== 'number' || !Number.isInteger(fields) || fields < 1) {
    throw invalid(`'classAware.plainObjects' must be a whole number ≥ 1 (how many personal fields of one class make a plain object that class; default ${DEFAULT_SHAPE_FIELDS}) or false; got ${JSON.stringify(fields)}.`);
  }
  return { classAware: true, shapeFields: fields };
}

function checkBoolean(options: RedactOptions, name: 'text'): boolean {
  const value = options[name];
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw invalid(`'${name}' must be true or false; got ${JSON.stringify(value)}.`);
  return value;
}

function keyList(value: unknown, where: string): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || value.some((k) => typeof k !== 'string' || k === '')) throw invalid(`${where} must be an array of field names, e.g. ['customerRef'].`);
  return new Set(value.map((k: string) => normalizeKey(k)));
}

function resolveKeys(value: RedactOptions['keys']): ResolvedRedactOptions['keys'] {
  if (value === undefined || value === true) return { extra: new Set(), ignore: new Set() };
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) throw invalid(`'keys' must be true, false or { extra?, ignore? }; got ${JSON.stringify(value)}.`);
  rejectUnknownOptions(value, KEY_OPTION_KEYS, 'createRedactor({ keys })', redactError);
  return { extra: keyList(value.extra, "'keys.extra'"), ignore: keyList(value.ignore, "'keys.ignore'") };
}

/**
 * Resolves detector settings (shared by {@link resolveRedactOptions} and the personal-data finder): the
 * built-in detectors in order, minus those switched off, replaced where a Detector is given, then added ones.
 *
 * @param settings - the `detectors` option
 * @param fallback - the replacement of detectors that do not set their own
 */
export function resolveDetectorSettings(settings: RedactOptions['detectors'] = {}, fallback: Replacement = DEFAULT_REPLACEMENT): ResolvedDetector[] {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw invalid("'detectors' must be an object such as { phone: false, card: { replacement: 'mask' } }.");
  }
  const builtIn: readonly string[] = BUILT_IN_DETECTOR_NAMES;
  for (const [name, setting] of Object.entries(settings)) {
    if (builtIn.includes(name) || isDetector(setting)) continue;
    const suggestion = closest(name, builtIn);
    throw invalid(
      `unknown detector '${name}'.${suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`} ` +
        `Built-in detectors: ${builtIn.join(', ')}. To add your own, pass a Detector (see defineDetector()).`,
    );
  }
  const names = [...builtIn, ...Object.keys(settings).filter((name) => !builtIn.includes(name))];
  const resolved: ResolvedDetector[] = [];
  for (const name of names) {
    const setting = settings[name];
    const where = `'detectors.${name}'`;
    if (setting === false) continue;
    if (setting === undefined || setting === true) {
      resolved.push({ detector: BUILT_IN_DETECTORS[name as keyof typeof BUILT_IN_DETECTORS], replacement: fallback });
    } else if (isDetector(setting)) {
      resolved.push({ detector: normalizeDetector(setting, name), replacement: fallback });
    } else if (typeof setting === 'object' && setting !== null) {
      rejectUnknownOptions(setting, DETECTOR_SETTING_KEYS, `detectors.${name}`, redactError);
      if (setting.enabled === false) continue;
      const replacement = setting.replacement === undefined ? fallback : checkReplacement(setting.replacement, `${where}.replacement`);
      resolved.push({ detector: BUILT_IN_DETECTORS[name as keyof typeof BUILT_IN_DETECTORS], replacement });
    } else {
      throw invalid(`${where} must be true, false, { replacement } or a Detector; got ${JSON.stringify(setting)}.`);
    }
  }
  return resolved;
}

function resolvePseudonymizer(hashKey: unknown, used: boolean): Pseudonymizer | undefined {
  if (hashKey === undefined) {
    if (used) {
      throw invalid(
        `the 'hash' replacement needs 'hashKey': a secret of at least ${MIN_KEY_BYTES} bytes, the same in every process whose logs you ` +
          "want to correlate (e.g. deriveKey(process.env.PRIVACY_KIT_SECRET, 'log-pseudonyms') from @privacy-kit/core).",
      );
    }
    return undefined;
  }
  const bytes = typeof hashKey === 'string' ? Buffer.byteLength(hashKey, 'utf8') : Buffer.isBuffer(hashKey) ? hashKey.length : -1;
  if (bytes < MIN_KEY_BYTES) {
    throw invalid(
      `'hashKey' must be a string or Buffer of at least ${MIN_KEY_BYTES} bytes (got ${bytes < 0 ? typeof hashKey : `${bytes} bytes`}). ` +
        "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
    );
  }
  return createPseudonymizer(hashKey as string | Buffer);
}

/**
 * Validates the options of {@link createRedactor} and applies the defaults. Pure apart from validation errors;
 * paths are parsed here, so a bad path fails when the redactor is created, not when it first logs.
 *
 * @param options - as passed by the app
 * @example
 * resolveRedactOptions({ paths: ['user.password'], detectors: { phone: false } }).detectors.length; // 10
 */
export function resolveRedactOptions(options: RedactOptions = {}): ResolvedRedactOptions {
  if (typeof options !== 'object' || options === null) throw invalid(`createRedactor() takes an options object; got ${JSON.stringify(options)}.`);
  rejectUnknownOptions(options, REDACT_OPTION_KEYS, 'createRedactor()', redactError);
  const paths = options.paths ?? [];
  if (!Array.isArray(paths)) throw invalid(`'paths' must be an array of strings such as ['user.password', '**.token'].`);
  const replacement = options.replacement === undefined ? DEFAULT_REPLACEMENT : checkReplacement(options.replacement, "'replacement'");
  const text = checkBoolean(options, 'text');
  const detectors = text ? resolveDetectorSettings(options.detectors, replacement) : [];
  const hashUsed = replacement === 'hash' || detectors.some((d) => d.replacement === 'hash');
  return {
    paths: paths.map((path: string) => parsePath(path)),
    keys: resolveKeys(options.keys),
    ...resolveClassAware(options.classAware),
    detectors,
    replacement,
    pseudonymize: resolvePseudonymizer(options.hashKey, hashUsed),
    maxDepth: checkLimit(options, 'maxDepth', DEFAULT_MAX_DEPTH),
    maxNodes: checkLimit(options, 'maxNodes', DEFAULT_MAX_NODES),
    maxStringLength: checkLimit(options, 'maxStringLength', DEFAULT_MAX_STRING_LENGTH),
    maxTotalText: checkLimit(options, 'maxTotalText', DEFAULT_MAX_TOTAL_TEXT),
  };
}
