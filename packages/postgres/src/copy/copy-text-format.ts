import { StringDecoder } from 'node:string_decoder';

/**
 * PostgreSQL's COPY text format (the default of `COPY ... TO STDOUT` / `FROM STDIN`): one row a line ending in
 * `\n`, values separated by tabs, `\N` for NULL, and backslash escapes inside values (`\\`, `\t`, `\n`, `\r`,
 * `\b`, `\f`, `\v`, `\ooo` octal and `\xhh` hex bytes). See the PostgreSQL documentation, "COPY", "Text Format".
 * A raw newline or tab never occurs inside a value, and UTF-8 never has those bytes inside a character, so rows and
 * values split on them without looking at escapes.
 */

const NULL_MARKER = '\\N';
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const ESCAPE_OF: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value of the text format without its escapes; octal and hex escapes are bytes, decoded as UTF-8 together. */
export function unescapeCopyText(field: string): string {
  if (!field.includes('\\')) return field;
  let out = '';
  let bytes: number[] | undefined;
  const flush = (): void => {
    if (bytes !== undefined) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = undefined;
    }
  };
  for (let i = 0; i < field.length; i++) {
    const c = field[i] as string;
    if (c !== '\\' || i + 1 === field.length) {
      flush();
      out += c;
      continue;
    }
    const next = field[i + 1] as string;
    if (next >= '0' && next <= '7') {
      let j = i + 1;
      let value = 0;
      while (j < field.length && j < i + 4 && (field[j] as string) >= '0' && (field[j] as string) <= '7') value = value * 8 + Number(field[j++]);
      (bytes ??= []).push(value & 0xff);
      i = j - 1;
      continue;
    }
    if (next === 'x' && /^[0-9A-Fa-f]/.test(field[i + 2] ?? '')) {
      const hex = /^[0-9A-Fa-f]{1,2}/.exec(field.slice(i + 2, i + 4))?.[0] ?? '';
      (bytes ??= []).push(parseInt(hex, 16));
      i += 1 + hex.length;
      continue;
    }
    flush();
    out += SIMPLE_ESCAPES[next] ?? next;
    i++;
  }
  flush();
  return out;
}

/**
 * Parses the text format as it streams in, chunk by chunk (chunks cut rows and characters anywhere): whole rows come
 * out as arrays of strings and nulls; a partial row waits for the next chunk.
 */
export class CopyTextParser {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /**
   * @param columns - how many values each row has; a row with another count is a protocol error
   */
  constructor(private readonly columns: number) {}

  /** Adds a chunk and returns the rows it completed. */
  push(chunk: Buffer): (string | null)[][] {
    const text = this.rest + this.decoder.write(chunk);
    const rows: (string | null)[][] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      rows.push(this.row(text.slice(start, end)));
      start = end + 1;
    }
    this.rest = text.slice(start);
    return rows;
  }

  /** Checks that the stream ended on a row boundary. */
  end(): void {
    const rest = this.rest + this.decoder.end();
    if (rest !== '') throw new Error(`COPY output ended inside a row (${rest.length} characters after the last newline)`);
  }

  private row(line: string): (string | null)[] {
    const fields = line.split('\t');
    if (fields.length !== this.columns) throw new Error(`COPY output has a row of ${fields.length} values where ${this.columns} were expected`);
    const row: (string | null)[] = new Array<string | null>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      row[i] = field === NULL_MARKER ? null : unescapeCopyText(field);
    }
    return row;
  }
}

/** A string as a value of the text format. */
export function escapeCopyText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPE_OF[c] as string) : value;
}

/**
 * A JavaScript value as a value of the text format: null and undefined are `\N`, strings are escaped, numbers and
 * bigints are their decimal text, booleans `t`/`f`, Buffers and byte arrays bytea hex (`\\x…`), Dates ISO 8601,
 * other objects and arrays their JSON (for json columns).
 */
export function encodeCopyValue(value: unknown): string {
  if (value === null || value === undefined) return NULL_MARKER;
  switch (typeof value) {
    case 'string':
      return escapeCopyText(value);
    case 'number':
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    default:
      break;
  }
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return escapeCopyText(JSON.stringify(value));
}

/** One row as a line of the text format. */
export function encodeCopyRow(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + encodeCopyValue(row[i]);
  return `${line}\n`;
}
