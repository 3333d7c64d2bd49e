import type { PrivacyKitError } from '@privacy-kit/core';
import { redactError } from '../redact.error';

/** One step of a redaction path. */
export type PathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'globstar' };

function invalidPath(path: string, position: number, problem: string): PrivacyKitError {
  return redactError(
    'PK_INVALID_OPTION',
    `invalid path ${JSON.stringify(path)} at position ${position}: ${problem}. ` +
      "Write paths like 'user.password', 'headers[\"x-api-key\"]', 'users[*].token', '*.secret' or '**.password'.",
  );
}

function plainSegment(path: string, raw: string, position: number): PathSegment {
  if (raw === '') throw invalidPath(path, position, 'empty segment');
  if (raw === '*') return { kind: 'star' };
  if (raw === '**') return { kind: 'globstar' };
  if (raw.includes('*')) throw invalidPath(path, position, `'*' must be a whole segment (partial wildcards such as '${raw}' are not supported)`);
  return { kind: 'key', key: raw };
}

/**
 * Parses a redaction path: dot-separated keys, `[0]` indexes, `["any key"]` quoted keys, `*` for any one key
 * or index at any position, `**` for any number of levels (`**.password`).
 *
 * @param path - e.g. 'req.headers["x-api-key"]'
 * @throws PrivacyKitError PK_INVALID_OPTION naming the position of the problem
 * @example
 * parsePath('users[*].token'); // [{kind:'key',key:'users'}, {kind:'star'}, {kind:'key',key:'token'}]
 */
export function parsePath(path: string): readonly PathSegment[] {
  if (typeof path !== 'string' || path === '') throw invalidPath(String(path), 0, 'a path must be a non-empty string');
  const segments: PathSegment[] = [];
  let i = 0;
  let expectSegment = true;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '[') {
      const close = parseBracket(path, i, segments);
      i = close + 1;
      expectSegment = false;
      if (i < path.length && path[i] !== '.' && path[i] !== '[') throw invalidPath(path, i, "expected '.' or '[' after ']'");
      if (path[i] === '.') {
        i++;
        expectSegment = true;
        if (i === path.length) throw invalidPath(path, i, 'empty segment');
      }
      continue;
    }
    if (!expectSegment) throw invalidPath(path, i, "expected '.' or '['");
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') {
      if (path[end] === ']') throw invalidPath(path, end, "unexpected ']'");
      end++;
    }
    segments.push(plainSegment(path, path.slice(i, end), i));
    i = end;
    expectSegment = false;
    if (path[i] === '.') {
      i++;
      expectSegment = true;
      if (i === path.length) throw invalidPath(path, i, 'empty segment');
    }
  }
  return segments;
}

function parseBracket(path: string, open: number, segments: PathSegment[]): number {
  const quote = path[open + 1];
  if (quote === '"' || quote === "'") {
    let key = '';
    let i = open + 2;
    while (i < path.length && path[i] !== quote) {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      key += path[i];
      i++;
    }
    if (i >= path.length) throw invalidPath(path, open, 'unclosed quote in brackets');
    if (path[i + 1] !== ']') throw invalidPath(path, i + 1, "expected ']' after the quoted key");
    segments.push({ kind: 'key', key });
    return i + 1;
  }
  const close = path.indexOf(']', open);
  if (close === -1) throw invalidPath(path, open, "unclosed '['");
  const inner = path.slice(open + 1, close);
  if (inner === '*') segments.push({ kind: 'star' });
  else if (/^\d+$/.test(inner)) segments.push({ kind: 'key', key: String(Number(inner)) });
  else throw invalidPath(path, open, `brackets hold an index, '*' or a quoted key; got '[${inner}]'`);
  return close;
}
