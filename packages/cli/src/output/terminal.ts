/** Where a command writes, and what it knows about the terminal. */
export interface CliOutput {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Standard output is a terminal (tables are fitted to its width, the default map format is a table). */
  readonly isTTY: boolean;
  /** Standard error is a terminal (progress bars are drawn there); unknown counts as not. */
  readonly errIsTTY?: boolean;
  /** Width of the terminal, when known. */
  readonly columns: number | undefined;
  /** Colour is on: a terminal, and NO_COLOR not set (FORCE_COLOR forces it on elsewhere). */
  readonly color: boolean;
}

/**
 * Whether to colour output: never when NO_COLOR is set to a non-empty value (https://no-color.org), always when
 * FORCE_COLOR is set to anything but '0' or 'false', otherwise only on a terminal that is not 'dumb'.
 *
 * @param isTTY - standard output is a terminal
 * @param env - the environment
 */
export function shouldColor(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY && env.TERM !== 'dumb';
}

/** ANSI styles that do nothing when colour is off. */
export interface Styles {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** The styles of an output. */
export function stylesFor(color: boolean): Styles {
  const wrap = (open: number, close: number) => (text: string): string => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** The printed width of a string (ANSI codes excluded). */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Columns are cut to this width before any column to keep is cut, and all of them before any goes below it. */
const SOFT_MIN_CELL_WIDTH = 8;
/** The shortest a cell is cut to on a narrow terminal: one character and the ellipsis. */
const MIN_CELL_WIDTH = 2;
const LEADING_ANSI = /^(?:\u001b\[[0-9;]*m)+/;
const TRAILING_ANSI = /(?:\u001b\[[0-9;]*m)+$/;

/** Cuts a cell to `width` printed characters with '…', keeping the style that wraps it. */
function cut(text: string, width: number): string {
  const plain = text.replace(ANSI, '');
  if (plain.length <= width) return text;
  const shortened = `${plain.slice(0, Math.max(0, width - 1))}…`;
  return `${LEADING_ANSI.exec(text)?.[0] ?? ''}${shortened}${TRAILING_ANSI.exec(text)?.[0] ?? ''}`;
}

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Columns cut only once every other column is as short as it gets (e.g. the method and path of a route). */
  readonly keep?: readonly number[];
}

/**
 * Shrinks column widths until the row fits `maxWidth`, the widest column a character at a time (so narrow columns
 * stay whole): first the columns not in `keep`, down to 8; then all, down to 8; then all, down to 2; then the gaps
 * shrink to one space. Returns the gap.
 */
function fitWidths(widths: number[], maxWidth: number, keep: ReadonlySet<number>): number {
  const total = (gap: number): number => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const shrink = (gap: number, floor: number, allowed: (column: number) => boolean): void => {
    while (total(gap) > maxWidth) {
      let widest = -1;
      widths.forEach((w, i) => {
        if (allowed(i) && w > floor && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
      });
      if (widest < 0) return;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  shrink(2, SOFT_MIN_CELL_WIDTH, (i) => !keep.has(i));
  shrink(2, SOFT_MIN_CELL_WIDTH, () => true);
  shrink(2, MIN_CELL_WIDTH, () => true);
  if (total(2) <= maxWidth) return 2;
  shrink(1, MIN_CELL_WIDTH, () => true);
  return 1;
}

/**
 * Formats rows as an aligned plain-text table with a header rule. On a terminal of known width, cells are cut
 * (with '…', keeping their colour) so that every line fits: the widest columns first, the `keep` columns last.
 * Elsewhere (a pipe, a file) nothing is cut.
 *
 * @param head - column titles
 * @param rows - cells (may contain ANSI styles)
 * @param maxWidth - the terminal width, if any
 * @param options - columns to keep whole as long as possible
 * @example
 * formatTable(['METHOD', 'PATH'], [['GET', '/me']], process.stdout.columns, { keep: [0, 1] });
 */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[], maxWidth?: number, options: TableOptions = {}): string {
  const widths = head.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const gap = maxWidth !== undefined && maxWidth > 0 ? fitWidths(widths, maxWidth, new Set(options.keep ?? [])) : 2;
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => {
      const width = widths[i] ?? 0;
      const text = cut(c, width);
      return i === cells.length - 1 ? text : text + ' '.repeat(Math.max(0, width - visibleLength(text)));
    }).join(' '.repeat(gap)).trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap)), ...rows.map(line)].join('\n');
}

/**
 * Wraps prose at spaces so that no line is wider than `width` (a word longer than that stays whole, on its own
 * line); without a width, returns the text as is.
 *
 * @param text - one paragraph (no newlines)
 * @param width - the terminal width, if known
 */
export function wrapText(text: string, width: number | undefined): string {
  if (width === undefined || width <= 0 || visibleLength(text) <= width) return text;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && visibleLength(current) + 1 + visibleLength(word) > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  lines.push(current);
  return lines.join('\n');
}
