/**
 * Whether the digits of `value` (other characters are ignored) pass the Luhn checksum of payment cards.
 *
 * @param value - e.g. '4111 1111 1111 1111'
 * @example
 * isLuhnValid('4111-1111-1111-1111'); // true
 * isLuhnValid('4111-1111-1111-1112'); // false
 */
export function isLuhnValid(value: string): boolean {
  let sum = 0;
  let double = false;
  let count = 0;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
    count++;
  }
  return count > 1 && sum % 10 === 0;
}
