import { definePersonalData } from '@privacy-kit/core';
import * as neg from './hard-negatives';
import * as pii from './personal-values';
import { Prng } from './prng';

/** A personal value planted in a record, with the category it belongs to. */
export interface Planted {
  readonly value: string;
  readonly category: string;
  /** Also checked digits-only: reformatting must not let it through (cards, phones, SSNs, IBANs). */
  readonly numeric: boolean;
  /** The kind and form reported by `leaksByType` (defaults to the category), e.g. 'phone (DE)'. */
  readonly type?: string;
}

/** The shapes of records the corpus produces. */
export type RecordShape =
  | 'access-line'
  | 'key-value'
  | 'json-in-string'
  | 'stack-trace'
  | 'url-query'
  | 'csv'
  | 'headers'
  | 'prose'
  | 'nested-object'
  | 'class-instance'
  | 'free-text-forms';

/** One log record: what is logged, and what was planted in it. */
export interface CorpusRecord {
  readonly id: number;
  readonly shape: RecordShape;
  /** A message string, or an object (metadata) for the object shapes. */
  readonly value: unknown;
  readonly planted: readonly Planted[];
  /** Values that must reach the log unchanged. */
  readonly negatives: readonly string[];
}

/** A class with `@PersonalData` fields declared through the function twin (no decorator setup needed). */
export class CustomerProfile {
  constructor(
    readonly id: string,
    readonly contactPoint: string,
    readonly displayLabel: string,
    readonly reachAt: string,
    readonly segment: string,
  ) {}
}
definePersonalData(CustomerProfile, 'contactPoint', { category: 'user.contact.email' });
definePersonalData(CustomerProfile, 'displayLabel', { category: 'user.name' });
definePersonalData(CustomerProfile, 'reachAt', { category: 'user.contact.phone_number' });

class Builder {
  readonly planted: Planted[] = [];
  readonly negatives: string[] = [];
  constructor(readonly rng: Prng) {}

  plant(value: string, category: string, numeric = false): string {
    this.planted.push({ value, category, numeric });
    return value;
  }

  email(): string {
    return this.plant(pii.email(this.rng), 'user.contact.email');
  }
  card(): string {
    return this.plant(pii.card(this.rng), 'user.financial.credit_card', true);
  }
  iban(): string {
    return this.plant(pii.iban(this.rng), 'user.financial.bank_account', true);
  }
  ipv4(): string {
    return this.plant(pii.ipv4(this.rng), 'user.device.ip_address');
  }
  ipv6(): string {
    return this.plant(pii.ipv6(this.rng), 'user.device.ip_address');
  }
  jwt(): string {
    return this.plant(pii.jwt(this.rng), 'user.authorization.credentials');
  }
  ssn(): string {
    return this.plant(pii.ssn(this.rng), 'user.government_id.national_identification_number', true);
  }
  nino(): string {
    return this.plant(pii.nino(this.rng), 'user.government_id.national_identification_number');
  }
  phone(): string {
    return this.plant(pii.phone(this.rng), 'user.contact.phone_number', true);
  }
  bearer(): string {
    return this.plant(pii.bearerToken(this.rng), 'user.authorization.credentials');
  }
  password(): string {
    return this.plant(pii.password(this.rng), 'user.authorization.credentials');
  }
  apiKey(): string {
    return this.plant(pii.apiKey(this.rng), 'user.authorization.credentials');
  }
  session(): string {
    return this.plant(pii.sessionId(this.rng), 'user.device.cookie_id');
  }
  dob(): string {
    return this.plant(pii.dateOfBirth(this.rng), 'user.demographic.date_of_birth');
  }
  street(): string {
    return this.plant(pii.street(this.rng), 'user.contact.address');
  }
  firstName(): string {
    return this.plant(pii.personName(this.rng).first, 'user.name');
  }
  lastName(): string {
    return this.plant(pii.personName(this.rng).last, 'user.name');
  }
  /** Any one personal value (for the free-text shapes). */
  any(): string {
    return this.rng.pick([
      () => this.email(),
      () => this.card(),
      () => this.iban(),
      () => this.ipv4(),
      () => this.ipv6(),
      () => this.jwt(),
      () => this.ssn(),
      () => this.nino(),
      () => this.phone(),
    ])();
  }

  keep<T extends string>(value: T): T {
    this.negatives.push(value);
    return value;
  }
  negative(): string {
    return this.keep(neg.hardNegative(this.rng));
  }
}

const SHAPES: readonly RecordShape[] = ['access-line', 'key-value', 'json-in-string', 'stack-trace', 'url-query', 'csv', 'headers', 'prose', 'nested-object', 'class-instance', 'free-text-forms'];

const DOB_WORDS = ['born', 'dob:', 'date of birth', 'né le', 'geboren am', 'fecha de nacimiento:'];
const ADDRESS_WORDS = ['address:', 'ship to:', 'shipping address:', 'adresse :', 'Anschrift:', 'dirección:'];

/** The tuning forms of the generality kinds: one line of each, with hard negatives next to them. */
function freeTextForms(b: Builder): string {
  const rng = b.rng;
  const ip = b.plant(pii.numericIpv4(rng), 'user.device.ip_address');
  const ipLine = /^\d+$/.test(ip) ? rng.pick([`http://${ip}/login`, `ip ${ip}`, `client=${ip}`]) : `host=${ip}`;
  const postal = pii.postalLines(rng);
  return [
    `mail from ${b.plant(pii.internationalEmail(rng), 'user.contact.email')} size=${b.keep(String(rng.int(1_000_000_000, 4_294_967_295)))}`,
    `charged ${b.plant(pii.groupedCard(rng), 'user.financial.credit_card', true)} ${b.keep(neg.price(rng))}`,
    `call ${b.plant(pii.internationalPhone(rng), 'user.contact.phone_number', true)} at ${b.keep(neg.epochMillis(rng))}`,
    `${ipLine} took ${b.keep(neg.duration(rng))}`,
    `device ${b.plant(pii.mac(rng), 'user.device.device_id')} fw ${b.keep(neg.version(rng))} at ${b.keep(`${rng.int(10, 23)}:${rng.int(10, 59)}:${rng.int(10, 59)}`)}`,
    `location ${b.plant(pii.coordinatePair(rng), 'user.location.precise')} versions ${b.keep(`${rng.int(1, 9)}.${rng.int(0, 9)}, ${rng.int(1, 9)}.${rng.int(0, 9)}`)}`,
    `${rng.pick(DOB_WORDS)} ${b.plant(pii.birthDate(rng), 'user.demographic.date_of_birth')} (signed up ${b.keep(neg.date(rng))})`,
    `${rng.pick(ADDRESS_WORDS)} ${b.plant(postal.street, 'user.contact.address')}, ${b.plant(postal.town, 'user.contact.address')}`,
    `job ${b.keep(neg.uuid(rng))} id ${b.keep(String(rng.int(1_000_000_000, 9_999_999_999)))} sha ${b.keep(neg.hexHash(rng))}`,
  ].join('\n');
}

function build(shape: RecordShape, b: Builder): unknown {
  const rng = b.rng;
  switch (shape) {
    case 'access-line': {
      const ip = rng.chance(0.7) ? b.ipv4() : b.ipv6();
      const mail = b.email();
      const query = rng.chance(0.5) ? encodeURIComponent(mail) : mail;
      return `${ip} - - [15/Jan/2024:10:30:00 +0000] "GET /api/v1/users/${b.keep(neg.uuid(rng))}?email=${query}&ref=${b.keep(neg.orderId(rng))} HTTP/1.1" 200 ${b.keep(String(rng.int(100, 99999)))} "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64) ${b.keep(neg.version(rng))}" rt=${b.keep(neg.duration(rng))} trace=${b.keep(neg.traceId(rng))}`;
    }
    case 'key-value':
      return [
        `level=info msg="payment accepted" user_email=${b.email()}`,
        `card=${b.plant(pii.card(rng).replace(/ /g, rng.chance(0.5) ? '-' : ''), 'user.financial.credit_card', true)}`,
        `amount=${b.keep(neg.price(rng).replace(/ /g, ''))}`,
        `order_id=${b.keep(neg.orderId(rng))}`,
        `phone="${b.phone()}"`,
        `client_ip=${rng.chance(0.5) ? b.ipv4() : b.ipv6()}`,
        `password=${b.password()}`,
        `dob=${b.dob()}`,
        `first_name=${b.firstName()}`,
        `trace_id=${b.keep(neg.traceId(rng))}`,
        `duration_ms=${b.keep(String(rng.int(1, 9999)))}`,
        `started=${b.keep(neg.isoTimestamp(rng))}`,
      ].join(' ');
    case 'json-in-string': {
      const payload = {
        customer: { email: b.email(), phone: b.phone(), iban: b.iban(), dob: b.dob() },
        auth: { password: b.password(), api_key: b.apiKey() },
        items: Number(b.keep(String(rng.int(1, 99)))),
        total: b.keep(neg.price(rng)),
        requestId: b.keep(neg.uuid(rng)),
        at: b.keep(neg.isoTimestamp(rng)),
      };
      const json = JSON.stringify(payload);
      return rng.chance(0.5) ? `payload received: ${json}` : `upstream said ${JSON.stringify(json)}`;
    }
    case 'stack-trace': {
      const line = b.keep(`payment.service.ts:${rng.int(10, 400)}:${rng.int(1, 80)}`);
      return (
        `Error: could not charge card ${b.card()} for ${b.email()} (attempt ${b.keep(String(rng.int(1, 5)))})\n` +
        `    at PaymentService.charge (/app/src/payments/${line})\n` +
        `    at async Router.handle (/app/node_modules/express/lib/router/index.js:${rng.int(100, 400)}:${rng.int(1, 30)})\n` +
        `    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {\n` +
        `  code: 'CARD_DECLINED', requestId: '${b.keep(neg.uuid(rng))}', customerIp: '${b.ipv4()}' }`
      );
    }
    case 'url-query': {
      const phone = b.phone();
      const mail = b.email();
      const token = b.jwt();
      const form = rng.int(0, 2);
      const phoneParam = form === 0 ? encodeURIComponent(phone) : form === 1 ? phone.replace(/ /g, '+').replace(/^\+/, '%2B') : encodeURIComponent(encodeURIComponent(phone));
      const mailParam = form === 2 ? encodeURIComponent(encodeURIComponent(mail)) : encodeURIComponent(mail);
      return `redirect to https://app.example.com/reset?token=${token}&email=${mailParam}&phone=${phoneParam}&uid=${b.keep(neg.uuid(rng))}&v=${b.keep(neg.version(rng).replace('/', '-'))}&ts=${b.keep(neg.epochMillis(rng))}`;
    }
    case 'csv': {
      const rows = ['id,email,phone,card,iban,created_at'];
      for (let r = 0; r < 3; r++) {
        rows.push([b.keep(neg.uuid(rng)), b.email(), `"${b.phone()}"`, b.card(), b.iban(), b.keep(neg.isoTimestamp(rng))].join(','));
      }
      return `export preview:\n${rows.join('\n')}`;
    }
    case 'headers':
      return [
        `Authorization: Bearer ${rng.chance(0.5) ? b.bearer() : b.jwt()}`,
        `Cookie: connect.sid=${b.session()}; theme=dark`,
        `X-Api-Key: ${b.apiKey()}`,
        `X-Forwarded-For: ${b.ipv4()}, ${b.keep('10.0.19045.3803')}`,
        `X-Request-Id: ${b.keep(neg.uuid(rng))}`,
        `If-None-Match: "${b.keep(neg.hexHash(rng))}"`,
      ].join('\n');
    case 'prose':
      return (
        `Support ticket ${b.keep(neg.orderId(rng))}: customer wrote "my number is ${b.phone()}, SSN ${b.ssn()}, ` +
        `NI number ${b.nino()}, please refund to ${b.iban()}" on ${b.keep(neg.date(rng))} at ${b.keep(neg.duration(rng))}; ` +
        `total ${b.keep(neg.price(rng))}, build ${b.keep(neg.version(rng))}, listening on ${b.keep(neg.port(rng))}, ${b.any()} also mentioned.`
      );
    case 'nested-object':
      return {
        event: 'checkout.completed',
        at: b.keep(neg.isoTimestamp(rng)),
        user: {
          id: b.keep(neg.uuid(rng)),
          firstName: b.firstName(),
          lastName: b.lastName(),
          email: b.email(),
          contact: { phone: b.phone(), mobile_phone: b.phone() },
          dateOfBirth: b.dob(),
          address: { street: b.street(), city: 'Springfield', postcode: 'ZZ99 9ZZ' },
          cards: [{ number: b.card(), expiry: '12/29', brand: 'visa' }],
          kyc: { ssn: b.ssn(), nino: b.nino(), iban: b.iban() },
        },
        request: {
          ip: b.ipv4(),
          headers: {
            authorization: `Bearer ${b.bearer()}`,
            Cookie: `sid=${b.session()}`,
            'X-API-KEY': b.apiKey(),
            'user-agent': `Mozilla/5.0 ${b.keep(neg.version(rng))}`,
            'x-request-id': b.keep(neg.uuid(rng)),
          },
          query: { q: 'blue mug', page: 2, ref: b.keep(neg.orderId(rng)) },
        },
        note: `customer ${b.email()} called from ${b.phone()} about ${b.keep(neg.orderId(rng))}`,
        amountCents: Number(b.keep(String(rng.int(100, 999999)))),
        checksum: b.keep(neg.hexHash(rng)),
        traceparent: b.keep(`00-${rng.hex(32)}-${rng.hex(16)}-01`),
        tags: new Set(['checkout', `contact:${b.email()}`]),
        meta: new Map<string, unknown>([['password', b.password()], ['build', b.keep(neg.version(rng))]]),
      };
    case 'class-instance':
      return {
        event: 'profile.viewed',
        profile: new CustomerProfile(b.keep(neg.uuid(rng)), b.email(), b.firstName(), b.phone(), 'gold'),
        at: b.keep(neg.isoTimestamp(rng)),
      };
    case 'free-text-forms':
      return freeTextForms(b);
  }
}

/**
 * A seeded corpus of realistic log records: access lines, key=value pairs, JSON inside strings, stack
 * traces, URL queries (plain, percent- and double-encoded), CSV, headers, prose, nested objects and
 * `@PersonalData` class instances. Every personal value planted is recorded, as are the hard negatives that
 * must come out unchanged.
 *
 * @param seed - the PRNG seed (same seed, same corpus)
 * @param count - how many records (the shapes take turns)
 */
export function generateCorpus(seed: number, count: number): CorpusRecord[] {
  const rng = new Prng(seed);
  const records: CorpusRecord[] = [];
  for (let id = 0; id < count; id++) {
    const shape = SHAPES[id % SHAPES.length]!;
    const b = new Builder(rng);
    const value = build(shape, b);
    records.push({ id, shape, value, planted: b.planted, negatives: b.negatives });
  }
  return records;
}

/** Only the free-text shapes, as strings (for text throughput and accuracy). */
export function generateMessages(seed: number, count: number): CorpusRecord[] {
  return generateCorpus(seed, count * 2)
    .filter((r) => typeof r.value === 'string')
    .slice(0, count);
}

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const COMPONENTS = ['http', 'cache', 'db', 'payments', 'auth', 'scheduler', 'search', 'mailer'];

/**
 * Application log lines as a service writes them: mostly operational (requests, cache, queries, retries, stack
 * frames) with a personal value in about one line in four. Sparser than {@link generateCorpus}, whose every
 * record is full of personal data; both are used to measure free-text throughput.
 *
 * @param seed - the PRNG seed
 * @param count - how many lines
 */
export function generateLogLines(seed: number, count: number): CorpusRecord[] {
  const rng = new Prng(seed);
  const records: CorpusRecord[] = [];
  for (let id = 0; id < count; id++) {
    const b = new Builder(rng);
    const head = `${b.keep(neg.isoTimestamp(rng))} ${rng.pick(LEVELS)} [${rng.pick(COMPONENTS)}]`;
    let line: string;
    switch (rng.int(0, 7)) {
      case 0:
        line = `${head} GET /api/v1/products?page=${rng.int(1, 40)}&sort=price ${rng.pick([200, 200, 304, 404])} ${b.keep(neg.count(rng))}b ${b.keep(neg.duration(rng))} reqId=${b.keep(neg.uuid(rng))}`;
        break;
      case 1:
        line = `${head} cache hit key=product:${rng.int(1, 99999)} ttl=${rng.int(10, 3600)}s etag=${b.keep(neg.hexHash(rng))}`;
        break;
      case 2:
        line = `${head} query took ${b.keep(neg.duration(rng))} rows=${rng.int(0, 5000)} pool=${rng.int(1, 20)}/${rng.int(20, 50)} trace=${b.keep(neg.traceId(rng))}`;
        break;
      case 3:
        line = `${head} retrying charge ${rng.int(1, 5)}/5 for order ${b.keep(neg.orderId(rng))} amount ${b.keep(neg.price(rng))} after ${rng.int(50, 900)}ms`;
        break;
      case 4:
        line = `${head} worker ${b.keep(neg.version(rng))} listening on ${b.keep(neg.port(rng))} pid=${rng.int(100, 65000)} uptime=${b.keep(neg.duration(rng))}`;
        break;
      case 5:
        line = `${head} job ${b.keep(neg.uuid(rng))} finished at ${b.keep(neg.epochMillis(rng))} processed ${b.keep(neg.count(rng))}`;
        break;
      case 6:
        line = `${head} login ok for ${rng.chance(0.5) ? b.email() : b.phone()} from ${rng.chance(0.7) ? b.ipv4() : b.ipv6()} span=${b.keep(neg.hexHash(rng))}`;
        break;
      default:
        line = `${head} Error: upstream ${rng.pick([502, 503, 504])} after ${b.keep(neg.duration(rng))}\n    at Client.request (/app/src/http/client.ts:${rng.int(10, 300)}:${rng.int(1, 40)})\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)`;
    }
    records.push({ id, shape: 'prose', value: line, planted: b.planted, negatives: b.negatives });
  }
  return records;
}
