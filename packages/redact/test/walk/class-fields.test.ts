import { definePersonalData } from '@privacy-kit/core';
import { createRedactor, findPersonalData } from '@privacy-kit/redact';
import { inspect } from 'node:util';

describe('declared @PersonalData field names', () => {
  class Member {
    constructor(
      public nickname: string,
      public code: string,
    ) {}
  }
  definePersonalData(Member, 'nickname', { category: 'user.name' });
  definePersonalData(Member, 'code', { category: 'user.unique_id' });
  const redact = createRedactor();

  it('are redacted inside instances of their class', () => {
    expect(redact({ m: new Member('ada', 'M-1') })).toEqual({ m: { nickname: '[REDACTED:name]', code: '[REDACTED:unique_id]' } });
  });

  it('are sensitive keys in plain-object copies and in inspected text (%o), too', () => {
    expect(redact({ nickname: 'ada' })).toEqual({ nickname: '[REDACTED:name]' });
    expect(redact.text(inspect(new Member('ada', 'M-1')))).toContain("nickname: '[REDACTED:name]'");
    expect(findPersonalData({ nickname: 'ada' })).toEqual(['user.name']);
  });

  it('except generic names, which would redact every log line’s field of that name', () => {
    expect(redact({ code: 'E_TIMEOUT' })).toEqual({ code: 'E_TIMEOUT' });
  });
});
