import { isSyntheticValue, type CopyTarget } from '@privacy-kit/core';

/** Values of one column that the redaction engine's detectors take for personal data. Never the values themselves. */
export interface ScanFinding {
  readonly table: string;
  readonly column: string;
  /** What was found, as the detector names it: 'email', 'phone', 'iban'… */
  readonly label: string;
  /** How many times. */
  readonly count: number;
}

/** Between two values of a batch: a blank line, which no detector's match spans. */
const SEPARATOR = '\n\n';

/** Options of {@link scanCopy}. */
export interface ScanOptions {
  /** Values read per batch. */
  readonly batchSize: number;
}

/**
 * Scans every text value of a finished copy with the free-text detectors of @privacy-kit/redact (the same engine
 * that redacts logs) and reports what looks personal: a column the mapping kept that holds e-mail addresses, free
 * text a detector finds something in, a value that survived. The copy's own fakes are recognised (`isSyntheticValue`:
 * reserved e-mail domains, phone ranges for fiction, test card ranges, the fake IBAN banks, documentation IP ranges)
 * and not reported. Constant memory: one batch of values at a time; findings are counted per column and kind.
 *
 * @param target - the copy, finished
 * @param options - the batch size
 */
export async function scanCopy(target: CopyTarget, options: ScanOptions): Promise<ScanFinding[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the redaction engine loads only for a copy
  const { createRedactor } = require('@privacy-kit/redact') as typeof import('@privacy-kit/redact');
  const counts = new Map<string, { table: string; column: string; label: string; count: number }>();
  let where = { table: '', column: '' };
  const detector = createRedactor({
    keys: false,
    classAware: false,
    maxStringLength: Number.MAX_SAFE_INTEGER,
    replacement: (match) => {
      if (!isSyntheticValue(match.label, match.value)) {
        const key = `${where.table}\u0000${where.column}\u0000${match.label}`;
        const found = counts.get(key);
        if (found === undefined) counts.set(key, { ...where, label: match.label, count: 1 });
        else found.count++;
      }
      return '';
    },
  });
  for await (const batch of target.scanText({ batchSize: options.batchSize })) {
    where = { table: batch.table, column: batch.column };
    // One scan per batch of a column, its values a blank line apart: the detectors' own cost per call (profiling the
    // text, trying each detector) is paid once per batch, not once per value, and no detector reads across a blank line.
    detector.text(batch.values.join(SEPARATOR));
  }
  return [...counts.values()].sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column) || a.label.localeCompare(b.label));
}
