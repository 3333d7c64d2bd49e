// ESLint for the whole repository (issue 12): `npm run lint`, run by `npm test`.
//
// - typescript-eslint's recommended rules, type-aware for TypeScript (one program from ./tsconfig.json, the same
//   one `npm run typecheck` builds; the whole lint takes about 20 s of CPU).
// - privacy-kit/no-cycle: no import cycle in or across packages, type imports included (import-x's no-cycle,
//   resolved through eslint-import-resolver-typescript and the root tsconfig's paths; lint/privacy-kit.plugin.cjs).
// - Doors: nobody imports another package's internals, only its door (`@privacy-kit/<name>` and the listed
//   subpaths), neither by a deep name nor by a relative path that climbs into the other package.
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { noCycleConfig } from './lint/privacy-kit.plugin.cjs';

/** The library packages; each has one door, `src/index.ts` (core also the subpaths below). */
const PACKAGES = ['core', 'redact', 'express', 'winston', 'pino', 'sqlite', 'postgres', 'cli'];

/** Subpaths a package's `exports` opens besides its main door. */
const ALLOWED_SUBPATHS = ['@privacy-kit/core/testing', '@privacy-kit/core/store', '@privacy-kit/cli/inventory.schema.json'];

/** The files behind those doors, relative to a package's src/ or dist/ (`@privacy-kit/x` resolves to them). */
const DOOR_FILES = ['index', 'testing/index', 'stores/index'].flatMap((door) => [`./${door}.ts`, `./${door}.js`, `./${door}.d.ts`]);

/** A relative path that climbs into another package's src/ or dist/ (from the root, or from inside packages/). */
const CLIMB_INTO_PACKAGE = `^(\\.\\./)+(packages/)?(${PACKAGES.join('|')})/(src|dist)(/|$)`;

const TYPESCRIPT_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];
const JAVASCRIPT_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];
const TEST_FILES = ['packages/*/test/**', 'test/**', 'bench/**'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', 'test-output/**', '.tmp/**', 'bench/tmp/**'] },

  {
    files: TYPESCRIPT_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A rejection caught from a store or a user's function is passed on as it came, whatever it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: JAVASCRIPT_FILES,
    extends: [tseslint.configs.recommended],
    rules: {
      // Plain CommonJS run by node (the bin, benches, child-process fixtures, these lint modules): require() is
      // how they import, so the door rules below also look at require() here.
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': [
        'error',
        {
          // esquery's regex literals cannot hold a '/', hence \x2F.
          selector: `CallExpression[callee.name='require'] > Literal[value=/${`${CLIMB_INTO_PACKAGE}|^@privacy-kit/[a-z-]+/(src|dist)/`.replaceAll('/', '\\x2F')}/]`,
          message: "Require a package through its door ('@privacy-kit/<name>'), never its src/ or dist/ files.",
        },
      ],
    },
  },

  noCycleConfig(fileURLToPath(new URL('./tsconfig.json', import.meta.url))),
  {
    rules: {
      // `_name` marks a parameter a signature needs but the body does not; `{ dropped, ...rest }` omits a key.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: CLIMB_INTO_PACKAGE, message: 'Import another package through its door, never by a relative path into its files.' },
            {
              group: ['@privacy-kit/*/**', ...ALLOWED_SUBPATHS.map((subpath) => `!${subpath}`)],
              message: `Import a package through its door ('@privacy-kit/<name>', or ${ALLOWED_SUBPATHS.join(', ')}), never its src/ or dist/ files.`,
            },
          ],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: PACKAGES.map((name) => ({
            target: [`./packages/!(${name})/**`, './test/**', './bench/**', './examples/**'],
            from: [`./packages/${name}/src`, `./packages/${name}/dist`],
            except: DOOR_FILES,
            message: `Import @privacy-kit/${name} through its door ('@privacy-kit/${name}'), never its files.`,
          })),
        },
      ],
    },
  },
  {
    // Code that ships or runs as an app reaches another package only by its name, never by a relative path.
    files: ['packages/*/src/**', 'examples/*/src/**'],
    rules: { 'import-x/no-relative-packages': 'error' },
  },

  {
    files: TEST_FILES,
    rules: {
      // supertest's `res.body`, JSON.parse and child-process output are `any` by design; the test's expect() is
      // the check of their shape.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(obj.method) and expect(() => ...).toThrow() take methods as values on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Tests load a fresh copy of a module inside jest.isolateModules(), and plain-JS fixtures, with require().
      '@typescript-eslint/no-require-imports': 'off',
      // Test doubles implement async contracts (stores, data sources, tamper harnesses) with synchronous bodies.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    rules: {
      // Classes are values here: decorator targets, registry keys, handlers found by the Express router walk.
      // `Function` is the type TypeScript gives them (`ClassDecorator`, `Object#constructor`), and narrowing it would
      // change public signatures such as getPersonalFields(Class).
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
);
