import { parsePath } from '../../src/paths/path-parser';

describe('redaction path syntax', () => {
  it('parses dotted keys', () => {
    expect(parsePath('user.profile.email')).toEqual([
      { kind: 'key', key: 'user' },
      { kind: 'key', key: 'profile' },
      { kind: 'key', key: 'email' },
    ]);
  });

  it('parses indexes, quoted keys and wildcards', () => {
    expect(parsePath('req.headers["x-api-key"]')).toEqual([{ kind: 'key', key: 'req' }, { kind: 'key', key: 'headers' }, { kind: 'key', key: 'x-api-key' }]);
    expect(parsePath("a['b.c'][0][*].*")).toEqual([{ kind: 'key', key: 'a' }, { kind: 'key', key: 'b.c' }, { kind: 'key', key: '0' }, { kind: 'star' }, { kind: 'star' }]);
    expect(parsePath('**.password')).toEqual([{ kind: 'globstar' }, { kind: 'key', key: 'password' }]);
  });

  it.each([
    ['', 'non-empty'],
    ['a..b', 'empty segment'],
    ['a.', 'empty segment'],
    ['a[b]', 'brackets hold'],
    ['a["b]', 'unclosed quote'],
    ['a[0', "unclosed '['"],
    ['a.pass*', 'whole segment'],
    ['a]b', "unexpected ']'"],
  ])('refuses %j and says where and why', (path, problem) => {
    expect(() => parsePath(path)).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining(problem) }),
    );
  });
});
