import { coreError } from '../errors/core.error';

/** A parsed retention period such as '30d' or '2y'. */
export interface Retention {
  /** As written, for people: '30d'. */
  readonly text: string;
  readonly amount: number;
  readonly unit: 'hour' | 'day' | 'week' | 'month' | 'year';
}

const UNITS: Record<string, Retention['unit']> = {
  h: 'hour', d: 'day', w: 'week', m: 'month', mo: 'month', y: 'year',
};
const SHORT = /^(\d{1,5})\s*(h|d|w|mo|m|y)$/;
const ISO = /^P(?:(\d{1,5})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,5})D)?$/;

/**
 * Parses a retention period: `'12h'`, `'30d'`, `'6w'`, `'6m'`/`'6mo'` (months), `'2y'`, or a simple ISO 8601
 * duration with one component (`'P30D'`, `'P2Y'`).
 *
 * @param text - the period as declared
 * @param where - who declared it, for the error message
 * @example
 * parseRetention('30d', 'route GET /me').amount; // 30
 */
export function parseRetention(text: unknown, where: string): Retention {
  if (typeof text === 'string') {
    const trimmed = text.trim();
    const short = SHORT.exec(trimmed);
    if (short !== null && Number(short[1]) > 0) {
      return { text: trimmed, amount: Number(short[1]), unit: UNITS[short[2] as string] as Retention['unit'] };
    }
    const iso = ISO.exec(trimmed);
    if (iso !== null) {
      const parts = [
        [iso[1], 'year'],
        [iso[2], 'month'],
        [iso[3], 'week'],
        [iso[4], 'day'],
      ].filter(([n]) => n !== undefined) as [string, Retention['unit']][];
      const only = parts[0];
      if (parts.length === 1 && only !== undefined && Number(only[0]) > 0) {
        return { text: trimmed, amount: Number(only[0]), unit: only[1] };
      }
    }
  }
  throw coreError(
    'PK_INVALID_RETENTION',
    `${where}: retention ${JSON.stringify(text)} is not a period. ` +
      `Write a positive whole number and a unit: '12h', '30d', '6w', '6m' (months), '2y', or ISO 8601 such as 'P30D'.`,
  );
}
