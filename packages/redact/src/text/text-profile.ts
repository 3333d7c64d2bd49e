/**
 * One pass over a string that records which kinds of characters it holds, so the text engine can skip every
 * detector that cannot match (most log strings need few), and where its digit groups are, so the numeric
 * detectors (cards, phones, SSNs, IPv4, IBANs, NI numbers) share one scan instead of one each.
 */

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

/** The longest run of joiners that still links two digit groups (e.g. ") " or " - "). */
const MAX_JOIN = 3;

/**
 * Digit groups of a text (maximal runs of 0-9) chained into clusters: two neighbouring groups belong to one
 * cluster when 1 to 3 joiner characters (space - . ( ) +) separate them. "+44 20 7946 0958" is one cluster of
 * four groups; "10:30" is two clusters.
 */
export interface DigitClusters {
  /** Start and end (exclusive) of every group, flattened: [start0, end0, start1, end1, ...]. */
  readonly groups: Int32Array;
  /** How many groups there are. */
  readonly groupCount: number;
  /** Index of the first group of each cluster; entry `clusterCount` is `groupCount`. */
  readonly clusterStarts: Int32Array;
  /** How many digits each cluster holds (detectors skip clusters too small for them in one comparison). */
  readonly clusterDigits: Int32Array;
  /** How many clusters there are. */
  readonly clusterCount: number;
  /** Indexes of the clusters with 6+ digits or 4+ groups: the only ones a card, phone, SSN, NI number or IPv4 can be. */
  readonly bigClusters: Int32Array;
  readonly bigClusterCount: number;
  /** Indexes of the clusters right after a letter: the only ones that can be the check digits of an IBAN. */
  readonly letterClusters: Int32Array;
  readonly letterClusterCount: number;
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
  bigClusters: Int32Array = new Int32Array(130);
  letterClusters: Int32Array = new Int32Array(130);

  /** Doubles the capacity, keeping the first `groupCount` groups and `clusterCount` clusters. */
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
    this.bigClusters = copy(this.bigClusters, clusters);
    this.letterClusters = copy(this.letterClusters, clusters);
  }
}

/**
 * The character profile of one string: which kinds of characters it holds, how many digits, and its digit
 * clusters (one pass over the characters, plus native searches). With shared buffers, it is valid until the
 * next profile made on the same buffers.
 */
export class TextProfile implements DigitClusters {
  /** HAS_* flags of the characters present. */
  readonly flags: number;
  /** How many ASCII digits the string holds. */
  readonly digits: number;
  readonly groups: Int32Array;
  readonly groupCount: number;
  readonly clusterStarts: Int32Array;
  readonly clusterDigits: Int32Array;
  readonly clusterCount: number;
  readonly bigClusters: Int32Array;
  readonly bigClusterCount: number;
  readonly letterClusters: Int32Array;
  readonly letterClusterCount: number;

  constructor(text: string, buffers: ProfileBuffers = new ProfileBuffers()) {
    const b = buffers;
    const counts = scanDigitGroups(text, b, text.length <= SHORT);
    this.groups = b.groups;
    this.clusterStarts = b.clusterStarts;
    this.clusterDigits = b.clusterDigits;
    this.bigClusters = b.bigClusters;
    this.letterClusters = b.letterClusters;
    this.digits = counts.digits;
    this.groupCount = counts.groups;
    this.clusterCount = counts.clusters;
    this.bigClusterCount = counts.big;
    this.letterClusterCount = counts.lettered;
    if (text.length <= SHORT) {
      this.flags = counts.flags;
      return;
    }
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

  /** The digit groups and clusters of the string. */
  digitClusters(): DigitClusters {
    return this;
  }
}

const counts = { digits: 0, groups: 0, clusters: 0, big: 0, lettered: 0, flags: 0 };

/** Up to this length, flags are collected in the digit loop; longer texts use native searches for them. */
const SHORT = 256;

const FLAG_OF = new Uint8Array(128);
FLAG_OF[64] = HAS_AT;
FLAG_OF[58] = HAS_COLON;
FLAG_OF[61] = HAS_EQUALS;
FLAG_OF[37] = HAS_PERCENT;
FLAG_OF[43] = HAS_PLUS;
FLAG_OF[46] = HAS_DOT;
for (let c = 65; c <= 90; c++) FLAG_OF[c] = HAS_LETTER;
for (let c = 97; c <= 122; c++) FLAG_OF[c] = HAS_LETTER;
FLAG_OF[66] = HAS_B | HAS_LETTER;
FLAG_OF[98] = HAS_B | HAS_LETTER;

/** Whether the character before `start` is an ASCII letter. */
function letterBefore(text: string, start: number): boolean {
  if (start === 0) return false;
  const c = text.charCodeAt(start - 1) | 0x20;
  return c >= 97 && c <= 122;
}

/** Whether text[start-2, start) are two letters at a word boundary (the country code of an IBAN). */
function ibanAnchor(text: string, start: number): boolean {
  if (start < 2 || !letterBefore(text, start - 1)) return false;
  if (start === 2) return true;
  const c = text.charCodeAt(start - 3);
  return !((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122));
}

/**
 * Fills the digit groups and clusters of `text` (one pass over its characters) and returns the counts.
 * A plain function with small-integer locals, so that the optimizing compiler keeps it fast.
 */
function scanDigitGroups(text: string, b: ProfileBuffers, withFlags: boolean): typeof counts {
  let { groups, clusterStarts, clusterDigits, bigClusters, letterClusters } = b;
  const n = text.length;
  let flags = 0;
  let digits = 0;
  let prevEnd = -1;
  let clusterSize = 0;
  let g = 0;
  let c = 0;
  let big = 0;
  let lettered = 0;
  let i = 0;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) {
      if (withFlags && ch < 128) flags |= FLAG_OF[ch]!;
      i++;
      continue;
    }
    const start = i;
    i++;
    let after = 0;
    while (i < n) {
      after = text.charCodeAt(i);
      if (after < 48 || after > 57) break;
      i++;
    }
    const before = start > 0 ? text.charCodeAt(start - 1) | 0x20 : 0;
    const letterBeforeRun = before >= 97 && before <= 122;
    // Digits between two letters ("4bf92f35" in a hash) are no number a detector looks for, unless they can be
    // an IBAN's check digits (two letters after a word boundary, as in "GB82WEST...").
    if (letterBeforeRun && i < n && ((after | 0x20) >= 97 && (after | 0x20) <= 122) && !ibanAnchor(text, start)) {
      if (withFlags) flags |= HAS_LETTER;
      continue;
    }
    if (2 * g + 2 > groups.length) {
      b.grow();
      ({ groups, clusterStarts, clusterDigits, bigClusters, letterClusters } = b);
    }
    let joined = prevEnd >= 0 && start - prevEnd <= MAX_JOIN;
    for (let k = prevEnd; joined && k < start; k++) {
      const j = text.charCodeAt(k);
      joined = j === 32 || j === 45 || j === 46 || j === 40 || j === 41 || j === 43;
    }
    if (!joined) {
      if (prevEnd >= 0) {
        clusterDigits[c - 1] = clusterSize;
        if (clusterSize >= 6 || g - clusterStarts[c - 1]! >= 4) bigClusters[big++] = c - 1;
      }
      if (letterBeforeRun) letterClusters[lettered++] = c;
      clusterStarts[c++] = g;
      clusterSize = 0;
    }
    clusterSize += i - start;
    digits += i - start;
    groups[2 * g] = start;
    groups[2 * g + 1] = i;
    g++;
    prevEnd = i;
  }
  if (prevEnd >= 0) {
    clusterDigits[c - 1] = clusterSize;
    if (clusterSize >= 6 || g - clusterStarts[c - 1]! >= 4) bigClusters[big++] = c - 1;
  }
  clusterStarts[c] = g;
  counts.digits = digits;
  counts.groups = g;
  counts.clusters = c;
  counts.big = big;
  counts.lettered = lettered;
  counts.flags = flags;
  return counts;
}
