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

  it('hands arrays and wildcards on the way to the generic walker', () => {
    const redact = plain(['orders[*].card.number', 'meta.*.pin']);
    expect(redact({ orders: [{ card: { number: '1', brand: 'v' } }], meta: { a: { pin: 1 }, b: { pin: 2 } } })).toEqual({
      orders: [{ card: { number: '[REDACTED]', brand: 'v' } }],
      meta: { a: { pin: '[REDACTED]' }, b: { pin: '[REDACTED]' } },
    });
  });
});
