import type { CorpusRecord, Planted } from './leak-corpus';

/** Decodes every valid %XX escape (invalid ones stay), repeatedly, as a reader of the log could. */
export function urlDecode(text: string): string {
  let current = text;
  for (let round = 0; round < 3; round++) {
    const next = current.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The digits of every number-like run of the text (digits joined by spaces, dashes, dots, parentheses, '+'). */
function digitRuns(text: string): string[] {
  return (text.match(/[0-9][0-9 ()+.\-]*/g) ?? []).map((run) => run.replace(/[^0-9]/g, ''));
}

/** How a planted value was found in an output, or undefined if it was not. */
export type LeakForm = 'verbatim' | 'case-folded' | 'url-decoded' | 'digits-only';

/** A planted value that reached the output. */
export interface Leak {
  readonly planted: Planted;
  readonly form: LeakForm;
}

/**
 * Looks for each planted value in `output`: verbatim, case-folded, after URL decoding and, for numbers,
 * digits only (so `4111-1111-1111-1111` re-printed as `4111111111111111` still counts).
 */
export function findLeaks(output: string, planted: readonly Planted[]): Leak[] {
  const lower = output.toLowerCase();
  const decoded = urlDecode(output);
  const decodedLower = urlDecode(output.replace(/\+/g, ' ')).toLowerCase();
  let runs: string[] | undefined;
  const leaks: Leak[] = [];
  for (const p of planted) {
    const value = p.value;
    const valueLower = value.toLowerCase();
    if (output.includes(value)) leaks.push({ planted: p, form: 'verbatim' });
    else if (lower.includes(valueLower)) leaks.push({ planted: p, form: 'case-folded' });
    else if (decoded.includes(value) || decodedLower.includes(valueLower)) leaks.push({ planted: p, form: 'url-decoded' });
    else if (p.numeric) {
      const digits = value.replace(/[^0-9]/g, '');
      runs ??= [...digitRuns(output), ...digitRuns(decoded)];
      if (digits.length >= 7 && runs.some((run) => run.includes(digits))) leaks.push({ planted: p, form: 'digits-only' });
    }
  }
  return leaks;
}

/** The hard negatives that do not appear unchanged in `output`. */
export function changedNegatives(output: string, negatives: readonly string[]): string[] {
  return negatives.filter((n) => !output.includes(n));
}

/** A readable form of a redacted value for leak checks: JSON, with Maps and Sets spelled out. */
export function serialize(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return { map: [...v.entries()] };
    if (v instanceof Set) return { set: [...v.values()] };
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

/** One row of {@link leaksByType}: how many values of a type were planted and how many reached the output. */
export interface TypeLeaks {
  readonly type: string;
  readonly planted: number;
  readonly leaked: number;
}

/**
 * Redacts every record and counts planted and leaked values per type (the planted value's `type`, or its
 * category), sorted by type.
 *
 * @param records - a corpus (e.g. `generateHeldOut(seed, count)`)
 * @param redact - the redaction to score
 */
export function leaksByType(records: readonly CorpusRecord[], redact: (value: unknown) => unknown): TypeLeaks[] {
  const rows = new Map<string, { planted: number; leaked: number }>();
  for (const record of records) {
    const leaked = new Set(findLeaks(serialize(redact(record.value)), record.planted).map((leak) => leak.planted));
    for (const p of record.planted) {
      const type = p.type ?? p.category;
      const row = rows.get(type) ?? { planted: 0, leaked: 0 };
      row.planted++;
      if (leaked.has(p)) row.leaked++;
      rows.set(type, row);
    }
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, row]) => ({ type, ...row }));
}
