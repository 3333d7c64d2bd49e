import { coreError } from '../errors/core.error';
import type { PersonalFieldDeclaration } from '../metadata/declarations';
import { getPersonalFields } from '../metadata/readers';
import type { CopyColumn, CopyColumnAffinity, CopyTableSchema, CopyTableSpec } from './copy-contracts';
import type { CopyMapping, CopyStrategy } from './copy-mapping';
import { DEFAULT_SHIFT_DAYS, affinitiesOf, defaultStrategyOf } from './copy-strategies';
import { columnRuleOf, definePseudonymization } from './define-copy-mapping';
import { didYouMean } from './suggest-name';

/** How one kept column of a table is copied. */
export interface CopyPlanColumn {
  readonly name: string;
  /** Its index in the source's rows. */
  readonly source: number;
  readonly affinity: CopyColumnAffinity;
  readonly strategy: Exclude<CopyStrategy, 'drop'>;
  /** The `@PersonalData` field it stores, if any. */
  readonly field?: string;
  /** The field's categories (empty without a field). */
  readonly categories: readonly string[];
  /** The field is sealed at rest (`encrypt: true`): opened before it is transformed. */
  readonly sealed: boolean;
  /** Why it is kept or has its strategy, as the mapping says. */
  readonly reason?: string;
  /** `birthDate`: the most a date moves, in days. */
  readonly shiftDays?: number;
}

/** How one table is copied. */
export interface CopyPlanTable {
  /** What the target creates: the kept columns in source order, the dropped ones. */
  readonly spec: CopyTableSpec;
  /** The `@PersonalData` class its rows hold, if any (sealed fields open against it). */
  readonly model?: Function;
  /** The column naming each row's data subject, and its index in the source's rows. */
  readonly subject?: { readonly name: string; readonly source: number };
  /** Every column of the source table, in its order (a resume checks the source has not changed). */
  readonly sourceColumns: readonly string[];
  /** The source column indexes to read, in the spec's order. */
  readonly read: readonly number[];
  /** The kept columns, in the spec's order. */
  readonly columns: readonly CopyPlanColumn[];
}

/** A mapping tied to a live schema: what {@link planCopy} returns and the copy runs. */
export interface CopyPlan {
  /** The tables copied, in the order the database lists them. */
  readonly tables: readonly CopyPlanTable[];
  /** Tables not copied at all, with the reason. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  /** How the field cipher's subject derives from a row's subject value. */
  readonly cipherSubject: 'pseudonym' | 'value';
}

const WHERE = 'planCopy()';

function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

interface ColumnContext {
  readonly table: string;
  readonly column: CopyColumn;
  readonly index: number;
  readonly fields: ReadonlyMap<string, PersonalFieldDeclaration>;
}

/** The plan of one mapped column, or undefined after pushing its problems. */
function planColumn(ctx: ColumnContext, spec: unknown, problems: string[]): CopyPlanColumn | 'drop' | undefined {
  const { table, column } = ctx;
  const rule = columnRuleOf(spec);
  const where = `${table}.${column.name}`;
  const declaration = rule.field === undefined ? undefined : ctx.fields.get(rule.field);
  const categories = declaration?.categories ?? [];
  const strategy = rule.strategy ?? defaultStrategyOf(categories);
  if (strategy === undefined) {
    problems.push(
      `${where} stores field '${rule.field ?? ''}' (${categories.join(', ')}), a category with no default strategy: ` +
        `choose one with { field: '${rule.field ?? ''}', strategy: ... } (e.g. 'nullify', 'drop', 'shape', 'scrub', or 'keep' with a reason).`,
    );
    return undefined;
  }
  if (strategy === 'drop') return 'drop';
  const sealed = declaration?.encrypt === true;
  const fits = affinitiesOf(strategy);
  if (sealed) {
    // A sealed column holds envelopes (text); the strategy applies to the opened value.
    if (column.affinity !== 'text') problems.push(`${where} holds the sealed field '${rule.field ?? ''}' but its type is ${column.type} (${column.affinity}); envelopes are text.`);
  } else if (fits !== undefined && !fits.includes(column.affinity)) {
    const blob = column.affinity === 'blob' && strategy === 'scrub' ? ' (scrub reads text, not bytes)' : '';
    problems.push(`${where}: strategy '${strategy}' cannot write a ${column.type} column (${column.affinity})${blob}; it fits ${fits.join(', ')} columns. Choose another with { strategy }.`);
  }
  if (strategy === 'nullify' && column.notNull) {
    problems.push(`${where} is NOT NULL: 'nullify' cannot write NULL there; choose another strategy, or 'drop' it if nothing needs it.`);
  }
  return {
    name: column.name,
    source: ctx.index,
    affinity: column.affinity,
    strategy,
    ...(rule.field === undefined ? {} : { field: rule.field }),
    categories,
    sealed,
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
    ...(strategy === 'birthDate' ? { shiftDays: rule.shiftDays ?? DEFAULT_SHIFT_DAYS } : {}),
  };
}

/**
 * Ties a mapping to the live schema of a source database, before anything is written. Fails closed: a table or
 * column of the mapping the database lacks is an error naming it (with the closest name), and every table of the
 * database not in the mapping and every column neither mapped nor kept is listed in ONE error as `table.column`, so
 * schema drift never leaks. A field's strategy comes from its category unless the rule gives one; categories with
 * no default, strategies that cannot write the column's type, and `nullify` on NOT NULL columns are errors too.
 *
 * @param mapping - the app's mapping (checked with {@link definePseudonymization} again)
 * @param tables - the source's tables, as `CopySource.tables()` lists them
 * @throws PrivacyKitError PK_COPY_MAPPING listing every problem
 * @example
 * const plan = planCopy(mapping, await source.tables());
 * console.log(describePlan(plan));
 */
export function planCopy(mapping: CopyMapping, tables: readonly CopyTableSchema[]): CopyPlan {
  definePseudonymization(mapping);
  const problems: string[] = [];
  const unmapped: string[] = [];
  const names = tables.map((t) => t.name);
  for (const table of Object.keys(mapping.tables)) {
    if (!names.includes(table)) {
      problems.push(`the mapping names table '${table}', which the database does not have.${didYouMean(table, names)} Tables: ${quoteList(names)}.`);
    }
  }
  const planned: CopyPlanTable[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const table of tables) {
    const rule = Object.hasOwn(mapping.tables, table.name) ? mapping.tables[table.name] : undefined;
    if (rule === undefined) {
      for (const column of table.columns) unmapped.push(`${table.name}.${column.name}`);
      continue;
    }
    if (rule.skip !== undefined) {
      skipped.push({ name: table.name, reason: rule.skip });
      continue;
    }
    const rules = rule.columns ?? {};
    const columnNames = table.columns.map((c) => c.name);
    for (const column of Object.keys(rules)) {
      if (!columnNames.includes(column)) {
        problems.push(`the mapping names column '${table.name}.${column}', which the database does not have.${didYouMean(column, columnNames)} Columns of ${table.name}: ${quoteList(columnNames)}.`);
      }
    }
    const fields = new Map(rule.model === undefined ? [] : getPersonalFields(rule.model).map((f) => [f.property, f] as const));
    const kept: CopyPlanColumn[] = [];
    const dropped: string[] = [];
    table.columns.forEach((column, index) => {
      if (!Object.hasOwn(rules, column.name)) {
        unmapped.push(`${table.name}.${column.name}`);
        return;
      }
      const planned = planColumn({ table: table.name, column, index, fields }, rules[column.name], problems);
      if (planned === 'drop') dropped.push(column.name);
      else if (planned !== undefined) kept.push(planned);
    });
    const subjectIndex = rule.subject === undefined ? -1 : columnNames.indexOf(rule.subject);
    planned.push({
      spec: { name: table.name, columns: kept.map((c) => c.name), dropped },
      ...(rule.model === undefined ? {} : { model: rule.model }),
      ...(rule.subject === undefined || subjectIndex < 0 ? {} : { subject: { name: rule.subject, source: subjectIndex } }),
      sourceColumns: columnNames,
      read: kept.map((c) => c.source),
      columns: kept,
    });
  }
  if (unmapped.length > 0) {
    problems.unshift(
      `${unmapped.length} column${unmapped.length === 1 ? ' is' : 's are'} neither mapped nor kept; nothing is copied until each is ` +
        `(a field, a strategy, or { strategy: 'keep', reason }; a table not to copy gets { skip: 'reason' }): ${unmapped.join(', ')}.`,
    );
  }
  if (problems.length > 0) {
    const s = problems.length === 1 ? '' : 's';
    throw coreError('PK_COPY_MAPPING', `${WHERE}: ${problems.length} problem${s} between the mapping and the database:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      details: [...problems, ...unmapped.map((c) => `unmapped: ${c}`)],
    });
  }
  return { tables: planned, skipped, cipherSubject: mapping.cipherSubject ?? 'pseudonym' };
}

/**
 * A plain, printable summary of a plan (table → column → strategy or reason), for a dry run.
 *
 * @param plan - from {@link planCopy}
 * @example
 * console.log(describePlan(planCopy(mapping, await source.tables())));
 */
export function describePlan(plan: CopyPlan): string {
  const lines: string[] = [];
  for (const table of plan.tables) {
    lines.push(`${table.spec.name}${table.subject === undefined ? '' : ` (subject: ${table.subject.name})`}`);
    for (const column of table.columns) {
      const field = column.field === undefined ? '' : ` ← ${column.field}${column.categories.length > 0 ? ` [${column.categories.join(', ')}]` : ''}`;
      const sealed = column.sealed ? ', opened then transformed' : '';
      const shift = column.shiftDays === undefined ? '' : ` ±${column.shiftDays} days`;
      const reason = column.reason === undefined ? '' : ` (${column.reason})`;
      lines.push(`  ${column.name}: ${column.strategy}${shift}${sealed}${field}${reason}`);
    }
    for (const column of table.spec.dropped) lines.push(`  ${column}: drop (not in the copy)`);
  }
  for (const table of plan.skipped) lines.push(`${table.name}: skipped (${table.reason})`);
  return lines.join('\n');
}
