import { defineOptionKeys, rejectUnknownOptions } from '@privacy-kit/core';
import { expressError } from '../errors';

/** Finds personal data in a value and returns the category keys found (e.g. 'user.contact.email'). */
export type PersonalDataDetector = (value: unknown) => readonly string[];

/** Share of responses inspected once a route is past its first {@link DEFAULT_DRIFT_WARMUP} responses. */
export const DEFAULT_DRIFT_SAMPLE_RATE = 0.01;
/** The first responses of every route are always inspected, so a short test run sees every route. */
export const DEFAULT_DRIFT_WARMUP = 3;
/** Text bodies are inspected up to this many characters; object bodies are bounded by the detector itself. */
export const DEFAULT_DRIFT_MAX_BODY_BYTES = 64 * 1024;
/** How often observations are written to the `file`, at most. */
export const DEFAULT_DRIFT_FLUSH_INTERVAL_MS = 1000;

/** Options of drift detection: `privacy({ drift: { ... } })`, or `drift: true` for the defaults. */
export interface DriftOptions {
  /** Share of responses to inspect after the warm-up, 0 to 1. Default 0.01. */
  readonly sampleRate?: number;
  /** Responses per route always inspected first. Default 3. */
  readonly warmup?: number;
  /** Text and Buffer bodies are inspected up to this many characters; binary bodies are skipped. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /**
   * Where observations are kept across processes: a JSON file that is read at start, merged with what other
   * processes wrote, and rewritten at most every `flushIntervalMs` and on `kit.dispose()`. `privacy-kit check`
   * reads it (`--observed FILE`, or by itself when the app's kit names it).
   */
  readonly file?: string;
  /** Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Replaces the detector (default: `findPersonalData` of @privacy-kit/redact). */
  readonly detect?: PersonalDataDetector;
}

/** {@link DriftOptions} with every default applied. */
export interface ResolvedDriftOptions {
  readonly sampleRate: number;
  readonly warmup: number;
  readonly maxBodyBytes: number;
  readonly file: string | undefined;
  readonly flushIntervalMs: number;
  readonly detect: PersonalDataDetector | undefined;
}

/** Every option of {@link DriftOptions}, checked against the interface when the package is built. */
const DRIFT_OPTION_KEYS = defineOptionKeys<DriftOptions>({ sampleRate: true, warmup: true, maxBodyBytes: true, file: true, flushIntervalMs: true, detect: true });

/**
 * Validates the `drift` option of `privacy()`; undefined or false means drift detection is off.
 *
 * @param value - `true`, `false`, undefined or {@link DriftOptions}
 * @example
 * resolveDriftOptions({ sampleRate: 0.05, file: '.privacy-kit/observed.json' });
 */
export function resolveDriftOptions(value: boolean | DriftOptions | undefined): ResolvedDriftOptions | undefined {
  if (value === undefined || value === false) return undefined;
  const options: DriftOptions = value === true ? {} : value;
  if (typeof options !== 'object' || options === null) throw expressError('PK_INVALID_OPTION', `privacy(): drift: expected true or { sampleRate, file }; got ${JSON.stringify(value)}.`);
  rejectUnknownOptions(options, DRIFT_OPTION_KEYS, 'privacy(): drift', expressError);
  const sampleRate = options.sampleRate ?? DEFAULT_DRIFT_SAMPLE_RATE;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) throw expressError('PK_INVALID_OPTION', `privacy(): drift: 'sampleRate' must be a number from 0 to 1, e.g. 0.01; got ${JSON.stringify(sampleRate)}.`);
  const warmup = options.warmup ?? DEFAULT_DRIFT_WARMUP;
  if (!Number.isInteger(warmup) || warmup < 0) throw expressError('PK_INVALID_OPTION', `privacy(): drift: 'warmup' must be a whole number ≥ 0; got ${JSON.stringify(warmup)}.`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_DRIFT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw expressError('PK_INVALID_OPTION', `privacy(): drift: 'maxBodyBytes' must be a whole number ≥ 1; got ${JSON.stringify(maxBodyBytes)}.`);
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_DRIFT_FLUSH_INTERVAL_MS;
  if (!Number.isInteger(flushIntervalMs) || flushIntervalMs < 0) throw expressError('PK_INVALID_OPTION', `privacy(): drift: 'flushIntervalMs' must be a whole number of ms ≥ 0; got ${JSON.stringify(flushIntervalMs)}.`);
  if (options.file !== undefined && (typeof options.file !== 'string' || options.file === '')) throw expressError('PK_INVALID_OPTION', `privacy(): drift: 'file' must be a path such as '.privacy-kit/observed.json'; got ${JSON.stringify(options.file)}.`);
  if (options.detect !== undefined && typeof options.detect !== 'function') throw expressError('PK_INVALID_OPTION', "privacy(): drift: 'detect' must be a function (value) => categoryKeys[].");
  return { sampleRate, warmup, maxBodyBytes, file: options.file, flushIntervalMs, detect: options.detect };
}
