import { DEPTH_LIMIT, createRedactor } from '@privacy-kit/redact';

const SPLAT = Symbol.for('splat');

describe("objects the top level's symbols hold again (winston's splat)", () => {
  it('redacts the metadata that info and its splat both hold once, so both hold the same redacted objects', () => {
    const meta = { user: { email: 'person-1@example.test', plan: 'gold' }, tags: ['a', 'b'] };
    const info = { level: 'info', message: 'm', ...meta, [SPLAT]: [meta] };
    const out = createRedactor()(info) as typeof info;
    const splat = out[SPLAT];
    expect(out.user).toEqual({ email: '[REDACTED:email]', plan: 'gold' });
    expect(splat[0]!.user).toBe(out.user);
    expect(meta.user.email).toBe('person-1@example.test');
  });

  it('walks an object again where reusing it would skip the depth limit that applies deeper down', () => {
    const deep = { b: { c: { note: 'reach person-2@example.test' } } };
    const info = { a: deep, [SPLAT]: [{ a: deep }] };
    const out = createRedactor({ maxDepth: 4 })(info) as { a: { b: { c: unknown } }; [SPLAT]: { a: { b: unknown } }[] };
    expect(out.a.b.c).toEqual({ note: 'reach [REDACTED:email]' });
    expect(out[SPLAT][0]!.a.b).toBe(DEPTH_LIMIT);
  });

  it('never takes a value replaced whole under a sensitive key for the same object under another key', () => {
    const secret = { user: 'svc-account', pass: 'generated-pass-1' };
    const info = { password: secret, [SPLAT]: [{ account: secret }] };
    const out = createRedactor()(info) as { password: unknown; [SPLAT]: { account: unknown }[] };
    expect(out.password).toBe('[REDACTED:password]');
    expect(out[SPLAT][0]!.account).toEqual({ user: 'svc-account', pass: '[REDACTED:password]' });
  });
});
