import { luhnInvalidId } from './personal-values';
import type { Prng } from './prng';

/**
 * Values that look like personal data to a careless detector but are not, and must reach the logs unchanged:
 * UUIDs, timestamps, dates, versions, Luhn-invalid ids, hashes, trace ids, prices, ports, counts.
 */

export function uuid(rng: Prng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${rng.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function isoTimestamp(rng: Prng): string {
  const base = `${rng.int(2019, 2026)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}T${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  return rng.pick([`${base}.${pad(rng.int(0, 999), 3)}Z`, `${base}Z`, `${base}+01:00`, `${base}.${pad(rng.int(0, 999999), 6)}-05:00`]);
}

export function date(rng: Prng): string {
  const y = rng.int(2019, 2026);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return rng.pick([`${y}-${pad(m)}-${pad(d)}`, `${pad(d)}/${pad(m)}/${y}`, `${pad(d)}.${pad(m)}.${y}`]);
}

export function version(rng: Prng): string {
  return rng.pick([
    `v${rng.int(0, 9)}.${rng.int(0, 20)}.${rng.int(0, 40)}`,
    `${rng.int(1, 30)}.${rng.int(0, 20)}.${rng.int(0, 99)}`,
    `node/${rng.int(18, 22)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
    `Chrome/${rng.int(100, 130)}.0.${rng.int(1000, 6999)}.${rng.int(10, 199)}`,
    `10.0.${rng.int(17000, 26000)}.${rng.int(1000, 4000)}`,
    `${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}-rc.${rng.int(1, 9)}`,
  ]);
}

export function hexHash(rng: Prng): string {
  return rng.hex(rng.pick([32, 40, 64]));
}

export function traceId(rng: Prng): string {
  return rng.pick([`00-${rng.hex(32)}-${rng.hex(16)}-01`, rng.hex(32), rng.hex(16), rng.hex(24)]);
}

export function price(rng: Prng): string {
  const units = rng.int(1, 9999);
  const cents = pad(rng.int(0, 99));
  return rng.pick([`$${units.toLocaleString('en-US')}.${cents}`, `€${units}.${cents}`, `EUR ${units},${cents}`, `${units}.${cents}`, `£${units}.${cents}`]);
}

export function port(rng: Prng): string {
  return rng.pick([`:${rng.pick([80, 443, 3000, 5432, 6379, 8080, 9200])}`, `localhost:${rng.int(1024, 65535)}`, `port ${rng.int(1024, 65535)}`]);
}

export function count(rng: Prng): string {
  return rng.pick([String(rng.int(0, 99999)), rng.int(1000, 9_999_999).toLocaleString('en-US'), `${rng.int(1, 999)} items`, `${rng.int(0, 100)}.${rng.int(0, 9)}%`]);
}

export function duration(rng: Prng): string {
  return rng.pick([`${rng.int(0, 999)}.${rng.int(0, 9)}ms`, `${rng.int(1, 59)}s`, `00:0${rng.int(0, 9)}:${pad(rng.int(0, 59))}.${pad(rng.int(0, 999), 3)}`]);
}

export function epochMillis(rng: Prng): string {
  return String(1_600_000_000_000 + rng.int(0, 199_999_999) * 1000 + rng.int(0, 999));
}

export function orderId(rng: Prng): string {
  return rng.pick([`ORD-${rng.int(2019, 2026)}-${pad(rng.int(0, 999999), 6)}`, luhnInvalidId(rng), `INV${rng.digits(8)}`, `#${rng.int(10000, 99999)}`]);
}

/** One hard negative of a random kind. */
export function hardNegative(rng: Prng): string {
  return rng.pick([uuid, isoTimestamp, date, version, hexHash, traceId, price, port, count, duration, epochMillis, orderId, luhnInvalidId])(rng);
}
