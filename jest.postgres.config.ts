import type { Config } from 'jest';
import { moduleNameMapper, transform } from './jest.config';

/** The suites that need a real PostgreSQL server; scripts/with-postgres.sh starts one and sets DATABASE_URL. */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test'],
  testMatch: ['**/*.pg.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper,
  transform,
  testTimeout: 60_000,
  maxWorkers: 1,
};

export default config;
