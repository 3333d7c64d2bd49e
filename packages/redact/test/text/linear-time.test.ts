import { createRedactor } from '@privacy-kit/redact';

/**
 * No catastrophic backtracking: for each adversarial near-miss input, doubling its size must roughly double
 * the time (a quadratic scanner would quadruple it). Each timing repeats the call for at least 25 ms and keeps
 * the fastest of several trials, so that a loaded machine does not make the test flaky.
 */
const redact = createRedactor({ maxStringLength: 1 << 22, maxTotalText: 1 << 23 });

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function timePerCall(input: string): number {
  let best = Infinity;
  for (let trial = 0; trial < 3; trial++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      redact.text(input);
      calls++;
      elapsed = Number(process.hrtime.bigint() - start);
    } while (elapsed < 30e6);
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

const N = 200 * 1000;

const inputs: readonly (readonly [string, (size: number) => string])[] = [
  ['email: a@a@a@…', (n) => fill('a@', n)],
  ['email: a.a.a.… then @', (n) => fill('a.', n - 1) + '@'],
  ['email: a long local part then @', (n) => 'a'.repeat(n - 12) + '@example.com'],
  ['email: @ then a long domain without a TLD', (n) => 'x@' + fill('a-', n - 2)],
  ['email: percent-encoded @ everywhere', (n) => fill('a%40', n)],
  ['card: 4111 4111 4111 …', (n) => fill('4111 ', n)],
  ['card: 1-1-1-1-…', (n) => fill('1-', n)],
  ['card: one long digit run', (n) => '4'.repeat(n)],
  ['card: near-miss groups 4111 1111 1111 111', (n) => fill('4111 1111 1111 111 ', n)],
  ['iban: DE89 DE89 …', (n) => fill('DE89 ', n)],
  ['iban: letters then a long digit run', (n) => 'DE89' + '0'.repeat(n - 4)],
  ['ipv4: 1.1.1.1.1.…', (n) => fill('1.', n)],
  ['ipv4: 255.255.255.256 …', (n) => fill('255.255.255.256 ', n)],
  ['ipv6: 1:1:1:…', (n) => fill('1:', n)],
  ['ipv6: ::::…', (n) => ':'.repeat(n)],
  ['ipv6: a::a::a::…', (n) => fill('a::', n)],
  ['jwt: eyJeyJeyJ…', (n) => fill('eyJ', n)],
  ['jwt: eyJa.eyJa.…', (n) => fill('eyJa.', n)],
  ['jwt: valid-looking header repeated', (n) => fill('eyJhbGciOiJIUzI1NiJ9.', n)],
  ['ssn: 123-45-123-45-…', (n) => fill('123-45-', n)],
  ['nino: AB123456 AB123456 …', (n) => fill('AB123456 ', n)],
  ['nino: AB 12 34 56 …', (n) => fill('AB 12 34 56 ', n)],
  ['phone: +1 +1 +1 …', (n) => fill('+1 ', n)],
  ['phone: (1(1(1…', (n) => fill('(1', n)],
  ['phone: 0 0 0 0 …', (n) => fill('0 ', n)],
  ['phone: +44 20 +44 20 …', (n) => fill('+44 20 ', n)],
  ['phone: 201-555-201-555-…', (n) => fill('201-555-', n)],
  ['numeric candidates: 12345 then 4 spaces …', (n) => fill('12345    ', n)],
  ['numeric candidates: 1.2.3 then a letter …', (n) => fill('1.2.3x', n)],
  ['numeric candidates: 1 - 2 - then a letter …', (n) => fill('1 - 2 - x', n)],
  ['numeric candidates: 12(((1 …', (n) => fill('12(((1 ', n)],
  ['bearer: Bearer Bearer …', (n) => fill('Bearer ', n)],
  ['bearer: Bearer then a long token', (n) => 'Bearer ' + 'a'.repeat(n - 7)],
  ['bearer: Basic then long base64', (n) => 'Basic ' + fill('YWJj', n - 6)],
  ['keyValue: password=password=…', (n) => fill('password=', n)],
  ['keyValue: a=a=a=…', (n) => fill('a=', n)],
  ['keyValue: password:" password:" …', (n) => fill('password:"', n)],
  ['keyValue: "a":"a":…', (n) => fill('"a":', n)],
  ['keyValue: a long key then =', (n) => 'k'.repeat(n - 1) + '='],
  ['keyValue: Cookie: a=1; a=1; …', (n) => 'Cookie: ' + fill('a=1; ', n - 8)],
  ['percent: %4%4%4…', (n) => fill('%4', n)],
  ['percent: %2540%2540…', (n) => fill('%2540', n)],
  ['percent: +=+=+=…', (n) => fill('+=', n)],
  ['email: international letters then @ without a domain', (n) => fill('josé@', n)],
  ['email: apostrophes and letters of another script', (n) => fill("用户'a", n - 12) + '@example.com'],
  ['card: dotted near-miss groups 4111.1111.1111.111', (n) => fill('4111.1111.1111.111 ', n)],
  ['card: slashed groups 4111/4111/4111/…', (n) => fill('4111/', n)],
  ['phone: 00 00 00 …', (n) => fill('00 ', n)],
  ['phone: +44 (0)+44 (0)…', (n) => fill('+44 (0)', n)],
  ['ipv4Numeric: ip 3405803856 ip 3405803856 …', (n) => fill('ip 3405803856 ', n)],
  ['ipv4Numeric: 0x0x0x…', (n) => fill('0x', n)],
  ['ipv4Numeric: 0xCB.0xCB.0xCB.…', (n) => fill('0xCB.', n)],
  ['ipv4Numeric: 0313.0313.0313.…', (n) => fill('0313.', n)],
  ['mac: aa:aa:aa:…', (n) => fill('aa:', n)],
  ['mac: aabb.aabb.aabb.…', (n) => fill('aabb.', n)],
  ['coordinates: 48.8566, 48.8566, …', (n) => fill('48.8566, ', n)],
  ['coordinates: 48°51°51°…', (n) => fill("48°51'", n)],
  ['dateOfBirth: born born born …', (n) => fill('born ', n)],
  ['dateOfBirth: dob: 12/03/ dob: 12/03/ …', (n) => fill('dob: 12/03/', n)],
  ['dateOfBirth: dates without a telling word', (n) => fill('at 12.03.1984 ', n)],
  ['dateOfBirth: born 12, 1984 born 12, 1984 …', (n) => fill('born 12, 1984 ', n)],
  ['postalAddress: address: address: …', (n) => fill('address: ', n)],
  ['postalAddress: address: then a long line', (n) => 'address: ' + fill('12 Elm ', n - 9)],
  ['postalAddress: ship to: a b c …', (n) => fill('ship to: a b c=', n)],
  ['mixed: digits, dots, colons, at signs', (n) => fill('1.2:3@4-5 ', n)],
];

describe('linear-time scanning (no catastrophic backtracking)', () => {
  it.each(inputs)('doubling %s roughly doubles the time', (_name, make) => {
    const small = make(N);
    const large = make(2 * N);
    timePerCall(small);
    // Noise (other processes, a garbage collection) only ever inflates a ratio: keep the best of five.
    let ratio = Infinity;
    for (let attempt = 0; attempt < 5 && ratio >= 3.5; attempt++) ratio = Math.min(ratio, timePerCall(large) / timePerCall(small));
    expect(ratio).toBeLessThan(3.5);
  });
});
