/**
 * One pass over a string that records which kinds of characters it holds, so the text engine can skip every
 * detector that cannot match (most log strings need none), and, on demand, where its digit groups are, so the
 * numeric detectors (cards, phones, SSNs, IPv4, IBANs, NI numbers) share one scan instead of one each.
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

/** Characters that may join two digit groups of one cluster: space - . ( ) + */
function isJoiner(c: number): boolean {
  return c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 43;
}

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
}

/** Texts up to this long reuse the scratch arrays of their redactor; longer ones get arrays of their own. */
const RETAINED_CAPACITY = 128 * 1024;

/**
 * Scratch arrays for {@link TextProfile}, reused from one string to the next so that profiling allocates
 * nothing in the common case. One set serves one profile at a time.
 */
export class ProfileBuffers {
  groups = new Int32Array(256);
  clusterStarts = new Int32Array(130);
  clusterDigits = new Int32Array(130);

  /** Makes room for a text of `length` characters (at most one group per two characters). */
  reserve(length: number): ProfileBuffers {
    if (this.groups.length >= length + 2) return this;
    const target = length > RETAINED_CAPACITY ? new ProfileBuffers() : this;
    const size = Math.max(length + 2, target.groups.length * 2);
    target.groups = new Int32Array(size);
    target.clusterStarts = new Int32Array((size >> 1) + 2);
    target.clusterDigits = new Int32Array((size >> 1) + 2);
    return target;
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

  constructor(text: string, buffers: ProfileBuffers = new ProfileBuffers()) {
    const b = buffers.reserve(text.length);
    this.groups = b.groups;
    this.clusterStarts = b.clusterStarts;
    this.clusterDigits = b.clusterDigits;
    const counts = scanDigitGroups(text, b.groups, b.clusterStarts, b.clusterDigits);
    this.digits = counts.digits;
    this.groupCount = counts.groups;
    this.clusterCount = counts.clusters;
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

/** Whether text[from, to) is 1-3 joiners, so the digit groups around it belong to one cluster. */
function joins(text: string, from: number, to: number): boolean {
  if (to - from > MAX_JOIN) return false;
  for (let k = from; k < to; k++) if (!isJoiner(text.charCodeAt(k))) return false;
  return true;
}

const counts = { digits: 0, groups: 0, clusters: 0 };

/**
 * Fills the digit groups and clusters of `text` (one pass over its characters) and returns the counts.
 * A plain function with small-integer locals, so that the optimizing compiler keeps it fast.
 */
function scanDigitGroups(text: string, groups: Int32Array, clusterStarts: Int32Array, clusterDigits: Int32Array): typeof counts {
  const n = text.length;
  let digits = 0;
  let prevEnd = -1;
  let clusterSize = 0;
  let g = 0;
  let c = 0;
  let i = 0;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) {
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d < 48 || d > 57) break;
      i++;
    }
    if (prevEnd < 0 || !joins(text, prevEnd, start)) {
      if (prevEnd >= 0) clusterDigits[c - 1] = clusterSize;
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
  if (prevEnd >= 0) clusterDigits[c - 1] = clusterSize;
  clusterStarts[c] = g;
  counts.digits = digits;
  counts.groups = g;
  counts.clusters = c;
  return counts;
}
