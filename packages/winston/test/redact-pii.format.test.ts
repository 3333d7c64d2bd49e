import { PersonalData } from '@privacy-kit/core';
import { redactPii } from '@privacy-kit/winston';
import winston from 'winston';
import { CaptureTransport } from './capture.transport';

const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

function logger(format: winston.Logform.Format, options: Partial<winston.LoggerOptions> = {}): { log: winston.Logger; out: CaptureTransport } {
  const out = new CaptureTransport();
  return { log: winston.createLogger({ level: 'debug', format, transports: [out], ...options }), out };
}

const { combine, errors, splat, json, printf, simple, timestamp } = winston.format;

describe('redactPii()', () => {
  it('works with no options: default keys, classes and every detector', () => {
    const { log, out } = logger(combine(redactPii(), json()));
    log.info('signup alice@example.com from 203.0.113.7', { password: 'hunter2', payment: { number: '4111 1111 1111 1111' } });
    expect(JSON.parse(out.lines[0]!)).toEqual({
      level: 'info',
      message: 'signup [REDACTED:email] from [REDACTED:ip]',
      password: '[REDACTED:password]',
      payment: { number: '[REDACTED:card]' },
    });
  });

  it('redacts %s splat arguments interpolated by splat() before it', () => {
    const { log, out } = logger(combine(splat(), redactPii(), json()));
    log.info('user %s paid with %s', 'bob@example.org', '5555 5555 5555 4444');
    expect(JSON.parse(out.lines[0]!).message).toBe('user [REDACTED:email] paid with [REDACTED:card]');
  });

  it('redacts the splat arguments themselves, for a splat() placed after it', () => {
    const { log, out } = logger(combine(redactPii(), splat(), json()));
    log.info('user %s', 'bob@example.org');
    expect(JSON.parse(out.lines[0]!).message).toBe('user [REDACTED:email]');
    expect(out.infos[0]![SPLAT]).toEqual(['[REDACTED:email]']);
  });

  it('redacts logger.child() metadata and defaultMeta', () => {
    const { log, out } = logger(combine(redactPii(), json()), { defaultMeta: { service: 'shop', oncall: 'ops@example.com' } });
    log.child({ requestId: 'r-1', customer: { phone: '+44 20 7946 0958' } }).warn('slow');
    expect(JSON.parse(out.lines[0]!)).toEqual({
      level: 'warn',
      message: 'slow',
      service: 'shop',
      oncall: '[REDACTED:email]',
      requestId: 'r-1',
      customer: { phone: '[REDACTED:phone]' },
    });
  });

  it('redacts error messages and stacks with format.errors({ stack: true })', () => {
    const { log, out } = logger(combine(errors({ stack: true }), redactPii(), json()));
    log.error(new Error('no account for carol@example.net'));
    log.error('charge failed', new Error('card 4111111111111111 declined'));
    const [first, second] = out.lines.map((line) => JSON.parse(line) as { message: string; stack: string });
    expect(first!.message).toBe('no account for [REDACTED:email]');
    expect(first!.stack).toMatch(/^Error: no account for \[REDACTED:email\]\n\s+at /);
    expect(second!.message).toBe('charge failed card [REDACTED:card] declined');
    expect(second!.stack).not.toContain('4111');
  });

  it('redacts an Error logged without format.errors() and keeps it an Error', () => {
    const { log, out } = logger(combine(redactPii(), printf((info) => `${info.level}: ${String(info.message)} ${String(info.stack)}`)));
    log.error(new Error('no account for carol@example.net'));
    expect(out.lines[0]).toMatch(/^error: no account for \[REDACTED:email\] Error: no account for \[REDACTED:email\]/);
  });

  it('keeps the level, message and splat symbols for every transport', () => {
    const { log, out } = logger(combine(redactPii(), simple()));
    log.log('warn', 'mail %s', 'dave@example.com', { ip: '198.51.100.4' });
    const info = out.infos[0]!;
    expect(info[LEVEL]).toBe('warn');
    expect(info.level).toBe('warn');
    expect(info[MESSAGE]).toBe('warn: mail %s');
    expect(info[SPLAT]).toEqual(['[REDACTED:email]', { ip: '[REDACTED:ip]' }]);
  });

  it('filters by level as before: the level survives redaction', () => {
    const { log, out } = logger(combine(redactPii(), json()), { level: 'warn' });
    log.info('dropped alice@example.com');
    log.error('kept alice@example.com');
    expect(out.lines).toEqual(['{"level":"error","message":"kept [REDACTED:email]"}']);
  });

  it('redacts a message already formatted by a final formatter placed before it', () => {
    const { log, out } = logger(combine(json(), redactPii()));
    log.info('hi alice@example.com');
    expect(out.lines[0]).toBe('{"level":"info","message":"hi [REDACTED:email]"}');
  });

  it('never modifies the objects the caller logged', () => {
    const { log } = logger(combine(timestamp(), redactPii(), json()));
    const meta = { user: { email: 'alice@example.com', password: 'x' } };
    const single = { message: 'object form', token: 'abc' };
    log.info('meta', meta);
    log.info(single);
    expect(meta).toEqual({ user: { email: 'alice@example.com', password: 'x' } });
    expect(single.token).toBe('abc');
  });

  it('with paths only, returns a new record that shares untouched subtrees and leaves the caller’s objects unchanged', () => {
    const format = redactPii({ paths: ['user.password', 'customers[*].email', 'teams.*.pin'], keys: false, text: false, classAware: false });
    const make = () => ({
      level: 'info',
      message: 'checkout',
      [LEVEL]: 'info',
      [SPLAT]: [],
      user: { password: 'pw', prefs: { theme: 'dark' } },
      customers: [{ email: 'a@example.com' }, { tier: 1 }],
      teams: { red: { pin: 1 } },
      tags: ['web'],
    });
    const info = make();
    const out = format.transform(info) as ReturnType<typeof make>;
    expect(info).toEqual(make());
    expect(out).not.toBe(info);
    expect(out[LEVEL]).toBe('info');
    expect(out[SPLAT]).toBe(info[SPLAT]);
    expect(out.user).toEqual({ password: '[REDACTED]', prefs: { theme: 'dark' } });
    expect(out.user.prefs).toBe(info.user.prefs);
    expect(out.customers).toEqual([{ email: '[REDACTED]' }, { tier: 1 }]);
    expect(out.customers[1]).toBe(info.customers[1]);
    expect(out.teams).toEqual({ red: { pin: '[REDACTED]' } });
    expect(out.tags).toBe(info.tags);
  });

  it('with paths only, never modifies the objects the caller logged', () => {
    const { log, out } = logger(combine(redactPii({ paths: ['user.password', 'list[*].pin', 'token'], keys: false, text: false, classAware: false }), json()));
    const meta = { user: { password: 'x', id: 1 }, list: [{ pin: 1 }, { pin: 2 }] };
    const single = { message: 'object form', token: 'abc', user: { password: 'y' } };
    log.info('meta', meta);
    log.info(single);
    expect(meta).toEqual({ user: { password: 'x', id: 1 }, list: [{ pin: 1 }, { pin: 2 }] });
    expect(single.token).toBe('abc');
    expect(single.user).toEqual({ password: 'y' });
    expect(JSON.parse(out.lines[0]!)).toEqual({ level: 'info', message: 'meta', user: { password: '[REDACTED]', id: 1 }, list: [{ pin: '[REDACTED]' }, { pin: '[REDACTED]' }] });
    expect(JSON.parse(out.lines[1]!)).toEqual({ level: 'info', message: 'object form', token: '[REDACTED]', user: { password: '[REDACTED]' } });
  });

  it('redacts @PersonalData class instances in metadata', () => {
    class Customer {
      @PersonalData({ category: 'user.name' }) nickname = 'Ada';
      tier = 'gold';
    }
    const { log, out } = logger(combine(redactPii(), json()));
    log.info('customer seen', { customer: new Customer() });
    expect(JSON.parse(out.lines[0]!).customer).toEqual({ nickname: '[REDACTED:name]', tier: 'gold' });
  });

  it('redacts a plain row shaped like an annotated class as that class, its name included', () => {
    class PatientRecord {
      @PersonalData({ category: 'user.name' }) name = '';
      @PersonalData({ category: 'user.contact.email' }) email = '';
      @PersonalData({ category: 'user.demographic.date_of_birth' }) dateOfBirth = '';
      ward = '';
    }
    expect(new PatientRecord().ward).toBe('');
    // A row as a database driver returns it: a plain object, not an instance of the class.
    const row = { id: 'patient-3', name: 'Testname Generated', email: 'patient-3@example.test', date_of_birth: '1970-01-02', ward: 'ward-2' };
    const { log, out } = logger(combine(redactPii(), json()));
    log.info('loaded', { user: row });
    expect(JSON.parse(out.lines[0]!).user).toEqual({ id: 'patient-3', name: '[REDACTED:name]', email: '[REDACTED:email]', date_of_birth: '[REDACTED:date_of_birth]', ward: 'ward-2' });
  });

  it('passes its options to the redactor', () => {
    const { log, out } = logger(combine(redactPii({ paths: ['order.note'], detectors: { email: false } }), json()));
    log.info('a@example.com', { order: { note: 'leave at door' } });
    expect(JSON.parse(out.lines[0]!)).toEqual({ level: 'info', message: 'a@example.com', order: { note: '[REDACTED]' } });
  });

  it('refuses bad options when the format is created', () => {
    expect(() => redactPii({ replacement: 'hash' })).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
  });

  it('refuses an unknown option in its own name and suggests the closest one', () => {
    expect(() => redactPii({ path: ['user.password'] } as never)).toThrow(
      expect.objectContaining({
        code: 'PK_INVALID_OPTION',
        package: '@privacy-kit/winston',
        message: expect.stringMatching(/^@privacy-kit\/winston: redactPii\(\): unknown option 'path'\. Did you mean 'paths'\?/),
      }),
    );
  });

  it('emits a placeholder record with the level kept when redaction fails', () => {
    const format = redactPii({ replacement: () => { throw new Error('bug'); } });
    const info = { level: 'info', message: 'alice@example.com', [LEVEL]: 'info' };
    const out = format.transform(info) as Record<string | symbol, unknown>;
    expect(out.message).toBe('[REDACTED:redaction-failed]');
    expect(out[LEVEL]).toBe('info');
  });
});
