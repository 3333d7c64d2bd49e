import type { Detector, MatchKind, ReportMatch } from '../detectors/detector';
import { declaredKeysVersion } from '../keys/sensitive-keys';
import type { Replacement, Replacer } from '../replacement/replacer';
import { isDigit, isSpace } from './char-class';
import { decodedWindows } from './percent-decoding';
import type { DecodedWindow } from './percent-decoding';
import { HAS_EQUALS, HAS_PERCENT, HAS_PLUS, ProfileBuffers, TextProfile } from './text-profile';

const NO_WINDOWS: readonly DecodedWindow[] = [];

/** A detector switched on, with the replacement it uses. */
export interface ActiveDetector {
  readonly detector: Detector;
  readonly replacement: Replacement;
}

/**
 * Strings up to this long that held nothing are remembered: the values of log records repeat (routes, levels,
 * plans, user agents, messages of structured logs). Longer strings are mostly free-text lines that never repeat
 * (a timestamp makes each one new), where remembering would only cost a hash and a set entry per line.
 */
export const CLEAN_MEMO_MAX_LENGTH = 96;
/** How many clean strings each generation of the memo keeps. */
export const CLEAN_MEMO_SIZE = 2048;

/**
 * The strings the detectors found nothing in, in two generations: a hit in the older one moves the string to the
 * newer one, and when the newer one is full the older one is dropped. Holds no personal data by construction (only
 * what no detector matched), and is emptied when the declared keys change (a new class field makes `field=value`
 * personal).
 */
class CleanMemo {
  private young = new Set<string>();
  private old = new Set<string>();
  private version = declaredKeysVersion();

  has(text: string): boolean {
    if (this.version !== declaredKeysVersion()) {
      this.version = declaredKeysVersion();
      this.young.clear();
      this.old.clear();
      return false;
    }
    if (this.young.has(text)) return true;
    if (!this.old.has(text)) return false;
    this.add(text);
    return true;
  }

  add(text: string): void {
    if (this.young.size >= CLEAN_MEMO_SIZE) {
      this.old = this.young;
      this.young = new Set();
    }
    this.young.add(text);
  }
}

/** How far back a cut looks for white space, so that it does not split a value. */
const CUT_LOOKBACK = 256;

function isNumberish(c: number): boolean {
  return isDigit(c) || isSpace(c) || c === 45 || c === 46 || c === 40 || c === 41 || c === 43;
}

/**
 * Where to cut an oversized string: at white space near the limit, then before any trailing digits and
 * separators, so that no partial card or phone number is left at the end of the kept part.
 */
export function safeCut(text: string, limit: number): number {
  const floor = Math.max(0, limit - CUT_LOOKBACK);
  let cut = limit;
  while (cut > floor && !isSpace(text.charCodeAt(cut - 1))) cut--;
  if (cut === floor) cut = floor;
  const numberFloor = Math.max(0, cut - CUT_LOOKBACK);
  while (cut > numberFloor && isNumberish(text.charCodeAt(cut - 1))) cut--;
  return cut;
}

/** The marker appended to a string that was cut. */
export function truncationMarker(dropped: number): string {
  return `...[truncated ${dropped} chars]`;
}

/**
 * Runs the active detectors over strings: once over the text, once more over its URL-decoded form when it
 * holds escapes, merges overlapping matches and replaces them. Strings longer than `maxStringLength` are cut
 * (see {@link safeCut}) and the kept part is redacted: an oversized string is never passed through.
 */
export class TextRedactor {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly owners: ActiveDetector[] = [];
  private readonly kinds: (MatchKind | undefined)[] = [];
  private current: ActiveDetector | undefined;
  private window: DecodedWindow | undefined;
  private found: Set<string> | undefined;
  private busy = false;
  private readonly buffers = new ProfileBuffers();
  private readonly memo = new CleanMemo();
  private readonly minLength: number;
  private readonly report: ReportMatch;
  private readonly detect: ReportMatch;

  constructor(
    private readonly detectors: readonly ActiveDetector[],
    private readonly replacer: Replacer,
    private readonly maxStringLength: number,
  ) {
    this.minLength = detectors.length === 0 ? Infinity : Math.min(...detectors.map((d) => d.detector.minLength));
    this.report = (start, end, kind) => {
      if (kind !== undefined && !kind.redact) return false;
      const window = this.window;
      this.starts.push(window === undefined ? start : window.original(start));
      this.ends.push(window === undefined ? end : window.original(end));
      this.owners.push(this.current!);
      this.kinds.push(kind);
      return false;
    };
    this.detect = (_start, _end, kind) => {
      this.found!.add(kind === undefined ? this.current!.detector.category : kind.category);
      return kind === undefined;
    };
  }

  /** Whether any detector is active. */
  get active(): boolean {
    return this.detectors.length > 0;
  }

  /**
   * The text with every match replaced (the same string when nothing matched).
   * Throws only if a custom detector or replacement function throws.
   */
  redact(text: string): string {
    if (text.length < this.minLength) return text;
    if (text.length <= CLEAN_MEMO_MAX_LENGTH && this.memo.has(text)) return text;
    if (text.length <= this.maxStringLength) {
      const out = this.redactWhole(text);
      if (out === text && text.length <= CLEAN_MEMO_MAX_LENGTH) this.memo.add(text);
      return out;
    }
    const cut = safeCut(text, this.maxStringLength);
    return this.redactWhole(text.slice(0, cut)) + truncationMarker(text.length - cut);
  }

  /**
   * Adds to `found` the data categories the detectors see in `text` (the first `maxLength` characters),
   * skipping detectors whose category is already in it and stopping each detector at its first match.
   */
  categories(text: string, found: Set<string>, maxLength: number): void {
    if (text.length < this.minLength) return;
    const sample = text.length > maxLength ? text.slice(0, maxLength) : text;
    if (this.busy) {
      new TextRedactor(this.detectors, this.replacer, this.maxStringLength).categories(text, found, maxLength);
      return;
    }
    this.busy = true;
    this.found = found;
    try {
      const profile = new TextProfile(sample, this.buffers);
      this.run(sample, profile, this.detect, found);
      for (const window of this.decoded(sample, profile)) this.run(window.text, new TextProfile(window.text, this.buffers), this.detect, found);
    } finally {
      this.found = undefined;
      this.busy = false;
    }
  }

  private decoded(text: string, profile: TextProfile): readonly DecodedWindow[] {
    const flags = profile.flags;
    const percent = (flags & HAS_PERCENT) !== 0;
    const plus = (flags & HAS_PLUS) !== 0 && (flags & HAS_EQUALS) !== 0;
    return percent || plus ? decodedWindows(text, percent, plus) : NO_WINDOWS;
  }

  private run(text: string, profile: TextProfile, report: ReportMatch, skip: Set<string> | undefined): void {
    for (const active of this.detectors) {
      const d = active.detector;
      if (text.length < d.minLength || (d.minDigits > 0 && !profile.hasDigits(d.minDigits))) continue;
      if (d.requires !== 0 && (profile.flags & d.requires) === 0) continue;
      if (skip !== undefined && d.name !== 'keyValue' && skip.has(d.category)) continue;
      this.current = active;
      d.scan(text, report, profile);
    }
  }

  private redactWhole(text: string): string {
    if (this.busy) return new TextRedactor(this.detectors, this.replacer, this.maxStringLength).redactWhole(text);
    this.busy = true;
    try {
      if (this.starts.length !== 0) {
        this.starts.length = 0;
        this.ends.length = 0;
        this.owners.length = 0;
        this.kinds.length = 0;
      }
      const profile = new TextProfile(text, this.buffers);
      this.window = undefined;
      this.run(text, profile, this.report, undefined);
      for (const window of this.decoded(text, profile)) {
        this.window = window;
        this.run(window.text, new TextProfile(window.text, this.buffers), this.report, undefined);
      }
      this.window = undefined;
      return this.starts.length === 0 ? text : this.build(text);
    } finally {
      this.window = undefined;
      this.current = undefined;
      this.busy = false;
    }
  }

  private build(text: string): string {
    const count = this.starts.length;
    const order: number[] = new Array<number>(count);
    for (let k = 0; k < count; k++) order[k] = k;
    if (count > 1) order.sort((a, b) => this.starts[a]! - this.starts[b]! || this.ends[b]! - this.ends[a]!);
    let out = '';
    let last = 0;
    let k = 0;
    while (k < count) {
      const first = order[k]!;
      const start = this.starts[first]!;
      let end = this.ends[first]!;
      k++;
      while (k < count && this.starts[order[k]!]! < end) {
        end = Math.max(end, this.ends[order[k]!]!);
        k++;
      }
      out += text.slice(last, start) + this.replacement(text.slice(start, end), this.owners[first]!, this.kinds[first]);
      last = end;
    }
    return out + text.slice(last);
  }

  private replacement(value: string, owner: ActiveDetector, kind: MatchKind | undefined): string {
    const d = owner.detector;
    if (owner.replacement === 'label') return this.replacer.label(kind === undefined ? d.label : kind.label);
    const match = kind === undefined
      ? { label: d.label, category: d.category, source: d.name, secret: d.secret }
      : { label: kind.label, category: kind.category, source: d.name, secret: kind.secret };
    return this.replacer.replace(value, owner.replacement, match, kind === undefined ? d : undefined);
  }
}
