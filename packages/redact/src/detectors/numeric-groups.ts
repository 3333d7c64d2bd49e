import { isAlnum } from '../text/char-class';
import type { DigitClusters, TextProfile } from '../text/text-profile';
import type { ReportMatch } from './detector';

/**
 * Helpers the numeric detectors share to read the digit groups of a {@link DigitClusters}: group `g` spans
 * `[start(g), end(g))`, and the "gap" between groups g and g+1 is the 1-3 joiner characters between them.
 */
export class GroupReader {
  constructor(
    readonly text: string,
    readonly clusters: DigitClusters,
  ) {}

  start(g: number): number {
    return this.clusters.groups[2 * g]!;
  }

  end(g: number): number {
    return this.clusters.groups[2 * g + 1]!;
  }

  length(g: number): number {
    return this.end(g) - this.start(g);
  }

  /** The char code of the single-character gap after group g, or -1 when the gap is longer. */
  gapChar(g: number): number {
    const end = this.end(g);
    return this.start(g + 1) - end === 1 ? this.text.charCodeAt(end) : -1;
  }

  /** Whether the character before group g is not a letter or digit. */
  freeBefore(g: number): boolean {
    const s = this.start(g);
    return s === 0 || !isAlnum(this.text.charCodeAt(s - 1));
  }

  /** Whether the character after group g is not a letter or digit. */
  freeAfter(g: number): boolean {
    const e = this.end(g);
    return e >= this.text.length || !isAlnum(this.text.charCodeAt(e));
  }

  /** The numeric value of the first `count` digits of group g. */
  value(g: number, count = this.length(g)): number {
    let v = 0;
    const s = this.start(g);
    for (let i = s; i < s + count; i++) v = v * 10 + (this.text.charCodeAt(i) - 48);
    return v;
  }

  /** The digit at `offset` in group g (0-9). */
  digit(g: number, offset: number): number {
    return this.text.charCodeAt(this.start(g) + offset) - 48;
  }
}

/** Scans one numeric candidate, whose groups are [first, last); returns true when the caller has seen enough. */
export type ClusterScan = (r: GroupReader, first: number, last: number, report: ReportMatch) => boolean;

/**
 * Runs `scan` on each numeric candidate of the profile with at least `minDigits` digits and `minGroups` groups,
 * and stops as soon as one returns true (the caller of the detector has seen enough).
 */
export function scanClusters(text: string, profile: TextProfile, report: ReportMatch, minDigits: number, minGroups: number, scan: ClusterScan): void {
  const clusters = profile.digitClusters();
  const r = new GroupReader(text, clusters);
  for (let c = 0; c < clusters.clusterCount; c++) {
    const first = clusters.clusterStarts[c]!;
    const last = clusters.clusterStarts[c + 1]!;
    if (clusters.clusterDigits[c]! < minDigits || last - first < minGroups) continue;
    if (scan(r, first, last, report)) return;
  }
}
