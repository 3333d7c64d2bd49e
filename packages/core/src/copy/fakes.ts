import { createCipheriv, createHmac, type Cipher } from 'node:crypto';
import { BulkCmac } from './bulk-cmac';
import { coreError } from '../errors/core.error';
import { deriveKey } from '../pseudonym/pseudonymizer';
import type { CopyColumnAffinity } from './copy-contracts';
import type { CopyStrategy } from './copy-mapping';
import { CITY_FIRST, CITY_LAST, CITY_MIDDLE, COUNTRIES, GIVEN_NAMES, REGIONS, STREET_KINDS, STREET_WORDS, SURNAMES } from './fake-lists';
import { FAKE_BANK_CODES, FAKE_EMAIL_DOMAINS, TEST_CARD_BINS, TEST_NETS, UK_FICTION_PREFIX, US_AREA_CODES } from './fake-ranges';
import { IntegerPermutation, PERMUTATION_LIMIT } from './integer-permutation';

/** The strategies whose fake is text made from text. */
export type TextFakeStrategy = Extract<CopyStrategy, 'email' | 'phone' | 'iban' | 'card' | 'name' | 'firstName' | 'lastName' | 'street' | 'city' | 'postalCode' | 'region' | 'country' | 'address' | 'ip' | 'shape'>;

/** Values remembered per strategy (foreign keys repeat): enough to help, bounded so memory stays constant. */
const CACHE_MAX = 8192;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const HEX = '0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^-?\d+$/;
const DAY_MS = 86_400_000;
/** 'YYYY-MM-DD', then an optional time ('T' or ' ', seconds and fraction optional) and zone. */
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})((?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)$/;

/** A value a fake cannot take (the transformer adds table, column and row; the value itself is never named). */
export function fakeInputError(problem: string): Error {
  return coreError('PK_COPY', problem);
}

/** The message whose keyed bytes a fake draws from: the strategy, a NUL, the value (UTF-8). */
function messageOf(strategy: string, value: string): Buffer {
  return Buffer.from(`${strategy}\u0000${value}`, 'utf8');
}

/** What the shift of a date derives from: the row's subject, else the value itself (as {@link Fakes.birthDate}). */
function shiftBasis(value: unknown, subject: unknown): string | undefined {
  if (subject !== null && subject !== undefined) return subjectText(subject);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : `value:${value.toISOString()}`;
  return typeof value === 'string' ? `value:${value}` : undefined;
}

/** Keyed bytes computed for a column of a batch, ahead of its rows: 32 per row that needed them. */
export class PreparedBytes {
  /**
   * @param bytes - 32 bytes per computed row, one after the other
   * @param positions - per row of the batch, its place in `bytes`, or -1
   */
  constructor(
    private readonly bytes: Buffer,
    private readonly positions: Int32Array,
  ) {}

  /**
   * The keyed bytes of a row of the batch, or undefined when none were computed for it.
   *
   * @param row - the row's position in the batch
   */
  at(row: number): Buffer | undefined {
    const k = this.positions[row];
    return k === undefined || k < 0 ? undefined : this.bytes.subarray(k * 32, k * 32 + 32);
  }
}

/** The text a fake reads: an e-mail address trimmed and lower-cased, anything else as text. */
function textInput(strategy: TextFakeStrategy, value: unknown): string {
  const raw = typeof value === 'string' ? value : String(value);
  return strategy === 'email' ? raw.trim().toLowerCase() : raw;
}

class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): V {
    if (this.map.size >= CACHE_MAX) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

function emailWord(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The two ISO 13616 check digits of a BBAN for a country. */
export function ibanCheckDigits(country: string, bban: string): string {
  let remainder = 0;
  for (const char of `${bban}${country}00`) {
    const code = char.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : char;
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return pad(98 - remainder, 2);
}

/** The Luhn check digit of a number's other digits. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function grouped(value: string, separator: string): string {
  return value.replace(/(.{4})(?!$)/g, `$1${separator}`);
}

/** The separator of a grouped number ('4111 1111 ...' → ' '), or '' when it is compact. */
function separatorOf(value: string): string {
  const match = /^[A-Za-z0-9]{4}([ -])[A-Za-z0-9]{4}\1/.exec(value.trim());
  return match?.[1] ?? '';
}

/**
 * The keyed fakes of a copy: every output is drawn from AES-CMAC under a key derived from the copy secret, over
 * the strategy and the value (never the table or column), so the same value gives the same fake in every table and
 * every run under the same secret, and another secret gives other fakes. Fakes are realistic and format-valid,
 * generated from lists and reserved ranges, never taken from real people.
 */
export class Fakes {
  private readonly key: Buffer;
  private readonly integers: IntegerPermutation;
  private readonly caches = new Map<string, BoundedCache<unknown, unknown>>();
  private readonly shifts = new BoundedCache<string, number>();
  private readonly cmac: BulkCmac;
  private readonly expand: Cipher;

  /** @param secret - the copy secret (at least 32 bytes) */
  constructor(secret: string | Buffer) {
    this.key = deriveKey(secret, 'pseudonymize');
    this.integers = new IntegerPermutation(createHmac('sha256', this.key).update('privacy-kit integer permutation').digest());
    this.cmac = new BulkCmac(createHmac('sha256', this.key).update('privacy-kit fake bytes').digest());
    this.expand = createCipheriv('aes-256-ecb', createHmac('sha256', this.key).update('privacy-kit fake bytes, second half').digest(), null);
    this.expand.setAutoPadding(false);
  }

  /**
   * 32 keyed bytes of (strategy, value): the AES-CMAC of the pair under one key derived from the copy secret, and
   * that tag encrypted under a second one (to have 32 bytes). CMAC is a standard keyed pseudo-random function
   * (NIST SP 800-38B): nobody without the copy secret can compute it; unlike an HMAC per value, a whole batch is
   * computed with a few cipher calls ({@link prepareTexts}).
   */
  private mac(strategy: string, value: string, ready?: Buffer): Buffer {
    return ready ?? this.keyed([messageOf(strategy, value)]);
  }

  /** The keyed bytes of messages, 32 per message, one after the other. */
  private keyed(messages: readonly Buffer[]): Buffer {
    const tags = this.cmac.tags(messages);
    const more = this.expand.update(tags);
    const out = Buffer.allocUnsafe(messages.length * 32);
    for (let k = 0; k < messages.length; k++) {
      tags.copy(out, k * 32, k * 16, k * 16 + 16);
      more.copy(out, k * 32 + 16, k * 16, k * 16 + 16);
    }
    return out;
  }

  /**
   * The keyed bytes of many messages of one strategy, computed together: position k of the result holds what
   * {@link mac} gives for `values[k]` (nothing for an undefined value).
   */
  private prepareMany(strategy: string, values: readonly (string | undefined)[]): PreparedBytes | undefined {
    const positions = new Int32Array(values.length).fill(-1);
    const messages: Buffer[] = [];
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      if (value === undefined) continue;
      positions[k] = messages.length;
      messages.push(messageOf(strategy, value));
    }
    if (messages.length === 0) return undefined;
    return new PreparedBytes(this.keyed(messages), positions);
  }

  /**
   * The keyed bytes of a column of a batch for a text fake, ahead of its rows (values whose fake is cached are
   * skipped): pass `at(row)` of the result to {@link text}.
   *
   * @param strategy - which fake
   * @param values - the column's values in the batch (nulls allowed)
   */
  prepareTexts(strategy: TextFakeStrategy, values: readonly unknown[]): PreparedBytes | undefined {
    const cache = this.cache(strategy);
    return this.prepareMany(strategy, values.map((value) => {
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      const input = textInput(strategy, value);
      return cache.get(input) === undefined ? input : undefined;
    }));
  }

  /**
   * As {@link prepareTexts}, for the pseudonyms of text identifiers (integers and UUIDs do not use them).
   *
   * @param values - the column's values in the batch (nulls allowed)
   */
  preparePseudonyms(values: readonly unknown[]): PreparedBytes | undefined {
    const cache = this.cache('pseudonym');
    return this.prepareMany('pseudonym', values.map((value) => (typeof value === 'string' && !UUID.test(value) && cache.get(value) === undefined ? value : undefined)));
  }

  /**
   * As {@link prepareTexts}, for the shifts of dates of birth (the keyed bytes of each row's subject, or of the value
   * without one): pass `at(row)` to {@link birthDate}.
   *
   * @param values - the column's values in the batch
   * @param shiftDays - the largest shift
   * @param subjects - the rows' subject values, when the table has a subject column
   */
  prepareShifts(values: readonly unknown[], shiftDays: number, subjects: readonly unknown[] | undefined): PreparedBytes | undefined {
    return this.prepareMany('birthDate-shift', values.map((value, k) => {
      if (value === null || value === undefined) return undefined;
      const basis = shiftBasis(value, subjects?.[k]);
      if (basis === undefined) return undefined;
      const id = `${shiftDays}\u0000${basis}`;
      return this.shifts.get(id) === undefined ? id : undefined;
    }));
  }

  private cache(name: string): BoundedCache<unknown, unknown> {
    let cache = this.caches.get(name);
    if (cache === undefined) this.caches.set(name, (cache = new BoundedCache()));
    return cache;
  }

  /**
   * A keyed pseudonym of an identifier: an integer (number, bigint or digit string, returned in the same type) is
   * permuted, so keys stay unique and joins match; a UUID becomes a UUID (version 4); other text `psn_` + 22
   * base64url characters.
   *
   * @param value - not null
   * @param affinity - the column's affinity ('integer' permutes digit strings, as PostgreSQL returns bigints)
   */
  pseudonym(value: unknown, affinity: CopyColumnAffinity, ready?: Buffer): unknown {
    if (typeof value === 'number' || typeof value === 'bigint' || (affinity === 'integer' && typeof value === 'string' && DIGITS.test(value))) {
      return this.integer(value);
    }
    if (affinity === 'integer') throw fakeInputError('holds a value that is not an integer; a pseudonym of an integer column is an integer.');
    const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('hex') : String(value);
    const cache = this.cache('pseudonym');
    const known = cache.get(text);
    if (known !== undefined) return known;
    if (UUID.test(text)) return cache.set(text, this.uuid(text.toLowerCase()));
    if (affinity === 'uuid') throw fakeInputError('holds a value that is not a UUID.');
    return cache.set(text, `psn_${this.mac('pseudonym', text, ready).subarray(0, 16).toString('base64url')}`);
  }

  /**
   * The pseudonyms of the integers among many values (one column of a batch), computed together: what
   * {@link pseudonym} gives for each, at a fraction of the cost (one cipher call per round for the whole batch).
   * Values that are not integers, or that {@link pseudonym} refuses, are left out: it reports them, row by row.
   *
   * @param values - a column of a batch (nulls allowed)
   * @param affinity - the column's affinity
   */
  pseudonymIntegers(values: readonly unknown[], affinity: CopyColumnAffinity): Map<unknown, unknown> {
    const found = new Map<unknown, unknown>();
    const cache = this.cache('integer');
    const todo: { value: number | bigint | string; n: number }[] = [];
    for (const value of values) {
      if (value === null || value === undefined || found.has(value)) continue;
      if (!(typeof value === 'number' || typeof value === 'bigint' || (affinity === 'integer' && typeof value === 'string' && DIGITS.test(value)))) continue;
      const known = cache.get(value);
      if (known !== undefined) {
        found.set(value, known);
        continue;
      }
      let n: number;
      if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) continue;
        n = value;
      } else {
        const big = BigInt(value);
        if (big >= BigInt(PERMUTATION_LIMIT) || big < -BigInt(PERMUTATION_LIMIT)) continue;
        n = Number(big);
      }
      found.set(value, undefined);
      todo.push({ value, n });
    }
    const images = this.integers.permuteMany(todo.map(({ n }) => (n >= 0 ? n : -1 - n)));
    for (const [k, { value, n }] of todo.entries()) {
      const image = images[k] as number;
      const out = n >= 0 ? image : -1 - image;
      found.set(value, typeof value === 'number' ? out : typeof value === 'bigint' ? BigInt(out) : String(out));
    }
    return found;
  }

  private uuid(value: string): string {
    const b = Buffer.from(this.mac('pseudonym-uuid', value));
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const hex = b.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  private integer(value: number | bigint | string): number | bigint | string {
    const cache = this.cache('integer');
    const known = cache.get(value);
    if (known !== undefined) return known as number | bigint | string;
    let n: number;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw fakeInputError('holds a number that is not a safe integer (|n| < 2^53); a pseudonym needs one.');
      n = value;
    } else {
      const big = BigInt(value);
      if (big >= BigInt(PERMUTATION_LIMIT) || big < -BigInt(PERMUTATION_LIMIT)) throw fakeInputError('holds an integer beyond ±2^53, which the keyed permutation does not cover.');
      n = Number(big);
    }
    // Negative numbers map onto negative numbers: -1 - p(-1 - n) is a permutation of [-2^53, -1].
    const out = n >= 0 ? this.integers.permute(n) : -1 - this.integers.permute(-1 - n);
    return cache.set(value, typeof value === 'number' ? out : typeof value === 'bigint' ? BigInt(out) : String(out)) as number | bigint | string;
  }

  /**
   * A realistic, format-valid fake of a text value.
   *
   * - email: `<first>.<last>.<8 keyed base32 characters>@example.com|net|org` (unique in practice).
   * - phone: a number reserved for fiction: `+1 <area>-555-01xx` when the input looks North American, else
   *   `+44 7700 900xxx`. Only a thousand or a hundred numbers each: different inputs can share a fake (collisions
   *   are expected; do not put a unique index on a phone column you copy).
   * - iban: `GB` + valid check digits + a fictitious bank code (TEST, FAKE, DEMO) + 14 keyed digits.
   * - card: 16 digits from a test BIN (411111, 400000, 555555), keyed, Luhn-valid.
   * - name, firstName, lastName, street, city, region, country, address: from built-in lists and syllables.
   * - postalCode, shape: the input's shape, each digit a keyed digit, each letter a keyed letter of its case (a
   *   phone-shaped value stays phone-shaped and the post-copy scan will report it: give such columns 'phone').
   * - ip: an IPv4 address from TEST-NET-1/2/3, or an IPv6 address in 2001:db8::/32 when the input has a ':'.
   * A grouped IBAN or card number (spaces or dashes) comes back grouped the same way.
   *
   * @param strategy - which fake
   * @param value - not null; other types than text are read as text
   */
  text(strategy: TextFakeStrategy, value: unknown, ready?: Buffer): string {
    const input = textInput(strategy, value);
    const cache = this.cache(strategy);
    const known = cache.get(input);
    if (known !== undefined) return known as string;
    return cache.set(input, this.make(strategy, input, ready)) as string;
  }

  private make(strategy: TextFakeStrategy, input: string, ready: Buffer | undefined): string {
    if (strategy === 'shape' || strategy === 'postalCode') return this.shape(strategy, input, ready);
    const b = this.mac(strategy, input, ready);
    const u = (at: number): number => b.readUInt32BE(at);
    switch (strategy) {
      case 'email': {
        let tag = '';
        // 8 keyed characters (40 bits) besides the two names: unique in practice over millions of addresses.
        for (let i = 0; i < 8; i++) tag += BASE32[(b[8 + i] ?? 0) & 31];
        return `${emailWord(pick(GIVEN_NAMES, u(0)))}.${emailWord(pick(SURNAMES, u(4)))}.${tag}@${pick(FAKE_EMAIL_DOMAINS, b[16] ?? 0)}`;
      }
      case 'phone': {
        const digits = input.replace(/\D/g, '');
        const nanp = input.trim().startsWith('+1') || (!input.trim().startsWith('+') && ((digits.length === 10 && digits[0] !== '0') || (digits.length === 11 && digits[0] === '1')));
        if (nanp) return `+1 ${pick(US_AREA_CODES, u(0))}-555-01${pad(u(4) % 100, 2)}`;
        return `+44 ${UK_FICTION_PREFIX.slice(2, 6)} ${UK_FICTION_PREFIX.slice(6)}${pad(u(4) % 1000, 3)}`;
      }
      case 'iban': {
        const bban = `${pick(FAKE_BANK_CODES, u(0))}${pad(u(4) % 10_000_000, 7)}${pad(u(8) % 10_000_000, 7)}`;
        const iban = `GB${ibanCheckDigits('GB', bban)}${bban}`;
        const separator = separatorOf(input);
        return separator === '' ? iban : grouped(iban, separator);
      }
      case 'card': {
        const payload = `${pick(TEST_CARD_BINS, u(0))}${pad(u(4) % 100_000, 5)}${pad(u(8) % 10_000, 4)}`;
        const card = `${payload}${luhnCheckDigit(payload)}`;
        const separator = separatorOf(input);
        return separator === '' ? card : grouped(card, separator);
      }
      case 'name':
        return `${pick(GIVEN_NAMES, u(0))} ${pick(SURNAMES, u(4))}`;
      case 'firstName':
        return pick(GIVEN_NAMES, u(0));
      case 'lastName':
        return pick(SURNAMES, u(0));
      case 'street':
        return this.street(b);
      case 'city':
        return this.city(b, 0);
      case 'region':
        return pick(REGIONS, u(0));
      case 'country':
        return pick(COUNTRIES, u(0));
      case 'address':
        return `${this.street(b)}, ${pad(u(16) % 90_000 + 10_000, 5)} ${this.city(b, 20)}`;
      case 'ip': {
        if (input.includes(':')) {
          let out = '2001:db8';
          for (let g = 0; g < 6; g++) out += `:${HEX[(b[g * 2] ?? 0) >> 4]}${HEX[(b[g * 2] ?? 0) & 15]}${HEX[(b[g * 2 + 1] ?? 0) >> 4]}${HEX[(b[g * 2 + 1] ?? 0) & 15]}`;
          return out;
        }
        return `${pick(TEST_NETS, u(0))}.${1 + (u(4) % 254)}`;
      }
    }
  }

  private street(b: Buffer): string {
    return `${1 + (b.readUInt32BE(0) % 249)} ${pick(STREET_WORDS, b.readUInt32BE(4))} ${pick(STREET_KINDS, b.readUInt32BE(8))}`;
  }

  private city(b: Buffer, at: number): string {
    return `${pick(CITY_FIRST, b[at] ?? 0)}${pick(CITY_MIDDLE, b[at + 1] ?? 0)}${pick(CITY_LAST, b[at + 2] ?? 0)}`;
  }

  private shape(strategy: string, input: string, ready: Buffer | undefined): string {
    let bytes = this.mac(strategy, input, ready);
    let out = '';
    let i = 0;
    for (const char of input) {
      if (i === bytes.length) bytes = Buffer.concat([bytes, this.mac(`${strategy}#${i}`, input)]);
      const r = bytes[i++] ?? 0;
      if (char >= '0' && char <= '9') out += String(r % 10);
      else if (char.toLowerCase() !== char.toUpperCase()) {
        const letter = String.fromCharCode(97 + (r % 26));
        out += char === char.toUpperCase() ? letter.toUpperCase() : letter;
      } else out += char;
    }
    return out;
  }

  /** The shift of one subject's dates, in days: in [-max, max] without 0, the same for every date of the subject. */
  private shiftOf(basis: string, max: number, ready: Buffer | undefined): number {
    const id = `${max}\u0000${basis}`;
    const known = this.shifts.get(id);
    if (known !== undefined) return known;
    const n = this.mac('birthDate-shift', id, ready).readUInt32BE(0);
    const days = 1 + ((n >>> 1) % max);
    return this.shifts.set(id, n & 1 ? days : -days);
  }

  /**
   * A date moved by a keyed number of days in [-shiftDays, shiftDays] \ {0}, derived from the row's subject so that
   * every date of one subject moves together (from the value itself without a subject). Takes 'YYYY-MM-DD', ISO
   * date-times (the time is kept) and Date objects, and returns the input's format.
   *
   * @param value - not null
   * @param shiftDays - the largest shift
   * @param subject - the row's subject value, or null/undefined
   */
  birthDate(value: unknown, shiftDays: number, subject: unknown, ready?: Buffer): unknown {
    const basis = subject === null || subject === undefined ? undefined : subjectText(subject);
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw fakeInputError('holds an invalid Date.');
      return new Date(value.getTime() + this.shiftOf(basis ?? `value:${value.toISOString()}`, shiftDays, ready) * DAY_MS);
    }
    const parsed = typeof value === 'string' ? parseDate(value) : undefined;
    if (parsed === undefined) throw fakeInputError("holds a value that is not a date ('YYYY-MM-DD', an ISO date-time or a Date).");
    const shifted = new Date(parsed.time + this.shiftOf(basis ?? `value:${value as string}`, shiftDays, ready) * DAY_MS);
    return `${formatDay(shifted)}${parsed.rest}`;
  }

  /**
   * A date generalised to the first of January of its year, in the input's format (a time becomes midnight).
   *
   * @param value - not null
   */
  birthYear(value: unknown): unknown {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw fakeInputError('holds an invalid Date.');
      return new Date(Date.UTC(value.getUTCFullYear(), 0, 1));
    }
    const parsed = typeof value === 'string' ? parseDate(value) : undefined;
    if (parsed === undefined) throw fakeInputError("holds a value that is not a date ('YYYY-MM-DD', an ISO date-time or a Date).");
    const rest = parsed.rest.replace(/^([T ])([\d:.]+)/, (_m, sep: string, time: string) => `${sep}${time.replace(/\d/g, '0')}`);
    return `${(value as string).slice(0, 4)}-01-01${rest}`;
  }
}

/** A subject value as text: the same id read as a number, a bigint or a digit string shifts alike. */
export function subjectText(subject: unknown): string {
  if (typeof subject === 'string') return subject;
  if (typeof subject === 'number' || typeof subject === 'bigint' || typeof subject === 'boolean') return String(subject);
  if (Buffer.isBuffer(subject)) return subject.toString('hex');
  return JSON.stringify(subject) ?? '';
}

function parseDate(value: string): { time: number; rest: string } | undefined {
  const match = DATE_TEXT.exec(value);
  if (match === null) return undefined;
  const [, y, m, d, rest] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { time, rest: rest ?? '' };
}

function formatDay(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}
