import { createHmac } from 'node:crypto';
import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import { isPrivacyKitError } from '../errors/privacy-kit.error';
import type { FieldCipher } from '../crypto/field-cipher';
import { createPseudonymizer, deriveKey, type Pseudonymizer } from '../pseudonym/pseudonymizer';
import type { CopyTableSpec } from './copy-contracts';
import type { CopyPlan, CopyPlanColumn, CopyPlanTable } from './copy-plan';
import { Fakes, subjectText, type PreparedBytes, type TextFakeStrategy } from './fakes';

/** Options of {@link createCopyTransformer}. */
export interface CopyTransformerOptions {
  /** The copy secret (at least 32 bytes): keys every fake. Not the app's secret: a copy has its own. */
  readonly secret: string | Buffer;
  /**
   * Scrubs free text (the CLI passes `@privacy-kit/redact`'s text redactor): every `scrub` column goes through it. A
   * JSON value (a json column, or a sealed field holding an object) is scrubbed as its JSON text, and a json column
   * receives that text (checked to still parse).
   */
  readonly scrub: (text: string) => string;
  /** The source app's field cipher: opens the sealed (`encrypt: true`) fields before they are transformed. */
  readonly cipher?: FieldCipher;
  /**
   * The app's pseudonym key (`deriveKey(appSecret, 'pseudonym')`): needed when the mapping's `cipherSubject` is
   * 'pseudonym' (the default) and a sealed field is copied, to find the subject its data key belongs to.
   */
  readonly pseudonymKey?: string | Buffer;
}

/** Transforms the rows of one table. */
export interface CopyTableTransformer {
  /** What the target creates for the table. */
  readonly spec: CopyTableSpec;
  /**
   * The rows transformed: each row's values in SOURCE column order in, in the spec's column order out. Null stays
   * null. Errors name the table, column and 1-based row of the batch, never a value.
   */
  transform(rows: readonly (readonly unknown[])[]): Promise<unknown[][]>;
}

/** The transformation of a whole copy. */
export interface CopyTransformer {
  /** A fingerprint of the copy key (not a secret): the same secret gives the same id, for the audit record. */
  readonly keyId: string;
  /** The transformer of one table of the plan. */
  table(name: string): CopyTableTransformer;
}

const OPTION_KEYS = defineOptionKeys<CopyTransformerOptions>({ secret: true, scrub: true, cipher: true, pseudonymKey: true });
const WHERE = 'createCopyTransformer()';
const SUBJECT_CACHE_MAX = 8192;

/**
 * The id of a copy key: a fingerprint that reveals nothing about the secret.
 *
 * @param secret - the copy secret
 */
export function copyKeyId(secret: string | Buffer): string {
  return `copy-${createHmac('sha256', deriveKey(secret, 'pseudonymize')).update('privacy-kit copy key id').digest('base64url').slice(0, 16)}`;
}

/** A column's transformation of one value; `index` is the row's position in its batch (for work done by `prepare`). */
type ColumnFn = ((value: unknown, row: readonly unknown[], index: number) => unknown) & {
  /** Work done once per batch before its rows (e.g. every integer of the column permuted together). */
  prepare?: (rows: readonly (readonly unknown[])[]) => void;
};

interface CompiledColumn {
  readonly plan: CopyPlanColumn;
  readonly fn: ColumnFn;
}

function scrubber(scrub: (text: string) => string, json: boolean): ColumnFn {
  return (value) => {
    if (Buffer.isBuffer(value)) throw coreError('PK_COPY', 'holds bytes; scrub reads text only.');
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const out = scrub(text);
    if (typeof out !== 'string') throw coreError('PK_COPY', `the scrub function returned ${typeof out}, not text.`);
    if (json) {
      try {
        JSON.parse(out);
      } catch {
        throw coreError('PK_COPY', 'scrubbing left text that is no longer JSON; choose another strategy for this column.');
      }
    }
    return out;
  };
}

function columnFn(column: CopyPlanColumn, table: CopyPlanTable, fakes: Fakes, scrub: (text: string) => string): ColumnFn {
  const { strategy, affinity } = column;
  switch (strategy) {
    case 'keep':
      return column.sealed ? (value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value) : (value) => value;
    case 'nullify':
      return () => null;
    case 'pseudonym': {
      // Integers of a batch are permuted together (prepare), the rest one by one.
      let batch: Map<unknown, unknown> | undefined;
      let keyed: PreparedBytes | undefined;
      const fn: ColumnFn = (value, _row, index) => batch?.get(value) ?? fakes.pseudonym(value, affinity, keyed?.at(index));
      return Object.assign(fn, {
        prepare(rows: readonly (readonly unknown[])[]): void {
          const values = rows.map((row) => row[column.source]);
          batch = fakes.pseudonymIntegers(values, affinity);
          keyed = affinity === 'integer' ? undefined : fakes.preparePseudonyms(values);
        },
      });
    }
    case 'birthDate': {
      const at = table.subject?.source ?? -1;
      const days = column.shiftDays ?? 0;
      let keyed: PreparedBytes | undefined;
      const fn: ColumnFn = (value, row, index) => fakes.birthDate(value, days, at < 0 ? undefined : row[at], keyed?.at(index));
      return Object.assign(fn, {
        prepare(rows: readonly (readonly unknown[])[]): void {
          keyed = fakes.prepareShifts(rows.map((row) => row[column.source]), days, at < 0 ? undefined : rows.map((row) => row[at]));
        },
      });
    }
    case 'birthYear':
      return (value) => fakes.birthYear(value);
    case 'scrub':
      return scrubber(scrub, affinity === 'json' && !column.sealed);
    default: {
      const fake: TextFakeStrategy = strategy;
      let keyed: PreparedBytes | undefined;
      const fn: ColumnFn = (value, _row, index) => fakes.text(fake, typeof value === 'object' && value !== null ? JSON.stringify(value) : value, keyed?.at(index));
      return Object.assign(fn, {
        prepare(rows: readonly (readonly unknown[])[]): void {
          keyed = fakes.prepareTexts(fake, rows.map((row) => row[column.source]));
        },
      });
    }
  }
}

/** The error of one value: table, column and row, and what is wrong, never the value. */
function valueError(table: string, column: string, row: number, error: unknown): Error {
  const where = `${WHERE}: ${table}.${column}, row ${row} of the batch`;
  if (isPrivacyKitError(error)) return coreError(error.code, `${where}: ${error.problem}`, { cause: error });
  // A foreign error (the scrub function's) may quote the value: only its kind is kept.
  return coreError('PK_COPY', `${where}: the transformation failed (${error instanceof Error ? error.name : typeof error}).`);
}

/**
 * Compiles a plan into the transformation of each table's rows. Sealed fields are opened first with the source's
 * field cipher (a clear-text value in a sealed column is an error, never passed through), then transformed like the
 * others, so no cipher text and no source key reaches the target.
 *
 * @param plan - from `planCopy()`
 * @param options - the copy secret, the scrub function, and for sealed fields the cipher and the pseudonym key
 * @throws PrivacyKitError when a sealed field has no cipher, or needs the pseudonym key and has none
 * @example
 * const transformer = createCopyTransformer(plan, { secret: copySecret, scrub: createRedactor().text, cipher, pseudonymKey });
 * const rows = await transformer.table('users').transform(batch.rows);
 */
export function createCopyTransformer(plan: CopyPlan, options: CopyTransformerOptions): CopyTransformer {
  if (typeof options !== 'object' || options === null) throw coreError('PK_INVALID_OPTION', `${WHERE}: needs { secret, scrub }.`);
  rejectUnknownOptions(options, OPTION_KEYS, WHERE, coreError);
  if (typeof options.scrub !== 'function') throw coreError('PK_INVALID_OPTION', `${WHERE}: 'scrub' must be a function (text) => text, e.g. createRedactor().text from @privacy-kit/redact.`);
  const fakes = new Fakes(options.secret);
  const keyId = copyKeyId(options.secret);
  const sealed = plan.tables.flatMap((t) => t.columns.filter((c) => c.sealed).map((c) => `${t.spec.name}.${c.name}`));
  if (sealed.length > 0 && options.cipher === undefined) {
    throw coreError('PK_INVALID_OPTION', `${WHERE}: ${sealed.join(', ')} hold fields sealed with encrypt: true; pass the source app's field cipher ({ cipher }) to open them.`);
  }
  let subjectOf: Pseudonymizer | undefined;
  if (sealed.length > 0 && plan.cipherSubject === 'pseudonym') {
    if (options.pseudonymKey === undefined) {
      throw coreError('PK_INVALID_OPTION', `${WHERE}: ${sealed.join(', ')} are sealed under the subject's pseudonym (cipherSubject 'pseudonym'); pass { pseudonymKey: deriveKey(appSecret, 'pseudonym') }.`);
    }
    subjectOf = createPseudonymizer(options.pseudonymKey);
  }
  const subjects = new Map<string, string>();
  const cipherSubject = (value: unknown): string => {
    const text = subjectText(value);
    if (subjectOf === undefined) return text;
    let known = subjects.get(text);
    if (known === undefined) {
      if (subjects.size >= SUBJECT_CACHE_MAX) subjects.clear();
      subjects.set(text, (known = subjectOf(text)));
    }
    return known;
  };

  const tables = new Map<string, CopyTableTransformer>();
  for (const table of plan.tables) {
    const name = table.spec.name;
    const columns: CompiledColumn[] = table.columns.map((column) => ({ plan: column, fn: columnFn(column, table, fakes, options.scrub) }));
    const anySealed = columns.some((c) => c.plan.sealed);
    const subjectAt = table.subject?.source ?? -1;

    const open = async (column: CopyPlanColumn, value: unknown, row: readonly unknown[]): Promise<unknown> => {
      const subject = subjectAt < 0 ? undefined : row[subjectAt];
      if (subject === null || subject === undefined) throw coreError('PK_COPY', `holds a sealed value but the row's subject (${table.subject?.name ?? 'none'}) is null: its key cannot be found.`);
      return (options.cipher as FieldCipher).openValue(table.model as Function, column.field as string, cipherSubject(subject), value);
    };

    const transformSync = (rows: readonly (readonly unknown[])[]): unknown[][] => {
      for (const column of columns) column.fn.prepare?.(rows);
      const out: unknown[][] = new Array<unknown[]>(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as readonly unknown[];
        const values = new Array<unknown>(columns.length);
        for (let c = 0; c < columns.length; c++) {
          const column = columns[c] as CompiledColumn;
          const value = row[column.plan.source];
          if (value === null || value === undefined) {
            values[c] = null;
            continue;
          }
          try {
            values[c] = column.fn(value, row, r);
          } catch (error) {
            throw valueError(name, column.plan.name, r + 1, error);
          }
        }
        out[r] = values;
      }
      return out;
    };

    // Sealed values are opened first (each awaits its data key), then the batch is transformed like any other.
    const sealedColumns = columns.filter((c) => c.plan.sealed);
    const transformSealed = async (rows: readonly (readonly unknown[])[]): Promise<unknown[][]> => {
      const opened: (readonly unknown[])[] = new Array<readonly unknown[]>(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as readonly unknown[];
        let copy: unknown[] | undefined;
        for (const column of sealedColumns) {
          const value = row[column.plan.source];
          if (value === null || value === undefined) continue;
          try {
            (copy ??= [...row])[column.plan.source] = await open(column.plan, value, row);
          } catch (error) {
            throw valueError(name, column.plan.name, r + 1, error);
          }
        }
        opened[r] = copy ?? row;
      }
      return transformSync(opened);
    };

    tables.set(name, {
      spec: table.spec,
      transform: anySealed ? transformSealed : (rows) => {
        try {
          return Promise.resolve(transformSync(rows));
        } catch (error) {
          return Promise.reject(error);
        }
      },
    });
  }

  return {
    keyId,
    table(name) {
      const table = tables.get(name);
      if (table === undefined) throw coreError('PK_COPY', `${WHERE}: the plan has no table '${name}' (tables: ${[...tables.keys()].join(', ')}).`);
      return table;
    },
  };
}
