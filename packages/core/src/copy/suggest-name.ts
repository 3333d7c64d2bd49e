import { closest } from '../vocabulary/suggest';

/**
 * The name a mistyped one most likely meant: a near spelling, or a name it abbreviates or lengthens
 * ('customer' for 'customer_id').
 *
 * @param word - the unknown name
 * @param candidates - the known names
 */
export function suggestName(word: string, candidates: readonly string[]): string | undefined {
  const near = closest(word, candidates);
  if (near !== undefined || word.length < 3) return near;
  const lower = word.toLowerCase();
  return candidates.find((c) => c.toLowerCase().startsWith(lower)) ?? candidates.find((c) => c.length >= 3 && lower.startsWith(c.toLowerCase()));
}

/** " Did you mean 'x'?" or ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hint = suggestName(word, candidates);
  return hint === undefined ? '' : ` Did you mean '${hint}'?`;
}
