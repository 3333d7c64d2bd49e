import { IsString } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';
import { privacy } from '@privacy-kit/express';
import { resolveRightsOptions } from '../../src/rights/rights.options';
import { appWith, tempStore, type TempStore } from '../support/test-app';
import { FakeDb, UserRecord } from '../rights/rights-fixtures';
import { compileStandardDecoratorModel } from '../rights/standard-decorator-model';

class NoValidation {
  @PersonalData({ category: 'user.name' })
  name!: string;
}

class NotPersonal {
  @IsString()
  plan!: string;
}

describe('registering data sources', () => {
  let t: TempStore;
  const db = new FakeDb();

  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  function expectRejected(sources: Record<string, unknown>, message: RegExp): void {
    let thrown: unknown;
    try {
      appWith(t.store, { sources: sources as never });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/express: /) });
    expect((thrown as Error).message).toMatch(message);
  }

  it('accepts sources given to privacy() and later with kit.registerSource()', async () => {
    const { kit } = appWith(t.store, { sources: { users: db.usersSource } });
    kit.registerSource('orders', db.ordersSource);
    expect(kit.rights.sources.list().map((s) => s.name)).toEqual(['users', 'orders']);
    expect([...(kit.rights.sources.get('users')?.rectifiable ?? [])]).toEqual(['name', 'email', 'birthday']);
    expect(() => kit.registerSource('orders', db.ordersSource)).toThrow(/source 'orders': is already registered/);
    kit.dispose();
  });

  it('refuses a model without @PersonalData fields', () => {
    expectRejected({ plans: { model: NotPersonal, export: () => null, erase: () => undefined } }, /source 'plans': model NotPersonal has no @PersonalData fields/);
  });

  it('refuses a source that gives nothing to do', () => {
    expectRejected({ users: { model: UserRecord } }, /gives none of export, erase, rectify or purge/);
  });

  it('refuses a source that cannot erase unless it says why its data is kept', () => {
    expectRejected({ users: { model: UserRecord, export: () => null } }, /cannot erase\. Give erase\(subjectId\), mark it manual: true, or .*keepOnErasure/);
  });

  it('refuses a manual source that also gives functions', () => {
    expectRejected({ archive: { model: UserRecord, manual: true, erase: () => undefined } }, /is manual but also gives erase\(\)/);
  });

  it('refuses rectify() when no personal field has validation rules', () => {
    expectRejected({ people: { model: NoValidation, erase: () => undefined, rectify: () => undefined } }, /no personal field of NoValidation has class-validator rules/);
  });

  it('refuses rectify() on a model compiled with standard decorators, naming validate(patch) as the way to check patches', () => {
    const { PatientRecord } = compileStandardDecoratorModel();
    expectRejected({ patients: { model: PatientRecord, erase: () => undefined, rectify: () => undefined } }, /class-validator's decorators need experimentalDecorators.*give validate\(patch\)/);
  });

  it('accepts rectify() on a model without class-validator rules when the source gives validate(patch), identifiers excepted', () => {
    const { PatientRecord } = compileStandardDecoratorModel();
    const { kit } = appWith(t.store, { sources: { patients: { model: PatientRecord, erase: () => undefined, rectify: () => undefined, validate: () => [] } } });
    expect([...(kit.rights.sources.get('patients')?.rectifiable ?? [])]).toEqual(['name', 'email']);
    kit.dispose();
  });

  it('lets a source with validate(patch) list rectifiable fields that carry no class-validator rules', () => {
    const { kit } = appWith(t.store, { sources: { people: { model: NoValidation, erase: () => undefined, rectify: () => undefined, validate: () => [], rectifiable: ['name'] } } });
    expect([...(kit.rights.sources.get('people')?.rectifiable ?? [])]).toEqual(['name']);
    kit.dispose();
  });

  it('refuses a validate that is not a function', () => {
    expectRejected({ users: { ...db.usersSource, validate: { email: 'isEmail' } } }, /source 'users': 'validate' must be a function \(patch\) => problems/);
  });

  it('refuses validate(patch) on a source that cannot be rectified', () => {
    expectRejected({ orders: { ...db.ordersSource, validate: () => [] } }, /source 'orders': gives validate\(patch\), which checks rectification patches, but neither rectify\(\) nor manual: true/);
  });

  it("explains why a class-validator schema ('schema') is not taken, and what to give instead", () => {
    expectRejected({ users: { ...db.usersSource, schema: 'UserRecordPatch' } }, /unknown key 'schema'\. class-validator's registerSchema\(\) .*every class-validator validate\(\) in the process.*give validate\(patch\)/);
  });

  it('refuses a rectifiable field that is not personal or has no rules', () => {
    expectRejected({ users: { ...db.usersSource, rectifiable: ['plan'] } }, /rectifiable field 'plan' is not a @PersonalData field of UserRecord/);
    expectRejected({ people: { model: NoValidation, erase: () => undefined, rectifiable: ['name'] } }, /rectifiable field 'name' has no class-validator rules/);
  });

  it('names the key it does not know and suggests the right one', () => {
    expectRejected({ users: { ...db.usersSource, delete: () => undefined } }, /unknown key 'delete'\. Did you mean 'erase'\?/);
  });

  it('suggests the closest key for a misspelt one', () => {
    expectRejected({ users: { ...db.usersSource, exprt: () => undefined } }, /source 'users': unknown key 'exprt'\. Did you mean 'export'\?/);
  });

  it('suggests the closest rights option for a misspelt one', () => {
    expect(() => resolveRightsOptions({ duein: '1m' } as never)).toThrow(/privacy\(\{ rights \}\): unknown option 'duein'\. Did you mean 'dueIn'\?/);
  });

  it('refuses a bad name and a bad retention', () => {
    expectRejected({ 'my users': db.usersSource }, /"my users" is not a source name/);
    let thrown: unknown;
    try {
      appWith(t.store, { sources: { users: { ...db.usersSource, retention: 'forever' } } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'PK_INVALID_RETENTION' });
  });

  it('validates the rights options', () => {
    expect(() => resolveRightsOptions({ dueIn: 'soon' })).toThrow(/retention "soon" is not a period/);
    expect(() => resolveRightsOptions({ deadline: '1m' } as never)).toThrow(/privacy\(\{ rights \}\): unknown option 'deadline'/);
    expect(() => privacy({ store: t.store, pseudonymKey: 'k'.repeat(32), identify: () => null, sources: [] as never })).toThrow(/expected an object of sources by name/);
  });
});
