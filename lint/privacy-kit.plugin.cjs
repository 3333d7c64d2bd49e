'use strict';
/**
 * privacy-kit's own lint rules (issue 12), loaded by eslint.config.mjs.
 *
 * `privacy-kit/no-cycle` is import-x's `no-cycle`, run so that type imports count: an `import type` cycle is still
 * a cycle in the design (the layers of a package must point one way), even though TypeScript erases it. import-x's
 * rule skips type-only imports unconditionally (it has no option for them), in two places: the import statement of
 * the file being linted (handled here, by showing the rule a value import) and the modules it reads along the
 * chain (handled by `value-imports.parser.cjs`, set as `import-x/parsers`).
 */
const path = require('node:path');
const importX = require('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = require('eslint-import-resolver-typescript');

const { rules } = importX;

const baseNoCycle = rules['no-cycle'];

/** The same node, read as a value import (the rule only reads `importKind` on the statement and its specifiers). */
function asValueImport(node) {
  if (node.importKind !== 'type' && node.importKind !== 'typeof' && !(node.specifiers ?? []).some((s) => s.importKind === 'type')) return node;
  return {
    ...node,
    importKind: 'value',
    ...(node.specifiers === undefined ? {} : { specifiers: node.specifiers.map((s) => ({ ...s, importKind: 'value' })) }),
  };
}

const noCycle = {
  meta: {
    ...baseNoCycle.meta,
    docs: {
      ...baseNoCycle.meta.docs,
      description: "import-x's no-cycle, with type imports counted: no module may import a module that leads back to it.",
    },
  },
  defaultOptions: baseNoCycle.defaultOptions,
  create(context) {
    const listeners = baseNoCycle.create(context);
    const wrapped = { ...listeners };
    for (const type of ['ImportDeclaration', 'TSImportEqualsDeclaration']) {
      const listener = listeners[type];
      if (listener !== undefined) wrapped[type] = (node) => listener(asValueImport(node));
    }
    return wrapped;
  },
};

const plugin = {
  meta: { name: 'privacy-kit', version: '1' },
  rules: { 'no-cycle': noCycle },
};

/**
 * The flat-config block that forbids import cycles, type imports included, for the files of one TypeScript project:
 * imports resolve as TypeScript resolves them (its `paths` included, so a cycle through another package's door
 * counts), and dependencies in node_modules are not read (no cycle can run through them).
 *
 * @param {string} tsconfig - absolute path of the tsconfig.json whose `paths` resolve the imports
 */
function noCycleConfig(tsconfig) {
  return {
    plugins: { 'import-x': importX, 'privacy-kit': plugin },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/ignore': ['/node_modules/'],
      'import-x/parsers': { [path.join(__dirname, 'value-imports.parser.cjs')]: ['.ts', '.mts', '.cts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: tsconfig })],
    },
    rules: {
      'privacy-kit/no-cycle': ['error', { allowUnsafeDynamicCyclicDependency: false, commonjs: true }],
    },
  };
}

module.exports = { ...plugin, noCycleConfig };
