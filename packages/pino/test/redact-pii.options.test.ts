import { PersonalData } from '@privacy-kit/core';
import type { RedactPiiOptions } from '@privacy-kit/pino';
import { redactPii } from '@privacy-kit/pino';
import type { LoggerOptions } from 'pino';
import pino from 'pino';
import { CaptureStream } from './capture.stream';

/** A real pino logger writing to memory, without time and pid/hostname so that records compare exactly. */
function logger(options?: RedactPiiOptions, pinoOptions: LoggerOptions = {}): { log: pino.Logger; out: CaptureStream } {
  const out = new CaptureStream();
  return { log: pino(redactPii(options, { level: 'debug', base: null, timestamp: false, ...pinoOptions }), out), out };
}

describe('redactPii() for pino', () => {
  it('works with no options: default keys, classes and every detector, in the message and the merged object', () => {
    const { log, out } = logger();
    log.info({ password: 'hunter2', payment: { number: '4111 1111 1111 1111' } }, 'signup alice@example.com from 203.0.113.7');
    expect(out.records).toEqual([
      { level: 30, password: '[REDACTED:password]', payment: { number: '[REDACTED:card]' }, msg: 'signup [REDACTED:email] from [REDACTED:ip]' },
    ]);
  });

  it('does what the README shows: child bindings, printf arguments, errors', () => {
    const { log, out } = logger();
    log.child({ customer: 'alice@example.com' }).info('signup %s', '+44 20 7946 0958');
    log.info({ password: 'hunter2' }, 'signup %s', 'alice@example.com');
    expect(out.records.slice(0, 2)).toEqual([
      { level: 30, customer: '[REDACTED:email]', msg: 'signup [REDACTED:phone]' },
      { level: 30, password: '[REDACTED:password]', msg: 'signup [REDACTED:email]' },
    ]);
  });

  it('redacts %s and %d arguments interpolated by pino', () => {
    const { log, out } = logger();
    log.info('user %s paid with %s', 'bob@example.org', '5555 5555 5555 4444');
    expect(out.records[0]!.msg).toBe('user [REDACTED:email] paid with [REDACTED:card]');
  });

  it('redacts objects interpolated with %o and %j', () => {
    const { log, out } = logger();
    log.info('payload %o then %j', { email: 'bob@example.org' }, { password: 'hunter2', note: 'call +44 20 7946 0958' });
    const msg = String(out.records[0]!.msg);
    expect(msg).not.toMatch(/bob@example\.org|hunter2|7946/);
    expect(msg).toContain('[REDACTED:email]');
  });

  it('redacts the bindings of logger.child(), which pino serialises once when the child is made', () => {
    const { log, out } = logger();
    log.child({ requestId: 'r-1', customer: { phone: '+44 20 7946 0958' }, contact: 'ops@example.com' }).warn('slow');
    expect(out.records).toEqual([{ level: 40, requestId: 'r-1', customer: { phone: '[REDACTED:phone]' }, contact: '[REDACTED:email]', msg: 'slow' }]);
  });

  it('redacts the bindings of a grandchild and keeps those of its parent', () => {
    const { log, out } = logger();
    log.child({ tenant: 't-1', owner: 'ops@example.com' }).child({ ip: '198.51.100.4' }).info('nested');
    expect(out.records).toEqual([{ level: 30, tenant: 't-1', owner: '[REDACTED:email]', ip: '[REDACTED:ip]', msg: 'nested' }]);
  });

  it('redacts bindings added later with setBindings()', () => {
    const { log, out } = logger();
    const child = log.child({ requestId: 'r-2' });
    child.setBindings({ user: 'carol@example.net' });
    child.info('bound');
    expect(out.records[0]).toEqual({ level: 30, requestId: 'r-2', user: '[REDACTED:email]', msg: 'bound' });
  });

  it('redacts bindings added with setBindings() on a grandchild, keeping those of its parents', () => {
    const { log, out } = logger();
    const grandchild = log.child({ a: 1 }).child({ b: 2 });
    grandchild.setBindings({ who: 'ops@example.com' });
    grandchild.info('deep');
    expect(out.records[0]).toEqual({ level: 30, a: 1, b: 2, who: '[REDACTED:email]', msg: 'deep' });
  });

  it("redacts bindings set with setBindings() on the root logger", () => {
    const { log, out } = logger();
    log.setBindings({ operator: 'ops@example.com' });
    log.info('bound');
    expect(out.records[0]).toEqual({ level: 30, operator: '[REDACTED:email]', msg: 'bound' });
  });

  it('redacts the base bindings and still calls your formatters.bindings', () => {
    const { log, out } = logger(undefined, {
      base: { service: 'shop', oncall: 'ops@example.com' },
      formatters: { bindings: (bindings) => ({ ...bindings, region: 'eu' }) },
    });
    log.info('started');
    expect(out.records).toEqual([{ level: 30, service: 'shop', oncall: '[REDACTED:email]', region: 'eu', msg: 'started' }]);
  });

  it('redacts the message and stack of an Error logged alone, and the message pino takes from it', () => {
    const { log, out } = logger();
    log.error(new Error('no account for carol@example.net'));
    const record = out.records[0] as { msg: string; err: { type: string; message: string; stack: string } };
    expect(record.msg).toBe('no account for [REDACTED:email]');
    expect(record.err.type).toBe('Error');
    expect(record.err.message).toBe('no account for [REDACTED:email]');
    expect(record.err.stack).toMatch(/^Error: no account for \[REDACTED:email\]\n\s+at /);
  });

  it('redacts an Error under the err key and under a custom errorKey', () => {
    const { log, out } = logger(undefined, { errorKey: 'error' });
    log.error({ error: new Error('card 4111111111111111 declined') }, 'charge failed');
    log.error({ err: new Error('card 4111111111111111 declined') }, 'charge failed');
    for (const line of out.lines) expect(line).not.toContain('4111');
    expect((out.records[0]!.error as { message: string }).message).toBe('card [REDACTED:card] declined');
  });

  it('redacts what your serializers return, and gives them the value as logged', () => {
    class Account {
      constructor(readonly id: string, private readonly mail: string) {}
      contact(): string {
        return this.mail;
      }
    }
    const { log, out } = logger(undefined, { serializers: { account: (a: Account) => ({ id: a.id, contact: a.contact() }) } });
    log.info({ account: new Account('a-1', 'dave@example.com') }, 'account seen');
    expect(out.records[0]!.account).toEqual({ id: 'a-1', contact: '[REDACTED:email]' });
  });

  it("gives a child's own serializers the value as logged and redacts what they return", () => {
    class Payer {
      constructor(private readonly mail: string) {}
      contact(): string {
        return `payer ${this.mail}`;
      }
    }
    const { log, out } = logger();
    const child = log.child({ scope: 'billing' }, { serializers: { payer: (p: Payer) => p.contact() } });
    child.info({ payer: new Payer('erin@example.com') }, 'paid');
    expect(out.records[0]!.payer).toBe('payer [REDACTED:email]');
  });

  it('redacts a value whose serializer a child unset', () => {
    const { log, out } = logger(undefined, { serializers: { contact: (c: { mail: string }) => c.mail } });
    const child = log.child({}, { serializers: { contact: undefined as never } });
    child.info({ contact: { mail: 'erin@example.com' } }, 'unset');
    expect(out.records[0]!.contact).toEqual({ mail: '[REDACTED:email]' });
  });

  it("redacts the merged object of a child with its own formatters.log, and calls that formatter", () => {
    const { log, out } = logger();
    const child = log.child({}, { formatters: { log: (o) => ({ ...o, tagged: true }) } });
    child.info({ email: 'frank@example.com' }, 'child formatter');
    expect(out.records[0]).toEqual({ level: 30, email: '[REDACTED:email]', tagged: true, msg: 'child formatter' });
  });

  it('keeps levels: numbers, filtering and your formatters.level', () => {
    const { log, out } = logger(undefined, { level: 'warn', formatters: { level: (label) => ({ severity: label }) } });
    log.info('dropped alice@example.com');
    log.error('kept alice@example.com');
    expect(out.records).toEqual([{ severity: 'error', msg: 'kept [REDACTED:email]' }]);
  });

  it('calls your formatters.log, hooks.logMethod, mixin and onChild, and redacts what they add', () => {
    const calls: string[] = [];
    const { log, out } = logger(undefined, {
      formatters: { log: (o) => ({ ...o, fromFormatter: 'grace@example.com' }) },
      hooks: {
        logMethod(args, method) {
          calls.push('logMethod');
          method.apply(this, args);
        },
        streamWrite: (line) => {
          calls.push('streamWrite');
          return line;
        },
      },
      mixin: () => ({ fromMixin: '203.0.113.9' }),
      onChild: () => calls.push('onChild'),
    });
    log.child({ a: 1 }).info('hooks');
    expect(calls).toEqual(['onChild', 'logMethod', 'streamWrite']);
    expect(out.records[0]).toEqual({ level: 30, a: 1, fromMixin: '[REDACTED:ip]', fromFormatter: '[REDACTED:email]', msg: 'hooks' });
  });

  it('redacts the message under a custom messageKey', () => {
    const { log, out } = logger(undefined, { messageKey: 'message' });
    log.info('hi alice@example.com');
    expect(out.records[0]).toEqual({ level: 30, message: 'hi [REDACTED:email]' });
  });

  it('never modifies the objects the caller logged', () => {
    const { log } = logger();
    const meta = { user: { email: 'alice@example.com', password: 'x' } };
    const bindings = { contact: 'ops@example.com' };
    const error = new Error('no account for carol@example.net');
    log.info(meta, 'meta');
    log.child(bindings).info('child');
    log.error(error);
    expect(meta).toEqual({ user: { email: 'alice@example.com', password: 'x' } });
    expect(bindings).toEqual({ contact: 'ops@example.com' });
    expect(error.message).toBe('no account for carol@example.net');
  });

  it('with paths only, never modifies the objects the caller logged', () => {
    const { log, out } = logger({ paths: ['user.password', 'list[*].pin', 'token'], keys: false, text: false, classAware: false });
    const meta = { user: { password: 'x', id: 1 }, list: [{ pin: 1 }, { pin: 2 }], token: 'abc' };
    log.info(meta, 'meta');
    expect(meta).toEqual({ user: { password: 'x', id: 1 }, list: [{ pin: 1 }, { pin: 2 }], token: 'abc' });
    expect(out.records[0]).toEqual({ level: 30, user: { password: '[REDACTED]', id: 1 }, list: [{ pin: '[REDACTED]' }, { pin: '[REDACTED]' }], token: '[REDACTED]', msg: 'meta' });
  });

  it('redacts @PersonalData class instances in the merged object', () => {
    class Customer {
      @PersonalData({ category: 'user.name' }) nickname = 'Ada';
      tier = 'gold';
    }
    const { log, out } = logger();
    log.info({ customer: new Customer() }, 'customer seen');
    expect(out.records[0]!.customer).toEqual({ nickname: '[REDACTED:name]', tier: 'gold' });
  });

  it('redacts a @PersonalData class instance logged as the merged object itself', () => {
    class Patient {
      @PersonalData({ category: 'user.name' }) fullName = 'Ada Example';
      ward = 'B';
    }
    const { log, out } = logger();
    log.info(new Patient(), 'admitted');
    expect(out.records[0]).toEqual({ level: 30, fullName: '[REDACTED:name]', ward: 'B', msg: 'admitted' });
  });

  it('redacts an HTTP request logged directly, which pino maps to its req fields', () => {
    const { log, out } = logger();
    const req = { method: 'GET', url: '/orders', headers: { authorization: 'Bearer abc.def', cookie: 'sid=s-1' }, socket: { remoteAddress: '203.0.113.7', remotePort: 4242 } };
    log.info(req, 'request');
    expect(out.records[0]!.req).toEqual({
      method: 'GET',
      url: '/orders',
      headers: { authorization: '[REDACTED:authorization]', cookie: '[REDACTED:cookie]' },
      remoteAddress: '[REDACTED:ip]',
      remotePort: 4242,
    });
  });

  it("keeps pino's custom levels, with their types", () => {
    const out = new CaptureStream();
    const log = pino(redactPii({}, { customLevels: { audit: 35 }, base: null, timestamp: false }), out);
    log.audit('seen alice@example.com');
    expect(out.records).toEqual([{ level: 35, msg: 'seen [REDACTED:email]' }]);
  });

  it('passes its options to the redactor', () => {
    const { log, out } = logger({ paths: ['order.note'], detectors: { email: false } });
    log.info({ order: { note: 'leave at door' } }, 'a@example.com');
    expect(out.records[0]).toEqual({ level: 30, order: { note: '[REDACTED]' }, msg: 'a@example.com' });
  });

  it("applies pino's own redact paths too, after its own redaction", () => {
    const { log, out } = logger(undefined, { redact: { paths: ['user.id'], censor: '[pino]' } });
    log.info({ user: { id: 7, email: 'alice@example.com' } }, 'both');
    expect(out.records[0]!.user).toEqual({ id: '[pino]', email: '[REDACTED:email]' });
  });

  it('refuses bad options when the pino options are made', () => {
    expect(() => redactPii({ replacement: 'hash' })).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
  });

  it('refuses an unknown option in its own name and suggests the closest one', () => {
    expect(() => redactPii({ path: ['user.password'] } as never)).toThrow(
      expect.objectContaining({
        code: 'PK_INVALID_OPTION',
        package: '@privacy-kit/pino',
        message: expect.stringMatching(/^@privacy-kit\/pino: redactPii\(\): unknown option 'path'\. Did you mean 'paths'\?/),
      }),
    );
  });

  it('says where a pino option given as a redaction option belongs', () => {
    expect(() => redactPii({ level: 'info' } as never)).toThrow(
      expect.objectContaining({
        code: 'PK_INVALID_OPTION',
        message: expect.stringMatching(/^@privacy-kit\/pino: redactPii\(\): 'level' is a pino option, not a redaction option\. Pass pino's options as the second argument/),
      }),
    );
  });

  it('refuses pino options that are not an object, and serializers that are not functions', () => {
    expect(() => redactPii({}, 'info' as never)).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('second argument') }));
    expect(() => redactPii({}, { serializers: { user: 'id' as never } })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('serializers.user must be a function') }),
    );
  });

  it('writes the failure marker and keeps the level when redaction fails, without throwing', () => {
    const { log, out } = logger({ replacement: () => { throw new Error('bug'); } });
    expect(() => log.warn({ email: 'alice@example.com' }, 'mail alice@example.com')).not.toThrow();
    expect(out.lines[0]).not.toContain('alice');
    expect(out.records[0]!.level).toBe(40);
    expect(out.records[0]!.msg).toBe('[REDACTED:redaction-failed]');
  });
});
