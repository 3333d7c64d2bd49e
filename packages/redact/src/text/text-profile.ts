/**
 * What the text engine learns about a string before running the detectors: which kinds of characters it holds
 * (native searches), so that it can skip every detector that cannot match, and where its numeric candidates
 * are, so that the numeric detectors (cards, phones, SSNs, IPv4, NI numbers) share one search instead of one
 * each. The search is one native regular expression: JavaScript reads only the characters of the candidates.
 */

import { isAlnum, isDigit, isLetter } from './char-class';

/** The string contains '@'. */
export const HAS_AT = 1;
/** The string contains ':'. */
export const HAS_COLON = 2;
/** The string contains '='. */
export const HAS_EQUALS = 4;
/** The string contains '%'. */
export const HAS_PERCENT = 8;
/** The string contains '+'. */
export const HAS_PLUS = 16;
/** The string contains '.'. */
export const HAS_DOT = 32;
/** The string contains 'b' or 'B' (the start of "bearer" and "basic"). */
export const HAS_B = 64;
/** The string contains an ASCII letter. */
export const HAS_LETTER = 128;

const LETTER = /[A-Za-z]/;

/**
 * A numeric candidate: a maximal run of digit groups (runs of 0-9) in which 1 to 3 joiner characters
 * (space - . ( ) +) separate neighbours, holding 6+ digits or 4+ groups. "+44 20 7946 0958" is one candidate of
 * four groups; "10:30" and "v1.2" are none. Each alternative is greedy and bounded per character (no nested
 * quantifier can retry a span), so the search is linear in the text; the look-behind makes a failed attempt
 * skip the rest of its run of digits instead of retrying at each of them.
 */
const CANDIDATE = /(?<!\d)(?:\d(?:[ .()+-]{0,3}\d){5,}|\d+(?:[ .()+-]{1,3}\d+){3,})/g;

/**
 * The numeric candidates of a text (see the profile's description): only clusters with 6+ digits or 4+
 * groups, the only ones a card, phone, SSN, NI number or IPv4 address can be.
 */
export interface DigitClusters {
  /** Start and end (exclusive) of every group of every cluster, flattened: [start0, end0, start1, end1, ...]. */
  readonly groups: Int32Array;
  /** How many groups there are. */
  readonly groupCount: number;
  /** Index of the first group of each cluster; entry `clusterCount` is `groupCount`. */
  readonly clusterStarts: Int32Array;
  /** How many digits each cluster holds (detectors skip clusters too small for them in one comparison). */
  readonly clusterDigits: Int32Array;
  /** How many clusters there are. */
  readonly clusterCount: number;
}

/**
 * Scratch arrays for {@link TextProfile}, reused from one string to the next so that profiling allocates
 * nothing in the common case. They grow with the number of digit groups met (not the text length). One set
 * serves one profile at a time.
 */
export class ProfileBuffers {
  groups: Int32Array = new Int32Array(256);
  clusterStarts: Int32Array = new Int32Array(130);
  clusterDigits: Int32Array = new Int32Array(130);

  /** Doubles the capacity, keeping what is filled. */
  grow(): void {
    const copy = (a: Int32Array, size: number): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.groups = copy(this.groups, this.groups.length * 2);
    const clusters = this.groups.length / 2 + 2;
    this.clusterStarts = copy(this.clusterStarts, clusters);
    this.clusterDigits = copy(this.clusterDigits, clusters);
  }
}

/**
 * The character profile of one string: which kinds of characters it holds and its numeric candidates (native
 * searches only). With shared buffers, it is valid until the next profile made on the same buffers.
 */
export class TextProfile implements DigitClusters {
  /** HAS_* flags of the characters present. */
  readonly flags: number;
  readonly groups: Int32Array;
  readonly groupCount: number;
  readonly clusterStarts: Int32Array;
  readonly clusterDigits: Int32Array;
  readonly clusterCount: number;
  private digitsSeen = 0;
  private digitsScanned = 0;

  constructor(
    private readonly text: string,
    buffers: ProfileBuffers = new ProfileBuffers(),
  ) {
    const b = buffers;
    findCandidates(text, b);
    this.groups = b.groups;
    this.clusterStarts = b.clusterStarts;
    this.clusterDigits = b.clusterDigits;
    this.groupCount = found.groups;
    this.clusterCount = found.clusters;
    let flags = 0;
    if (text.indexOf('@') !== -1) flags |= HAS_AT;
    if (text.indexOf(':') !== -1) flags |= HAS_COLON;
    if (text.indexOf('=') !== -1) flags |= HAS_EQUALS;
    if (text.indexOf('%') !== -1) flags |= HAS_PERCENT;
    if (text.indexOf('+') !== -1) flags |= HAS_PLUS;
    if (text.indexOf('.') !== -1) flags |= HAS_DOT;
    if (text.indexOf('b') !== -1 || text.indexOf('B') !== -1) flags |= HAS_B;
    if (LETTER.test(text)) flags |= HAS_LETTER;
    this.flags = flags;
  }

  /**
   * Whether the string holds at least `count` ASCII digits. Counted on demand and only as far as needed (only
   * detectors that declare `minDigits` ask), resuming where the previous question stopped.
   */
  hasDigits(count: number): boolean {
    const text = this.text;
    let seen = this.digitsSeen;
    let i = this.digitsScanned;
    while (seen < count && i < text.length) {
      const c = text.charCodeAt(i++);
      if (c >= 48 && c <= 57) seen++;
    }
    this.digitsSeen = seen;
    this.digitsScanned = i;
    return seen >= count;
  }

  /** The numeric candidates of the string. */
  digitClusters(): DigitClusters {
    return this;
  }
}

const found = { groups: 0, clusters: 0 };

/** Whether text[start-2, start) are two letters at a word boundary (the country code of an IBAN, an NI prefix). */
function lettersAnchor(text: string, start: number): boolean {
  if (start < 2 || !isLetter(text.charCodeAt(start - 1)) || !isLetter(text.charCodeAt(start - 2))) return false;
  return start === 2 || !isAlnum(text.charCodeAt(start - 3));
}

/**
 * Fills the numeric candidates of `text` into `b`: the regular expression finds each candidate, and only the
 * characters of a candidate are read here to split it into groups.
 */
function findCandidates(text: string, b: ProfileBuffers): void {
  let g = 0;
  let c = 0;
  CANDIDATE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = CANDIDATE.exec(text)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    if (c + 2 > b.clusterStarts.length) b.grow();
    const first = g;
    let i = start;
    let digits = 0;
    while (i < end) {
      const groupStart = i;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      if (2 * g + 2 > b.groups.length) b.grow();
      b.groups[2 * g] = groupStart;
      b.groups[2 * g + 1] = i;
      g++;
      digits += i - groupStart;
      while (i < end && !isDigit(text.charCodeAt(i))) i++;
    }
    // Digits between two letters ("4bf92f35a1c0d9" in a hash) are no number a detector looks for, unless they
    // follow two letters at a word boundary (the "AB" of an NI number "AB123456C"): such a group is dropped.
    if (g - first === 1 && isLetter(text.charCodeAt(start - 1)) && isLetter(text.charCodeAt(end)) && !lettersAnchor(text, start)) {
      g = first;
      continue;
    }
    b.clusterStarts[c] = first;
    b.clusterDigits[c] = digits;
    c++;
  }
  b.clusterStarts[c] = g;
  found.groups = g;
  found.clusters = c;
}
