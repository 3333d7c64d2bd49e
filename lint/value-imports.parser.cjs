'use strict';
/**
 * The TypeScript parser, with every import and re-export read as a value import.
 *
 * Only for import-x's `import-x/parsers` setting, i.e. for the modules import-x reads while it follows an import
 * chain (the file being linted keeps its real parser). import-x's no-cycle steps over `import type` on purpose
 * (no runtime cycle); privacy-kit wants no cycle at all, type imports included (issue 12), so the chain it follows
 * must not know which imports are type-only.
 */
const { parser } = require('typescript-eslint');

/** Reads `import type` / `export type ... from` / `import x = require()` of one statement as value imports. */
function asValueImport(statement) {
  switch (statement.type) {
    case 'ImportDeclaration':
      statement.importKind = 'value';
      for (const specifier of statement.specifiers) if ('importKind' in specifier) specifier.importKind = 'value';
      break;
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration':
      statement.exportKind = 'value';
      for (const specifier of statement.specifiers ?? []) if ('exportKind' in specifier) specifier.exportKind = 'value';
      break;
    case 'TSImportEqualsDeclaration':
      statement.importKind = 'value';
      break;
    default:
      break;
  }
}

module.exports = {
  meta: { name: 'privacy-kit/value-imports-parser', version: '1' },
  parseForESLint(code, options) {
    const result = parser.parseForESLint(code, options);
    for (const statement of result.ast.body) asValueImport(statement);
    return result;
  },
};
