import { createRedactor } from '@privacy-kit/redact';

describe('structured path redaction', () => {
  const plain = (paths: string[]) => createRedactor({ paths, keys: false, text: false, classAware: false });

  it('redacts an exact path and leaves its siblings', () => {
    expect(plain(['user.nick'])({ user: { nick: 'al', id: 1 } })).toEqual({ user: { nick: '[REDACTED]', id: 1 } });
  });

  it('redacts through * at any position', () => {
    const redact = plain(['*.nick', 'teams.*.members.*.pin']);
    expect(redact({ a: { nick: 'x' }, b: { nick: 'y', ok: 1 }, teams: { red: { members: [{ pin: 1 }, { pin: 2 }] } } })).toEqual({
      a: { nick: '[REDACTED]' },
      b: { nick: '[REDACTED]', ok: 1 },
      teams: { red: { members: [{ pin: '[REDACTED]' }, { pin: '[REDACTED]' }] } },
    });
  });

  it('redacts **.key at any depth, including the top level', () => {
    const redact = plain(['**.pin']);
    expect(redact({ pin: 1, a: { b: { c: [{ pin: 2 }] } } })).toEqual({ pin: '[REDACTED]', a: { b: { c: [{ pin: '[REDACTED]' }] } } });
  });

  it('redacts array elements by index and by [*]', () => {
    expect(plain(['list[1]', 'users[*].nick'])({ list: ['a', 'b', 'c'], users: [{ nick: 'x' }, { nick: 'y' }] })).toEqual({
      list: ['a', '[REDACTED]', 'c'],
      users: [{ nick: '[REDACTED]' }, { nick: '[REDACTED]' }],
    });
  });

  it('redacts a whole subtree at a path and keeps null and undefined as they are', () => {
    expect(plain(['a', 'b', 'c'])({ a: { deep: 1 }, b: null, c: undefined })).toEqual({ a: '[REDACTED]', b: null, c: undefined });
  });

  it('matches quoted keys with dots and dashes', () => {
    expect(plain(['headers["x-session.id"]'])({ headers: { 'x-session.id': 'abc' } })).toEqual({ headers: { 'x-session.id': '[REDACTED]' } });
  });

  it('leaves values of unmatched paths identical (same references)', () => {
    const input = { user: { nick: 'al' }, other: { x: 1 } };
    const out = plain(['user.nick'])(input) as typeof input;
    expect(out.other).toBe(input.other);
  });
});

describe('compiled paths (paths-only mode)', () => {
  const plain = (paths: string[]) => createRedactor({ paths, keys: false, text: false, classAware: false });

  it('treats keys with quotes and code-like characters as data', () => {
    const key = 'x"]);throw new Error("injected");//';
    const redact = plain([`a[${JSON.stringify(key)}]`]);
    expect(redact({ a: { [key]: 'secret', y: 1 } })).toEqual({ a: { [key]: '[REDACTED]', y: 1 } });
  });

  it('replaces a throwing getter on a path by a placeholder', () => {
    const input = { user: Object.defineProperty({ id: 1 }, 'nick', { enumerable: true, get: () => { throw new Error('x'); } }) };
    expect(plain(['user.nick'])(input)).toEqual({ user: { id: 1, nick: '[REDACTED:unreadable]' } });
  });

  it('keeps symbol keys of the objects it copies', () => {
    const LEVEL = Symbol.for('level');
    const out = plain(['user.nick'])({ [LEVEL]: 'info', user: { nick: 'x' } }) as Record<symbol, unknown>;
    expect(out[LEVEL]).toBe('info');
  });

  it('copies only the containers on the way to a redacted value and shares every untouched subtree', () => {
    const input = {
      user: { email: 'a@example.com', prefs: { theme: 'dark' } },
      headers: { accept: 'json' },
      customers: [{ email: 'b@example.com', tier: 2 }, { tier: 1 }],
      tags: ['web'],
    };
    const out = plain(['user.email', 'headers.authorization', 'customers[*].email'])(input) as typeof input;
    expect(out).not.toBe(input);
    expect(out.user).not.toBe(input.user);
    expect(out.user.prefs).toBe(input.user.prefs);
    expect(out.headers).toBe(input.headers);
    expect(out.customers).not.toBe(input.customers);
    expect(out.customers[0]).not.toBe(input.customers[0]);
    expect(out.customers[1]).toBe(input.customers[1]);
    expect(out.tags).toBe(input.tags);
  });

  it('returns the input itself when no path matches anything', () => {
    const input = { user: { nick: undefined, id: 1 }, list: [{ id: 2 }] };
    expect(plain(['user.nick', 'list[*].pin', 'absent.key'])(input)).toBe(input);
  });

  it('never writes into the caller’s objects, through nested paths, arrays and * wildcards', () => {
    const make = () => ({
      user: { password: 'pw', profile: { email: 'a@example.com', name: 'Al' } },
      orders: [{ card: { number: '4111', brand: 'v' } }, { card: { number: '5500', brand: 'm' } }],
      teams: { red: { pin: 1, lead: 'x' }, blue: { pin: 2 } },
      matrix: [[{ pin: 3 }], [{ pin: 4 }]],
    });
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) deepFreeze(item);
      return Object.freeze(value);
    };
    const input = deepFreeze(make());
    const out = plain(['user.password', 'user.profile.email', 'orders[*].card.number', 'teams.*.pin', 'matrix[*][*].pin'])(input);
    expect(input).toEqual(make());
    expect(out).toEqual({
      user: { password: '[REDACTED]', profile: { email: '[REDACTED]', name: 'Al' } },
      orders: [{ card: { number: '[REDACTED]', brand: 'v' } }, { card: { number: '[REDACTED]', brand: 'm' } }],
      teams: { red: { pin: '[REDACTED]', lead: 'x' }, blue: { pin: '[REDACTED]' } },
      matrix: [[{ pin: '[REDACTED]' }], [{ pin: '[REDACTED]' }]],
    });
  });

  it('keeps an own __proto__ key as data in the objects it copies', () => {
    const input = JSON.parse('{"__proto__":{"x":"s"},"a":"t","b":{"__proto__":{"x":"u"},"c":"v"}}') as Record<string, unknown>;
    const out = plain(['a', 'b.c'])(input) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.b)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: 's' });
    expect(Object.getOwnPropertyDescriptor(out.b, '__proto__')?.value).toEqual({ x: 'u' });
    expect(out.a).toBe('[REDACTED]');
    expect(out.b!.c).toBe('[REDACTED]');
  });

  it('calls a replacement function for each value on a path', () => {
    const redact = createRedactor({ paths: ['user.nick'], keys: false, text: false, classAware: false, replacement: (m) => `<${m.source}:${m.value.length}>` });
    expect(redact({ user: { nick: 'alice', id: 1 } })).toEqual({ user: { nick: '<path:5>', id: 1 } });
  });

  it('hands arrays and wildcards on the way to the generic walker', () => {
    const redact = plain(['orders[*].card.number', 'meta.*.pin']);
    expect(redact({ orders: [{ card: { number: '1', brand: 'v' } }], meta: { a: { pin: 1 }, b: { pin: 2 } } })).toEqual({
      orders: [{ card: { number: '[REDACTED]', brand: 'v' } }],
      meta: { a: { pin: '[REDACTED]' }, b: { pin: '[REDACTED]' } },
    });
  });
});
