import * as door from '@privacy-kit/express';

describe('the public door of @privacy-kit/express', () => {
  it('exports exactly the values apps and tools use (review this list when it changes)', () => {
    expect(Object.keys(door).sort()).toEqual([
      'DEFAULT_ACCESS_LOG_LIMIT',
      'DEFAULT_ADMIN_ROLES',
      'DEFAULT_APP_ID',
      'DEFAULT_BASE_PATH',
      'DEFAULT_CONSENT_CACHE_SIZE',
      'DEFAULT_CONSENT_CACHE_TTL_MS',
      'DEFAULT_DRIFT_FLUSH_INTERVAL_MS',
      'DEFAULT_DRIFT_MAX_BODY_BYTES',
      'DEFAULT_DRIFT_SAMPLE_RATE',
      'DEFAULT_DRIFT_WARMUP',
      'DEFAULT_GPC_RECORD',
      'DEFAULT_GPC_WELL_KNOWN',
      'DEFAULT_RIGHTS_DUE_IN',
      'DEFAULT_STORE_TIMEOUT_MS',
      'Delete',
      'GPC_WELL_KNOWN_PATH',
      'Get',
      'MAX_ACCESS_LOG_LIMIT',
      'MIN_SWEEP_INTERVAL_MS',
      'Patch',
      'Post',
      'Put',
      'SUPPORTED_JWT_ALGORITHMS',
      'discoverApp',
      'discoverRoutes',
      'findPrivacyKit',
      'hasGpcSignal',
      'inventoryOf',
      'mountController',
      'personalData',
      'privacy',
      'privacyInfo',
      'requiresConsent',
      'trackSubApps',
    ]);
  });

  it('keeps the engine and other internals behind the door', () => {
    for (const internal of ['PrivacyEngine', 'compileRoute', 'DataSourceRegistry', 'RightsService', 'DriftRecorder', 'HANDLER_TARGET', 'ConsentCache', 'resolvePrivacyOptions']) {
      expect(door).not.toHaveProperty(internal);
    }
  });
});
