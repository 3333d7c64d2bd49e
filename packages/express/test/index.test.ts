import * as door from '@privacy-kit/express';

describe('the public door of @privacy-kit/express', () => {
  // The full list of exported names is pinned for every package in test/consumer-setup/public-surface.json.
  it('keeps the engine and other internals behind the door', () => {
    for (const internal of ['PrivacyEngine', 'compileRoute', 'DataSourceRegistry', 'RightsService', 'DriftRecorder', 'HANDLER_TARGET', 'ConsentCache', 'resolvePrivacyOptions']) {
      expect(door).not.toHaveProperty(internal);
    }
  });
});
