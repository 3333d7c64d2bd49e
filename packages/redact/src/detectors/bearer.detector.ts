import { TOKEN_CHAR, is, isDigit } from '../text/char-class';
import { HAS_B } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

const MAX_TOKEN = 8192;
const SCHEME = /\b(bearer|basic)[ \t]+/gi;

/** Whether a bearer token looks like one: 8+ characters with a digit or a symbol, or 20+ characters. */
function isPlausibleToken(token: string): boolean {
  if (token.length >= 20) return true;
  if (token.length < 8) return false;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (isDigit(c) || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61) return true;
  }
  return false;
}

/** Whether a Basic credential decodes to `user:password`. */
function isBasicCredential(token: string): boolean {
  if (token.length < 4 || token.length > 1024) return false;
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon >= 0 && /^[\x20-\x7e]+$/.test(decoded);
}

/**
 * Credentials after an HTTP authentication scheme: `Bearer <token>` (8+ token characters with a digit or
 * symbol, or 20+ characters, so "Bearer authentication failed" stays) and `Basic <base64 of user:password>`.
 * The scheme word is kept: `Bearer [REDACTED:bearer]`.
 */
export const bearerDetector: Detector = {
  name: 'bearer',
  category: 'user.authorization.credentials',
  label: 'bearer',
  secret: true,
  minLength: 12,
  minDigits: 0,
  requires: HAS_B,
  scan(text: string, report: ReportMatch): void {
    // Scans run synchronously and never nest, so one regular expression object is reused.
    const scheme = SCHEME;
    scheme.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = scheme.exec(text)) !== null) {
      const start = scheme.lastIndex;
      let end = start;
      const limit = Math.min(text.length, start + MAX_TOKEN);
      while (end < limit && is(text.charCodeAt(end), TOKEN_CHAR)) end++;
      while (end < limit && end - start < MAX_TOKEN && text.charCodeAt(end) === 61) end++;
      if (end === start) continue;
      const token = text.slice(start, end);
      const basic = match[1]!.length === 5;
      if (basic ? isBasicCredential(token) : isPlausibleToken(token)) {
        if (report(start, end)) return;
      }
      scheme.lastIndex = end;
    }
  },
};
