import { PrivacyKitError, defineOptionKeys, isPrivacyKitError, packageErrors, rejectUnknownOptions } from '@privacy-kit/core';

interface DemoOptions {
  readonly filename?: string;
  readonly auditKey: string;
  readonly busyTimeoutMs?: number;
}

const DEMO_KEYS = defineOptionKeys<DemoOptions>({ filename: true, auditKey: true, busyTimeoutMs: true });

describe('PrivacyKitError carries its package apart from the problem', () => {
  it('prefixes the message with the package and keeps the problem on its own', () => {
    const error = packageErrors('@privacy-kit/sqlite').error('PK_INVALID_OPTION', "'filename' must be a path.");
    expect(error).toMatchObject({
      name: 'PrivacyKitError',
      code: 'PK_INVALID_OPTION',
      package: '@privacy-kit/sqlite',
      problem: "'filename' must be a path.",
      message: "@privacy-kit/sqlite: 'filename' must be a path.",
    });
    expect(isPrivacyKitError(error, 'PK_INVALID_OPTION')).toBe(true);
  });

  it('reads the package from a message written with its prefix', () => {
    const error = new PrivacyKitError('PK_CONFIG', '@privacy-kit/express: 2 privacy configuration problem(s).');
    expect({ package: error.package, problem: error.problem }).toEqual({ package: '@privacy-kit/express', problem: '2 privacy configuration problem(s).' });
  });

  it('serialises the package and the problem but never the cause', () => {
    const error = packageErrors('@privacy-kit/core').error('PK_IO', 'cannot write the checkpoint file.', { cause: new Error('driver text') });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PrivacyKitError', code: 'PK_IO', package: '@privacy-kit/core', message: '@privacy-kit/core: cannot write the checkpoint file.', problem: 'cannot write the checkpoint file.',
    });
  });
});

describe('one known-keys check for every options type', () => {
  const { error } = packageErrors('@privacy-kit/sqlite');

  it('accepts options that use only known keys', () => {
    expect(() => rejectUnknownOptions({ filename: 'x.db', auditKey: 'k' }, DEMO_KEYS, 'createSqliteStore()', error)).not.toThrow();
  });

  it('refuses an unknown key with the closest known one and the full list', () => {
    expect(() => rejectUnknownOptions({ file: 'x.db', auditKey: 'k' }, DEMO_KEYS, 'createSqliteStore()', error)).toThrow(
      expect.objectContaining({
        code: 'PK_INVALID_OPTION',
        package: '@privacy-kit/sqlite',
        message: "@privacy-kit/sqlite: createSqliteStore(): unknown option 'file'. Did you mean 'filename'? Known options: filename, auditKey, busyTimeoutMs.",
      }),
    );
  });

  it('suggests the known key that a longer name starts with', () => {
    expect(() => rejectUnknownOptions({ filenamePath: 'x.db', auditKey: 'k' }, DEMO_KEYS, 'createSqliteStore()', error)).toThrow(
      /unknown option 'filenamePath'\. Did you mean 'filename'\?/,
    );
  });

  it('names every unknown key at once', () => {
    expect(() => rejectUnknownOptions({ fileName: 'x', auditkey: 'k', zzz: 1 }, DEMO_KEYS, 'createSqliteStore()', error)).toThrow(
      /unknown options 'fileName' \(did you mean 'filename'\?\), 'auditkey' \(did you mean 'auditKey'\?\), 'zzz'\. Known options/,
    );
  });

  it('suggests the key an alias stands for, when no spelling rule finds it', () => {
    expect(() => rejectUnknownOptions({ url: 'x', auditKey: 'k' }, DEMO_KEYS, 'createStore()', error, { url: 'filename' })).toThrow(
      "@privacy-kit/sqlite: createStore(): unknown option 'url'. Did you mean 'filename'? Known options: filename, auditKey, busyTimeoutMs.",
    );
  });

  it('ties the key list to the options type at compile time', () => {
    // @ts-expect-error a key the options type does not have is a compile error
    defineOptionKeys<DemoOptions>({ filename: true, auditKey: true, busyTimeoutMs: true, extra: true });
    // @ts-expect-error leaving out a key of the options type is a compile error
    defineOptionKeys<DemoOptions>({ filename: true, auditKey: true });
    expect(DEMO_KEYS).toEqual(['filename', 'auditKey', 'busyTimeoutMs']);
  });
});
