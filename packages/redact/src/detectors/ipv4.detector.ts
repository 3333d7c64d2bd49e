import type { TextProfile } from '../text/text-profile';
import { HAS_DOT } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';
import { GroupReader, scanClusters } from './numeric-groups';

/** Words that, right before a dotted quad, make it a version number rather than an address. */
const VERSION_BEFORE = /(?:version|ver|v|release|build)[\s:=]*$/i;

function isExcluded(a: number, b: number, c: number, d: number): boolean {
  // Unspecified, loopback and broadcast addresses identify no one and fill server logs ("listening on 0.0.0.0").
  if (a === 127) return true;
  if (a === 0 && b === 0 && c === 0 && d === 0) return true;
  return a === 255 && b === 255 && c === 255 && d === 255;
}

/** The IPv4 addresses in one numeric candidate: four dotted groups of 0-255 standing alone. */
function scanIpv4(r: GroupReader, first: number, last: number, report: ReportMatch): boolean {
  const text = r.text;
  let i = first;
  while (i < last) {
    let j = i;
    while (j + 1 < last && r.gapChar(j) === 46) j++;
    if (j - i === 3 && isQuad(r, i) && r.freeAfter(j)) {
      const s = r.start(i);
      const before = s > 0 ? text.charCodeAt(s - 1) : 32;
      const versioned = VERSION_BEFORE.test(text.slice(Math.max(0, s - 10), s));
      if (before !== 46 && r.freeBefore(i) && !versioned) {
        if (report(s, r.end(j))) return true;
      }
    }
    i = j + 1;
  }
  return false;
}

/**
 * IPv4 addresses in dotted-decimal form (leading zeros allowed), alone or with a port or prefix length
 * (`203.0.113.7:8080`, `10.0.0.0/8`: the address part is redacted). Exactly four octets of 0-255; longer dot
 * chains (OIDs, four-part versions after "v"/"version") and loopback/unspecified addresses stay untouched.
 */
export const ipv4Detector: Detector = {
  name: 'ipv4',
  category: 'user.device.ip_address',
  label: 'ip',
  secret: false,
  minLength: 7,
  // Only the numeric candidates of the profile are read: a text without any has no work to give.
  minDigits: 0,
  requires: HAS_DOT,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    scanClusters(text, profile, report, 0, 4, scanIpv4);
  },
  mask(value: string): string {
    return value.replace(/\.\d+$/, '.*');
  },
  normalize(value: string): string {
    return value.split('.').map((octet) => String(Number(octet))).join('.');
  },
};

function isQuad(r: GroupReader, i: number): boolean {
  for (let k = i; k < i + 4; k++) if (r.length(k) > 3 || r.value(k) > 255) return false;
  return !isExcluded(r.value(i), r.value(i + 1), r.value(i + 2), r.value(i + 3));
}
