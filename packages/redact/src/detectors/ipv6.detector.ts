import { isIPv6 } from 'node:net';
import { HEX, is, isAlnum, isDigit } from '../text/char-class';
import { HAS_COLON } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

/** The longest textual IPv6 address: 8 groups of 4 hex digits, or 6 groups and a dotted IPv4 tail. */
const MAX_ADDRESS = 45;
const MAX_ZONE = 15;

function isAddressChar(c: number): boolean {
  return c === 58 || c === 46 || is(c, HEX);
}

function isZoneChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 || c === 46;
}

/**
 * Cheap shape test of text[start, end) before the full parse, without copying it: a digit, and '::' or the 7
 * colons of a full address (6 with an IPv4 tail). Times (`10:30:00`) fail here.
 */
function hasAddressShape(text: string, start: number, end: number): boolean {
  let colons = 0;
  let digit = false;
  let dot = false;
  let double = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 58) {
      colons++;
      if (k > start && text.charCodeAt(k - 1) === 58) double = true;
    } else if (c === 46) dot = true;
    else if (!digit) digit = isDigit(c);
  }
  return digit && (double || colons === 7 || (colons === 6 && dot));
}

/** Whether the text holds at least `count` colons (native searches). */
function hasColons(text: string, count: number): boolean {
  let at = -1;
  for (let k = 0; k < count; k++) {
    at = text.indexOf(':', at + 1);
    if (at === -1) return false;
  }
  return true;
}

/** Whether a candidate of the right shape is an address to redact (the loopback `::1` is not). */
function isAddress(candidate: string): boolean {
  return candidate !== '::1' && isIPv6(candidate);
}

/**
 * IPv6 addresses in all their written forms: full or compressed (`::`), any case, leading zeros, an embedded
 * IPv4 tail (`::ffff:192.0.2.1`), in brackets with a port (`[2001:db8::1]:443`) and with a zone (`fe80::1%eth0`).
 * Candidates are validated by Node's parser; times (`10:30:00`), MAC addresses and `std::vector` stay untouched,
 * as do the unspecified `::` and loopback `::1`.
 */
export const ipv6Detector: Detector = {
  name: 'ipv6',
  category: 'user.device.ip_address',
  label: 'ip',
  secret: false,
  minLength: 3,
  minDigits: 1,
  requires: HAS_COLON,
  scan(text: string, report: ReportMatch): void {
    // Every address has '::' or six colons at least: text with fewer (log lines with a time or two) is left at once.
    if (text.indexOf('::') === -1 && !hasColons(text, 6)) return;
    const n = text.length;
    let floor = 0;
    let colon = text.indexOf(':');
    while (colon !== -1) {
      let start = colon;
      while (start > floor && isAddressChar(text.charCodeAt(start - 1))) start--;
      let end = colon + 1;
      while (end < n && isAddressChar(text.charCodeAt(end))) end++;
      floor = end;
      let last = end;
      const c = text.charCodeAt(last - 1);
      if (c === 46 || (c === 58 && text.charCodeAt(last - 2) !== 58)) last--;
      if (last - start <= MAX_ADDRESS && (start === 0 || !isAlnum(text.charCodeAt(start - 1)))) {
        let stop = last;
        if (text.charCodeAt(stop) === 37) {
          let z = stop + 1;
          while (z < n && z - stop <= MAX_ZONE && isZoneChar(text.charCodeAt(z))) z++;
          if (z > stop + 1) stop = z;
        }
        const free = stop >= n || !isAlnum(text.charCodeAt(stop));
        if (free && hasAddressShape(text, start, last) && isAddress(text.slice(start, last))) {
          if (report(start, stop)) return;
          floor = stop;
        }
      }
      colon = end >= n ? -1 : text.indexOf(':', end);
    }
  },
  mask(value: string): string {
    const groups = value.split(':');
    return `${groups.slice(0, 3).join(':')}:*`;
  },
  normalize(value: string): string {
    return value.toLowerCase();
  },
};
