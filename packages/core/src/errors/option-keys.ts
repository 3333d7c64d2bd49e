import { closest } from '../vocabulary/suggest';
import type { PrivacyKitError } from './privacy-kit.error';
import type { PrivacyKitErrorCode } from './error-codes';

/** Every key of an options type, each exactly once: a key the type lacks, or one left out, fails to compile. */
export type OptionKeyTable<T> = { readonly [K in keyof Required<T>]-?: true };

/**
 * The known keys of an options type, as a list checked against the type at compile time: add an option to the
 * interface and forget it here, and the build fails.
 *
 * @param table - `{ key: true }` for every key of `T`
 * @example
 * const SQLITE_STORE_OPTION_KEYS = defineOptionKeys<SqliteStoreOptions>({ filename: true, auditKey: true, busyTimeoutMs: true });
 */
export function defineOptionKeys<T>(table: OptionKeyTable<T>): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(table)) as readonly (keyof T & string)[];
}

/**
 * The known key a mistyped one most likely meant: an alias, a near spelling, a key it abbreviates ('file' for
 * 'filename'), or a key it lengthens ('allowList' for 'allow').
 */
function suggestKey(key: string, known: readonly string[], aliases: Readonly<Record<string, string>>): string | undefined {
  if (Object.hasOwn(aliases, key)) return aliases[key];
  const near = closest(key, known);
  if (near !== undefined || key.length < 3) return near;
  const lower = key.toLowerCase();
  return (
    known.find((candidate) => candidate.toLowerCase().startsWith(lower)) ??
    known.find((candidate) => candidate.toLowerCase().includes(lower)) ??
    known.find((candidate) => candidate.length >= 3 && lower.startsWith(candidate.toLowerCase()))
  );
}

/**
 * Refuses options with keys that are not in `known`, naming each unknown key with the closest known one
 * ("Did you mean 'filename'?") and listing every known key.
 *
 * @param options - the options object as given (already checked to be an object)
 * @param known - from {@link defineOptionKeys}
 * @param where - who takes the options, e.g. 'createSqliteStore()' or "privacy({ jwt })"
 * @param error - the package's error factory (see `packageErrors`)
 * @param aliases - names people pass for a known key that no spelling rule finds, e.g. `{ url: 'connectionString' }`
 */
export function rejectUnknownOptions(
  options: object,
  known: readonly string[],
  where: string,
  error: (code: PrivacyKitErrorCode, problem: string) => PrivacyKitError,
  aliases: Readonly<Record<string, string>> = {},
): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const list = `Known options: ${known.join(', ')}.`;
  if (unknown.length === 1) {
    const key = unknown[0] as string;
    const hint = suggestKey(key, known, aliases);
    throw error('PK_INVALID_OPTION', `${where}: unknown option '${key}'.${hint === undefined ? '' : ` Did you mean '${hint}'?`} ${list}`);
  }
  const named = unknown.map((key) => {
    const hint = suggestKey(key, known, aliases);
    return hint === undefined ? `'${key}'` : `'${key}' (did you mean '${hint}'?)`;
  });
  throw error('PK_INVALID_OPTION', `${where}: unknown options ${named.join(', ')}. ${list}`);
}
