import { PersonalData } from '@privacy-kit/core';

describe('the metadata registry', () => {
  it('is shared by two installed copies of @privacy-kit/core', () => {
    let copyA: typeof import('@privacy-kit/core') | undefined;
    let copyB: typeof import('@privacy-kit/core') | undefined;
    jest.isolateModules(() => {
      copyA = require('@privacy-kit/core');
    });
    jest.isolateModules(() => {
      copyB = require('@privacy-kit/core');
    });
    expect(copyA).not.toBe(copyB);
    class Shared {}
    copyA?.definePersonalData(Shared, 'email', { category: 'user.contact.email' });
    expect(copyB?.getPersonalFields(Shared).map((f) => f.property)).toEqual(['email']);
  });

  it('is stored under a Symbol.for key on globalThis', () => {
    class Seen {
      @PersonalData({ category: 'user.name' })
      name!: string;
    }
    const registry = (globalThis as Record<symbol, { classes: Set<Function> }>)[Symbol.for('privacy-kit.registry.v1')];
    expect(registry?.classes.has(Seen)).toBe(true);
  });
});
