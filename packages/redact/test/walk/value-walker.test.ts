import { PersonalData, definePersonalData } from '@privacy-kit/core';
import { CIRCULAR, DEPTH_LIMIT, FAILED, SIZE_LIMIT, UNREADABLE, createRedactor, defineDetector } from '@privacy-kit/redact';

function deepFreezeCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('structured redaction safety', () => {
  const redact = createRedactor();

  it('never mutates the caller’s objects', () => {
    const input = { user: { email: 'alice@example.com', password: 'hunter2', tags: ['vip', 'bob@example.org'] }, n: 1 };
    const before = deepFreezeCopy(input);
    const out = redact(input) as typeof input;
    expect(input).toEqual(before);
    expect(out.user.email).toBe('[REDACTED:email]');
    expect(out.user.tags).toEqual(['vip', '[REDACTED:email]']);
  });

  it('works on frozen input', () => {
    const input = Object.freeze({ password: 'x', nested: Object.freeze({ mail: 'alice@example.com' }) });
    expect(redact(input)).toEqual({ password: '[REDACTED:password]', nested: { mail: '[REDACTED:email]' } });
  });

  it('survives circular references and marks them', () => {
    const a: Record<string, unknown> = { email: 'alice@example.com' };
    a.self = a;
    a.list = [a];
    expect(redact(a)).toEqual({ email: '[REDACTED:email]', self: CIRCULAR, list: [CIRCULAR] });
  });

  it('keeps shared (non-circular) references redacted in both places', () => {
    const shared = { note: 'call +44 20 7946 0958' };
    expect(redact({ a: shared, b: shared })).toEqual({ a: { note: 'call [REDACTED:phone]' }, b: { note: 'call [REDACTED:phone]' } });
  });

  it('replaces a throwing getter by a placeholder and keeps the other fields', () => {
    const input = {
      ok: 'alice@example.com',
      get broken(): string {
        throw new Error('secret alice@example.com');
      },
    };
    expect(redact(input)).toEqual({ ok: '[REDACTED:email]', broken: UNREADABLE });
  });

  it('replaces an object whose proxy traps throw by a placeholder', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    expect(redact({ x: hostile, y: 1 })).toEqual({ x: UNREADABLE, y: 1 });
  });

  it('redacts Map keys and values and Set members into new collections', () => {
    const map = new Map<unknown, unknown>([['password', 'x'], ['alice@example.com', 1], [2, 'bob@example.org']]);
    const set = new Set(['203.0.113.7', 'ok']);
    const out = redact({ map, set }) as { map: Map<unknown, unknown>; set: Set<unknown> };
    expect([...out.map]).toEqual([['password', '[REDACTED:password]'], ['[REDACTED:email]', 1], [2, '[REDACTED:email]']]);
    expect([...out.set]).toEqual(['[REDACTED:ip]', 'ok']);
    expect(map.get('password')).toBe('x');
  });

  it('replaces Buffers and typed arrays by their size, never their bytes', () => {
    const out = redact({ buf: Buffer.from('alice@example.com'), arr: new Uint8Array(4) });
    expect(out).toEqual({ buf: '[Buffer: 17 bytes]', arr: '[Uint8Array: 4 bytes]' });
  });

  it('scans BigInt and long integers as card numbers', () => {
    expect(redact({ a: 4111111111111111n, b: 4111111111111111, c: 12345678901234567890n, d: 42 })).toEqual({
      a: '[REDACTED:card]',
      b: '[REDACTED:card]',
      c: 12345678901234567890n,
      d: 42,
    });
  });

  it('redacts the @PersonalData fields of a class instance without any path', () => {
    class Customer {
      @PersonalData({ category: 'user.name' }) displayLabel = 'Ada Lovelace';
      @PersonalData({ category: 'user.contact.address' }) where = '12 Crescent Road';
      plan = 'gold';
    }
    expect(redact({ customer: new Customer() })).toEqual({ customer: { displayLabel: '[REDACTED:name]', where: '[REDACTED:address]', plan: 'gold' } });
  });

  it('redacts inherited @PersonalData fields and fields declared after the first log line', () => {
    class Base {
      constructor(public handle: string) {}
    }
    class Member extends Base {
      constructor(handle: string, public badge: string) {
        super(handle);
      }
    }
    const before = new Member('adal', 'B-1');
    expect(redact(before)).toBe(before);
    definePersonalData(Base, 'handle', { category: 'user.account.username' });
    expect(redact(new Member('adal', 'B-1'))).toEqual({ handle: '[REDACTED:username]', badge: 'B-1' });
  });

  it('redacts what toJSON returns, since that is what serializers print', () => {
    class Token {
      toJSON(): unknown {
        return { email: 'alice@example.com' };
      }
    }
    expect(redact({ t: new Token(), u: new URL('https://x.example/?email=bob%40example.org') })).toEqual({
      t: { email: '[REDACTED:email]' },
      u: 'https://x.example/?email=[REDACTED:email]',
    });
  });

  it('redacts Error messages, stacks, causes and fields, and keeps an Error', () => {
    const cause = new Error('db said alice@example.com');
    const error = Object.assign(new Error('failed for bob@example.org', { cause }), { code: 'E1', headers: { authorization: 'Bearer x' } });
    const out = redact({ error }) as { error: Error & { code: string; headers: unknown } };
    expect(out.error).toBeInstanceOf(Error);
    expect(out.error.message).toBe('failed for [REDACTED:email]');
    expect(out.error.stack).toContain('Error: failed for [REDACTED:email]');
    expect((out.error.cause as Error).message).toBe('db said [REDACTED:email]');
    expect(out.error.code).toBe('E1');
    expect(out.error.headers).toEqual({ authorization: '[REDACTED:authorization]' });
    expect(Object.keys(out.error)).toEqual(['code', 'headers']);
    expect(error.message).toBe('failed for bob@example.org');
  });

  it('stops at the depth limit with a placeholder instead of the deep value', () => {
    let deep: Record<string, unknown> = { email: 'alice@example.com' };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const out = JSON.stringify(createRedactor({ maxDepth: 8 })(deep));
    expect(out).toContain(DEPTH_LIMIT);
    expect(out).not.toContain('alice');
  });

  it('survives nesting deeper than the call stack', () => {
    let deep: unknown[] = ['alice@example.com'];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(JSON.stringify(redact(deep))).toContain(DEPTH_LIMIT);
  });

  it('bounds the work on huge values with a placeholder for what is left', () => {
    const big = Array.from({ length: 100 }, (_, i) => ({ i, email: `user${i}@example.com` }));
    const out = JSON.stringify(createRedactor({ maxNodes: 50 })(big));
    expect(out).toContain(SIZE_LIMIT);
    expect(out).not.toMatch(/user\d+@example\.com/);
  });

  it('cuts an object with too many keys after the budget, drops the rest and says so under [truncated]', () => {
    const wide = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, `user${i}@example.com`]));
    const out = createRedactor({ maxNodes: 5 })(wide);
    expect(Object.keys(out)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', '[truncated]']);
    expect(out.k0).toBe('[REDACTED:email]');
    expect(out['[truncated]']).toBe(SIZE_LIMIT);
    expect(JSON.stringify(out)).not.toMatch(/user\d+@example\.com/);
  });

  it('keeps every key of an object that ends exactly at the budget, without a [truncated] marker', () => {
    const out = createRedactor({ maxNodes: 3 })({ a: 1, b: 2 });
    expect(out).toEqual({ a: 1, b: 2 });
  });

  it('bounds the total text scanned per call', () => {
    const out = createRedactor({ maxTotalText: 100 })({ a: 'x'.repeat(90), b: 'alice@example.com and more' });
    expect(out).toEqual({ a: 'x'.repeat(90), b: SIZE_LIMIT });
  });

  it('emits a placeholder, never the original, when a detector throws', () => {
    const broken = defineDetector({ name: 'broken', category: 'user', pattern: /x/, validate: () => { throw new Error('bug'); } });
    const out = createRedactor({ detectors: { broken } })({ msg: 'x alice@example.com', n: 1 });
    expect(out).toEqual({ msg: FAILED, n: 1 });
  });

  it('emits a placeholder when a replacement function throws', () => {
    const out = createRedactor({ replacement: () => { throw new Error('bug'); } })({ msg: 'alice@example.com', password: 'x' });
    expect(out).toEqual({ msg: FAILED, password: FAILED });
  });

  it('emits a placeholder when a replacement function returns no string', () => {
    const redact2 = createRedactor({ replacement: () => undefined as unknown as string });
    expect(redact2.text('alice@example.com')).toBe('[REDACTED:email]');
  });

  it('keeps symbol keys and redacts their values at the top level', () => {
    const MESSAGE = Symbol.for('message');
    const out = redact({ [MESSAGE]: 'mail alice@example.com', level: 'info' }) as Record<symbol, unknown>;
    expect(out[MESSAGE]).toBe('mail [REDACTED:email]');
  });

  it('treats a __proto__ key as data, never as a prototype', () => {
    const input = JSON.parse('{"__proto__":{"email":"alice@example.com"},"a":"bob@example.org"}') as Record<string, unknown>;
    const out = redact(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ email: '[REDACTED:email]' });
  });

  it('keeps booleans under sensitive key names but not under paths', () => {
    expect(createRedactor({ paths: ['flag'] })({ hasPassword: true, flag: true })).toEqual({ hasPassword: true, flag: '[REDACTED]' });
  });

  it('returns redacted strings for string input and leaves other primitives alone', () => {
    expect(redact('alice@example.com')).toBe('[REDACTED:email]');
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBe(null);
    expect(redact(undefined)).toBe(undefined);
  });

  it('fits pino’s formatters.log hook: an object in, a redacted object out', () => {
    const log: (object: Record<string, unknown>) => Record<string, unknown> = redact;
    expect(log({ req: { headers: { cookie: 'sid=1' } } })).toEqual({ req: { headers: { cookie: '[REDACTED:cookie]' } } });
  });

  it('lets a getter that logs while being redacted use the same redactor', () => {
    const input = {
      get nested(): unknown {
        return redact({ password: 'inner' });
      },
      outer: 'alice@example.com',
    };
    expect(redact(input)).toEqual({ nested: { password: '[REDACTED:password]' }, outer: '[REDACTED:email]' });
  });
});
