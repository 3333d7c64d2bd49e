import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import { PrivacyKitError } from '../errors/privacy-kit.error';
import type { PersonalFieldDeclaration } from '../metadata/declarations';
import { getPersonalFields } from '../metadata/readers';
import type { CopyColumnRule, CopyMapping, CopyStrategy, CopyTableRule } from './copy-mapping';
import { COPY_STRATEGIES, defaultStrategyOf } from './copy-strategies';
import { didYouMean } from './suggest-name';

const MAPPING_KEYS = defineOptionKeys<CopyMapping>({ tables: true, cipherSubject: true });
const TABLE_KEYS = defineOptionKeys<CopyTableRule>({ model: true, subject: true, columns: true, skip: true });
const COLUMN_KEYS = defineOptionKeys<CopyColumnRule>({ field: true, strategy: true, reason: true, shiftDays: true });

const WHERE = 'definePseudonymization()';

/** A column's rule with the shorthand expanded. */
export function columnRuleOf(spec: unknown): CopyColumnRule {
  return typeof spec === 'string' ? { field: spec } : (spec as CopyColumnRule);
}

/** Collects the unknown keys of an object as one problem (with the closest known key), instead of throwing. */
function unknownKeys(value: object, known: readonly string[], where: string, problems: string[]): void {
  try {
    rejectUnknownOptions(value, known, where, (code, problem) => new PrivacyKitError(code, problem));
  } catch (error) {
    problems.push((error as PrivacyKitError).problem);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function checkColumn(table: string, column: string, spec: unknown, rule: CopyTableRule, fields: ReadonlyMap<string, PersonalFieldDeclaration> | undefined, problems: string[]): void {
  const where = `table '${table}', column '${column}'`;
  if (typeof spec !== 'string' && !isObject(spec)) {
    problems.push(`${where}: give a field name or { field, strategy, reason, shiftDays }; got ${describeValue(spec)}.`);
    return;
  }
  if (typeof spec === 'object') unknownKeys(spec, COLUMN_KEYS, `${where}`, problems);
  const { field, strategy, reason, shiftDays } = columnRuleOf(spec);
  if (field === undefined && strategy === undefined) {
    problems.push(`${where}: name the field it stores ({ field }) or a strategy ({ strategy: 'keep', reason } ...).`);
  }
  let declaration: PersonalFieldDeclaration | undefined;
  if (field !== undefined) {
    if (typeof field !== 'string' || field === '') {
      problems.push(`${where}: 'field' must be the name of a @PersonalData field; got ${describeValue(field)}.`);
    } else if (rule.model === undefined) {
      problems.push(`${where} names field '${field}' but the table has no model: add { model: TheClass } to table '${table}'.`);
    } else if (fields !== undefined) {
      declaration = fields.get(field);
      if (declaration === undefined) {
        problems.push(
          `${where}: '${field}' is not a @PersonalData field of ${rule.model.name}.` +
            `${didYouMean(field, [...fields.keys()])} Its personal fields: ${[...fields.keys()].join(', ')}.`,
        );
      }
    }
  }
  if (strategy !== undefined && !COPY_STRATEGIES.includes(strategy)) {
    const hint = typeof strategy === 'string' ? didYouMean(strategy, COPY_STRATEGIES) : '';
    problems.push(`${where}: unknown strategy '${String(strategy)}'.${hint} Strategies: ${COPY_STRATEGIES.join(', ')}.`);
  }
  if (strategy === 'keep' && (typeof reason !== 'string' || reason.trim() === '')) {
    problems.push(`${where}: 'keep' copies the values as they are; say why with { strategy: 'keep', reason: '...' }.`);
  }
  if (reason !== undefined && typeof reason !== 'string') problems.push(`${where}: 'reason' must be text; got ${describeValue(reason)}.`);
  if (shiftDays !== undefined) {
    const effective: CopyStrategy | undefined = strategy ?? (declaration === undefined ? undefined : defaultStrategyOf(declaration.categories));
    if (typeof shiftDays !== 'number' || !Number.isSafeInteger(shiftDays) || shiftDays < 1) {
      problems.push(`${where}: 'shiftDays' must be a positive whole number of days; got ${typeof shiftDays === 'number' ? String(shiftDays) : describeValue(shiftDays)}.`);
    } else if (effective !== 'birthDate') {
      problems.push(`${where}: 'shiftDays' applies to the 'birthDate' strategy only (this column's is ${effective === undefined ? 'not birthDate' : `'${effective}'`}).`);
    }
  }
}

function checkTable(table: string, rule: unknown, problems: string[]): void {
  if (!isObject(rule)) {
    problems.push(`table '${table}': give { model, subject, columns } or { skip: 'reason' }; got ${describeValue(rule)}.`);
    return;
  }
  unknownKeys(rule, TABLE_KEYS, `table '${table}'`, problems);
  const { model, subject, columns, skip } = rule as CopyTableRule;
  if (skip !== undefined) {
    if (typeof skip !== 'string' || skip.trim() === '') problems.push(`table '${table}': 'skip' takes the reason the table is not copied; got ${describeValue(skip)}.`);
    if (columns !== undefined) problems.push(`table '${table}' is skipped (not copied at all) and also lists columns: remove one of the two.`);
    return;
  }
  if (columns === undefined) {
    problems.push(`table '${table}': list its columns ({ columns: { ... } }) or skip it ({ skip: 'reason' }).`);
    return;
  }
  if (!isObject(columns)) {
    problems.push(`table '${table}': 'columns' must be an object of column rules; got ${describeValue(columns)}.`);
    return;
  }
  let fields: Map<string, PersonalFieldDeclaration> | undefined;
  if (model !== undefined) {
    if (typeof model !== 'function') {
      problems.push(`table '${table}': 'model' must be a @PersonalData class; got ${describeValue(model)}.`);
    } else {
      fields = new Map(getPersonalFields(model).map((f) => [f.property, f]));
      if (fields.size === 0) {
        problems.push(`table '${table}': model ${model.name || '(anonymous class)'} has no @PersonalData fields; annotate them, or give the right class.`);
        fields = undefined;
      }
    }
  }
  if (subject !== undefined && (typeof subject !== 'string' || !Object.hasOwn(columns, subject))) {
    const hint = typeof subject === 'string' ? didYouMean(subject, Object.keys(columns)) : '';
    problems.push(
      `table '${table}': subject '${String(subject)}' is not one of the table's columns.` +
        `${hint} Columns: ${Object.keys(columns).join(', ')}.`,
    );
  }
  const sealed: string[] = [];
  for (const [column, spec] of Object.entries(columns)) {
    checkColumn(table, column, spec, rule, fields, problems);
    const field = isObject(spec) || typeof spec === 'string' ? columnRuleOf(spec).field : undefined;
    if (field !== undefined && fields?.get(field)?.encrypt === true) sealed.push(column);
  }
  if (sealed.length > 0 && subject === undefined) {
    problems.push(`table '${table}': ${sealed.join(', ')} hold${sealed.length === 1 ? 's' : ''} a field sealed with encrypt: true; name the column of the data subject whose key opens it ({ subject: 'id' }).`);
  }
}

/**
 * Declares the mapping of a pseudonymized copy and checks it against the annotations, before any database is seen:
 * unknown keys, models without `@PersonalData` fields, fields a model does not have (with the closest one), unknown
 * strategies, `keep` without a reason, `skip` with columns, `shiftDays` off `birthDate`, a `subject` that is not a
 * column, a sealed field without a subject. Every problem is reported at once, one per line.
 *
 * @param mapping - the tables of the app's database, tied to its `@PersonalData` classes
 * @returns the same mapping
 * @throws PrivacyKitError PK_COPY_MAPPING listing every problem
 * @example
 * export default definePseudonymization({
 *   tables: {
 *     users: { model: User, subject: 'id', columns: { id: { strategy: 'pseudonym' }, email: 'email', plan: { strategy: 'keep', reason: 'not personal' } } },
 *     sessions: { skip: 'short-lived, recreated on login' },
 *   },
 * });
 */
export function definePseudonymization(mapping: CopyMapping): CopyMapping {
  if (!isObject(mapping)) {
    throw coreError('PK_COPY_MAPPING', `${WHERE}: takes { tables: { <table>: { model, subject, columns } } }; got ${describeValue(mapping)}.`);
  }
  const problems: string[] = [];
  unknownKeys(mapping, MAPPING_KEYS, WHERE, problems);
  const { tables, cipherSubject } = mapping;
  if (cipherSubject !== undefined && cipherSubject !== 'pseudonym' && cipherSubject !== 'value') {
    problems.push(`'cipherSubject' must be 'pseudonym' (the default) or 'value'; got ${JSON.stringify(cipherSubject) ?? 'undefined'}.`);
  }
  if (!isObject(tables)) {
    problems.push(`'tables' must be an object with one rule per table of the database; got ${describeValue(tables)}.`);
  } else {
    for (const [table, rule] of Object.entries(tables)) checkTable(table, rule, problems);
  }
  if (problems.length > 0) {
    const s = problems.length === 1 ? '' : 's';
    throw coreError('PK_COPY_MAPPING', `${WHERE}: ${problems.length} problem${s} in the mapping:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { details: problems });
  }
  return mapping;
}
