import type { Config } from 'jest';

/** Maps each workspace package to its source, so tests run against the code as written (no build needed). */
export const moduleNameMapper: Record<string, string> = {
  '^@privacy-kit/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
  '^@privacy-kit/core/store$': '<rootDir>/packages/core/src/stores/index.ts',
  '^@privacy-kit/(core|redact|express|winston|pino|sqlite|postgres|cli)$': '<rootDir>/packages/$1/src/index.ts',
  '^privacy-kit$': '<rootDir>/packages/privacy-kit/src/index.ts',
};

export const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
};

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // PostgreSQL suites need a server: `npm run test:postgres` runs them (jest.postgres.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.pg\\.test\\.ts$'],
  moduleNameMapper,
  transform,
  testTimeout: 20_000,
  maxWorkers: 2,
};

export default config;
