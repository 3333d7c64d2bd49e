/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-implied-eval -- this test compiles decorated source and runs it; what it exports is untyped */
import ts from 'typescript';
import * as core from '@privacy-kit/core';

/** The same annotated classes, compiled once per TypeScript decorator mode. */
const SOURCE = `
import { PersonalData, RequiresConsent } from '@privacy-kit/core';

export class Account {
  @PersonalData({ category: 'user.contact.email' })
  email = '';

  @PersonalData({ category: 'user.demographic.date_of_birth', retention: '2y' })
  birthday = '';

  plan = 'free';
}

export class PremiumAccount extends Account {
  @PersonalData({ category: 'user.financial.bank_account' })
  iban = '';
}

export class AccountController {
  @PersonalData({ models: [Account], purpose: 'essential.service', basis: 'contract' })
  profile() { return 'profile'; }

  @PersonalData({ categories: ['user.behavior.purchase_history'], purpose: 'personalize.content' })
  @RequiresConsent('personalize.content')
  recommendations() { return 'recs'; }
}
`;

const BROKEN = `
import { PersonalData } from '@privacy-kit/core';
export class Broken {
  @PersonalData({ category: 'user.contact.emial' })
  email = '';
}
`;

function compileAndRun(source: string, experimentalDecorators: boolean): { exports: Record<string, any>; js: string } {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators,
      emitDecoratorMetadata: false,
      useDefineForClassFields: true,
    },
  });
  const module = { exports: {} as Record<string, any> };
  const requireCore = (name: string): unknown => {
    if (name === '@privacy-kit/core') return core;
    throw new Error(`unexpected import ${name}`);
  };
  new Function('require', 'module', 'exports', outputText)(requireCore, module, module.exports);
  return { exports: module.exports, js: outputText };
}

function describeAnnotations(exports: Record<string, any>) {
  const fields = (c: Function) => core.getPersonalFields(c);
  return {
    account: fields(exports.Account),
    premium: fields(exports.PremiumAccount),
    profile: core.getProcessing(exports.AccountController.prototype.profile),
    recommendations: core.getProcessing(exports.AccountController.prototype.recommendations),
    methods: core.getProcessingMethods(exports.AccountController).map((m) => m.method),
  };
}

describe('decorators under both TypeScript decorator modes', () => {
  const legacy = compileAndRun(SOURCE, true);
  const standard = compileAndRun(SOURCE, false);

  it('compiles legacy mode with __decorate and standard mode with __esDecorate, neither emitting design:type', () => {
    expect(legacy.js).toContain('__decorate');
    expect(standard.js).toContain('__esDecorate');
    expect(legacy.js + standard.js).not.toContain('design:type');
  });

  it('records the same fields and declarations in both modes', () => {
    const a = describeAnnotations(legacy.exports);
    const b = describeAnnotations(standard.exports);
    expect(b.account).toEqual(a.account);
    expect(b.premium).toEqual(a.premium);
    expect({ ...b.profile, models: [] }).toEqual({ ...a.profile, models: [] });
    expect(b.recommendations).toEqual(a.recommendations);
    expect(b.methods).toEqual(a.methods);
  });

  it.each([['legacy', legacy], ['standard', standard]] as const)('gives the subclass its parent fields without changing the parent (%s)', (_mode, compiled) => {
    const { account, premium } = describeAnnotations(compiled.exports);
    expect(account.map((f) => f.property)).toEqual(['email', 'birthday']);
    expect(premium.map((f) => f.property)).toEqual(['email', 'birthday', 'iban']);
  });

  it.each([['legacy', legacy], ['standard', standard]] as const)('resolves consent routes (%s)', (_mode, compiled) => {
    const { recommendations, profile } = describeAnnotations(compiled.exports);
    expect(recommendations).toEqual(expect.objectContaining({ basis: 'consent', consentPurposes: ['personalize.content'] }));
    expect(profile?.categories).toEqual(['user.contact.email', 'user.demographic.date_of_birth']);
  });

  it.each([[true, /Broken\.email/], [false, /field 'email'/]] as const)('refuses an unknown key when the class is defined (legacy=%s)', (mode, where) => {
    expect(() => compileAndRun(BROKEN, mode)).toThrow(where);
    expect(() => compileAndRun(BROKEN, mode)).toThrow(/Did you mean 'user\.contact\.email'\?/);
  });
});
