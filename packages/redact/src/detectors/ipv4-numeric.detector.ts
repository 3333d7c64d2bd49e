import { isAlnum } from '../text/char-class';
import type { TextProfile } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';
import { GroupReader, scanClusters } from './numeric-groups';

/** 1.0.0.0 and 255.255.255.255 as integers: the range in which a number can be an address. */
const MIN_ADDRESS = 16_777_216;
const MAX_ADDRESS = 4_294_967_295;

/**
 * What makes a bare number an address: the host position of a URL (`http://3405803856/`, `ftp://u@0xCB007150`)
 * or a telling word or key right before it (`ip 3405803856`, `host=0xCB007150`, `remote_addr: ...`). Anchored
 * at the end of a short slice, so it reads at most {@link CONTEXT} characters.
 */
const ADDRESS_CONTEXT =
  /(?:\/\/(?:[\w.%-]{1,64}@)?|(?:^|[^A-Za-z])(?:ip|ipv4|ip[_-]?addr(?:ess)?|addr|address|host|hostname|client|remote|peer|server|src|dst|source|destination|origin|forwarded[_-]for|real[_-]ip)["']?\s{0,2}[:=]?\s{0,2}["']?)$/i;
const CONTEXT = 40;

function hasAddressContext(text: string, start: number): boolean {
  return ADDRESS_CONTEXT.test(text.slice(Math.max(0, start - CONTEXT), start));
}

/** Whether the character at i ends the address: the text ends, or it is no letter, digit or decimal part. */
function endsAt(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  if (c === 46) return i + 1 >= text.length || !isAlnum(text.charCodeAt(i + 1));
  return !isAlnum(c);
}

function startsAt(text: string, i: number): boolean {
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  return c !== 46 && !isAlnum(c);
}

/** Whether group g is an octet in octal (0313) or decimal (203) writing. */
function octet(r: GroupReader, g: number): { value: number; octal: boolean } | undefined {
  const length = r.length(g);
  if (length > 4) return undefined;
  if (length > 1 && r.digit(g, 0) === 0) {
    let v = 0;
    for (let k = 1; k < length; k++) {
      const d = r.digit(g, k);
      if (d > 7) return undefined;
      v = v * 8 + d;
    }
    return v <= 255 ? { value: v, octal: true } : undefined;
  }
  const v = r.value(g);
  return length <= 3 && v <= 255 ? { value: v, octal: false } : undefined;
}

/** Integer addresses after a telling context, and dotted-octal addresses, in one numeric candidate. */
function scanNumeric(r: GroupReader, first: number, last: number, report: ReportMatch): boolean {
  const text = r.text;
  for (let g = first; g < last; g++) {
    const length = r.length(g);
    if (length >= 8 && length <= 10 && startsAt(text, r.start(g)) && endsAt(text, r.end(g))) {
      const v = r.value(g);
      if (v >= MIN_ADDRESS && v <= MAX_ADDRESS && r.digit(g, 0) !== 0 && hasAddressContext(text, r.start(g))) {
        if (report(r.start(g), r.end(g))) return true;
      }
      continue;
    }
    // Dotted octal (0313.0.0161.0120): four dot-joined octets, one of them written with a leading 0 and 3+ digits.
    if (g + 3 < last && r.gapChar(g) === 46 && r.gapChar(g + 1) === 46 && r.gapChar(g + 2) === 46 && startsAt(text, r.start(g)) && endsAt(text, r.end(g + 3))) {
      let octal = false;
      let valid = true;
      for (let k = g; k < g + 4 && valid; k++) {
        const o = octet(r, k);
        if (o === undefined) valid = false;
        else if (o.octal && r.length(k) >= 3) octal = true;
      }
      if (valid && octal) {
        if (report(r.start(g), r.end(g + 3))) return true;
        g += 3;
      }
    }
  }
  return false;
}

/** Hex writings: one 32-bit number (0xCB007150, with context) or four dotted hex octets (0xCB.0x00.0x71.0x50). */
const HEX = /0[xX](?:[0-9A-Fa-f]{8}(?![\w.])|[0-9A-Fa-f]{1,2}(?:\.(?:0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,3})){3}(?![\w.]))/g;

function scanHex(text: string, report: ReportMatch): void {
  HEX.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = HEX.exec(text)) !== null) {
    const start = match.index;
    if (!startsAt(text, start)) continue;
    const value = match[0];
    const dotted = value.indexOf('.') !== -1;
    if (dotted) {
      if (!value.split('.').every((part) => Number(part) <= 255)) continue;
    } else if (Number(value) < MIN_ADDRESS || !hasAddressContext(text, start)) continue;
    if (report(start, start + value.length)) return;
  }
}

/**
 * IPv4 addresses in the other forms that resolvers and browsers accept: one 32-bit integer
 * (`http://3405803856/`, `ip 3405803856`) or hex number (`host=0xCB007150`), which need a URL host position or a
 * telling word or key before them (ip, addr, host, client, remote, peer, server...), so that ids, counts, sizes
 * and epoch seconds survive; and dotted hex or octal (`0xCB.0x00.0x71.0x50`, `0313.0.0161.0120`).
 */
export const ipv4NumericDetector: Detector = {
  name: 'ipv4Numeric',
  category: 'user.device.ip_address',
  label: 'ip',
  secret: false,
  minLength: 8,
  minDigits: 1,
  requires: 0,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    scanClusters(text, profile, report, 8, 1, scanNumeric);
    if (text.indexOf('0x') !== -1 || text.indexOf('0X') !== -1) scanHex(text, report);
  },
};
