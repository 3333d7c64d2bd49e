/** Where a command writes, and what it knows about the terminal. */
export interface CliOutput {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Standard output is a terminal (tables are fitted to its width, the default map format is a table). */
  readonly isTTY: boolean;
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
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
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

function cut(text: string, width: number): string {
  const plain = text.replace(ANSI, '');
  if (plain.length <= width) return text;
  return `${plain.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Formats rows as an aligned plain-text table with a header rule. On a terminal of known width, the widest
 * columns are shortened (with '…') so that a row fits on one line; elsewhere nothing is cut.
 *
 * @param head - column titles
 * @param rows - cells (may contain ANSI styles)
 * @param maxWidth - the terminal width, if any
 */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[], maxWidth?: number): string {
  const widths = head.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const gap = 2;
  if (maxWidth !== undefined && maxWidth > 20) {
    const total = (): number => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    while (total() > maxWidth) {
      const widest = widths.indexOf(Math.max(...widths));
      if ((widths[widest] ?? 0) <= 8) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => {
      const width = widths[i] ?? 0;
      const text = cut(c, width);
      return i === cells.length - 1 ? text : text + ' '.repeat(Math.max(0, width - visibleLength(text)));
    }).join(' '.repeat(gap)).trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap)), ...rows.map(line)].join('\n');
}
