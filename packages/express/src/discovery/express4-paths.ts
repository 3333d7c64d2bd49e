/**
 * Express 4 keeps only the compiled regexp of a `use()` mount (path-to-regexp 0.1), not the path as written.
 * This turns the regexps it generates back into paths: '/api/:version', '/files/*', one per alternative of an
 * array of paths. A regexp it did not generate (the app mounted a RegExp) comes back as 'regexp:<source>'.
 */

const OPTIONAL_SEGMENT_PARAM = /\(\?:\\\/\(\[\^\\?\/\]\+\?\)\)(\?)?/;
const PARAM = /\(\?:\(\[\^\\?\/\]\+\?\)\)(\?)?/;
const STAR = /\(\.\*\)/;
const SPECIAL = /[()[\]|^$*+?{}]/;

/** Splits alternatives at the top level ('|' outside groups and classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

function one(alternative: string, keys: { name: string | number; optional?: boolean }[]): string | undefined {
  let s = alternative
    .replace(/^\^/, '')
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    .replace(/\(\?=\\\/\|\$\)$/, '')
    .replace(/\\\/\?\$$/, '')
    .replace(/\$$/, '');
  const pieces: string[] = [];
  const hold = (text: string): string => {
    pieces.push(text);
    return `\u0000${pieces.length - 1}\u0000`;
  };
  for (;;) {
    const optional = OPTIONAL_SEGMENT_PARAM.exec(s);
    const param = PARAM.exec(s);
    const star = STAR.exec(s);
    const next = [optional, param, star].filter((m): m is RegExpExecArray => m !== null).sort((a, b) => a.index - b.index)[0];
    if (next === undefined) break;
    const key = keys.shift();
    let text: string;
    if (next === star) text = '*';
    else {
      const name = typeof key?.name === 'string' ? key.name : `param${String(key?.name ?? '')}`;
      text = `${next === optional ? '/' : ''}:${name}${next[1] === '?' ? '?' : ''}`;
    }
    s = s.slice(0, next.index) + hold(text) + s.slice(next.index + next[0].length);
  }
  if (SPECIAL.test(s.replace(/\\./g, ''))) return undefined;
  const path = s.replace(/\\(.)/g, '$1').replace(/\u0000(\d+)\u0000/g, (_, i: string) => pieces[Number(i)] ?? '');
  return path.startsWith('/') || path === '' ? path : undefined;
}

/**
 * The paths an Express 4 mount regexp stands for.
 *
 * @param regexp - `layer.regexp`
 * @param keys - `layer.keys`, the parameter names in order
 * @example
 * express4Paths(/^\/api(?:\/([^/]+?))\/?(?=\/|$)/i, [{ name: 'version' }]); // ['/api/:version']
 */
export function express4Paths(regexp: RegExp, keys: readonly { name: string | number; optional?: boolean }[]): string[] {
  const queue = [...keys];
  const paths = alternatives(regexp.source).map((alt) => one(alt, queue));
  if (paths.some((p) => p === undefined)) return [`regexp:${regexp.source}`];
  return paths as string[];
}
