/**
 * ASCII character classes as bit flags in one lookup table, so the scanners test a character with one load
 * and one AND instead of chains of comparisons. Non-ASCII characters belong to no class.
 */

/** 0-9 */
export const DIGIT = 1;
/** A-Z a-z */
export const LETTER = 2;
/** 0-9 A-F a-f */
export const HEX = 4;
/** Characters of an e-mail local part we recognise: A-Z a-z 0-9 . _ % + - */
export const EMAIL_LOCAL = 8;
/** Characters of a domain name: A-Z a-z 0-9 . - */
export const DOMAIN = 16;
/** Characters of base64url plus '.' (JWT segments): A-Z a-z 0-9 _ - . */
export const JWT_CHAR = 32;
/** Characters of a key in `key=value` text: A-Z a-z 0-9 _ . - */
export const KEY_CHAR = 64;
/** Characters of an opaque token (bearer, basic): A-Z a-z 0-9 - . _ ~ + / */
export const TOKEN_CHAR = 128;

const TABLE = new Uint8Array(128);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) TABLE[chars.charCodeAt(i)]! |= flag;
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = DIGITS + UPPER + LOWER;

mark(DIGITS, DIGIT);
mark(UPPER + LOWER, LETTER);
mark(DIGITS + 'ABCDEFabcdef', HEX);
mark(ALNUM + '._%+-', EMAIL_LOCAL);
mark(ALNUM + '.-', DOMAIN);
mark(ALNUM + '_-.', JWT_CHAR);
mark(ALNUM + '_.-', KEY_CHAR);
mark(ALNUM + '-._~+/', TOKEN_CHAR);

/** Whether the character code `c` is in every class of `flags`. */
export function is(c: number, flags: number): boolean {
  return c < 128 && (TABLE[c]! & flags) === flags;
}

/** Whether `c` is an ASCII letter or digit. */
export function isAlnum(c: number): boolean {
  return c < 128 && (TABLE[c]! & (DIGIT | LETTER)) !== 0;
}

/** Whether `c` is an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether `c` is an ASCII letter. */
export function isLetter(c: number): boolean {
  return c < 128 && (TABLE[c]! & LETTER) !== 0;
}

/** Whether `c` is an ASCII upper-case letter. */
export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** Whether `c` is white space (space, tab, CR, LF, FF, VT). */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Whether the character at `i` is a letter or digit (false outside the text). */
export function alnumAt(text: string, i: number): boolean {
  return i >= 0 && i < text.length && isAlnum(text.charCodeAt(i));
}
