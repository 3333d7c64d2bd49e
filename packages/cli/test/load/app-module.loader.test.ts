import { loadAppModule } from '../../src/load/app-module.loader';

describe('loading the app module', () => {
  it('reports a module that does not exist as not found', async () => {
    await expect(loadAppModule('packages/cli/test/fixtures/nope.ts', { cwd: process.cwd() })).rejects.toMatchObject({
      code: 'PK_NOT_FOUND',
      problem: expect.stringMatching(/^no such module: packages\/cli\/test\/fixtures\/nope\.ts\./),
    });
  });
});
