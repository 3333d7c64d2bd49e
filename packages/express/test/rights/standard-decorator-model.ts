import ts from 'typescript';
import * as core from '@privacy-kit/core';

/**
 * A patient record annotated the way an app compiled with standard (TC39) decorators writes it: `@PersonalData`
 * works in that mode, class-validator's decorators do not (TS1240), so the model carries no validation rules.
 */
const SOURCE = `
import { PersonalData } from '@privacy-kit/core';

export class PatientRecord {
  @PersonalData({ category: 'user.unique_id' })
  id = '';

  @PersonalData({ category: 'user.name' })
  name = '';

  @PersonalData({ category: 'user.contact.email' })
  email = '';
}
`;

/** What compiling {@link SOURCE} gives, and the emitted JavaScript (to prove the decorator mode). */
export interface CompiledModel {
  readonly PatientRecord: abstract new () => unknown;
  readonly js: string;
}

/** Compiles the model with standard decorators (experimentalDecorators off, no design:type) and loads it. */
export function compileStandardDecoratorModel(): CompiledModel {
  const { outputText } = ts.transpileModule(SOURCE, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: false, emitDecoratorMetadata: false, useDefineForClassFields: true },
  });
  const module = { exports: {} as Record<string, unknown> };
  const requireCore = (name: string): unknown => {
    if (name === '@privacy-kit/core') return core;
    throw new Error(`unexpected import ${name}`);
  };
  // Runs the model compiled with standard decorators, the way a user's build would load it.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test compiles its own fixed source
  new Function('require', 'module', 'exports', outputText)(requireCore, module, module.exports);
  return { PatientRecord: module.exports.PatientRecord as CompiledModel['PatientRecord'], js: outputText };
}
