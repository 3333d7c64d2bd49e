import request from 'supertest';
import type { PrivacyKitError } from '@privacy-kit/core';
import type { DataSource, PatchProblem } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';
import { compileStandardDecoratorModel } from './standard-decorator-model';

/** Rectification of a source whose model is compiled with standard decorators, checked by the source's validate(patch). */
describe('POST /privacy/me/rectification with validate(patch)', () => {
  const { PatientRecord, js } = compileStandardDecoratorModel();
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;
  let patients: Map<string, { id: string; name: string; email: string }>;
  let seen: Readonly<Record<string, unknown>>[];
  let reported: PrivacyKitError[];

  /** The app's own rules, written without any decorator. */
  function checkPatch(patch: Readonly<Record<string, unknown>>): PatchProblem[] {
    seen.push(patch);
    const problems: PatchProblem[] = [];
    if ('email' in patch && (typeof patch.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(patch.email))) problems.push({ property: 'email', messages: ['email must be an e-mail address'] });
    if ('name' in patch && (typeof patch.name !== 'string' || patch.name.length === 0 || patch.name.length > 80)) problems.push({ property: 'name', messages: ['name must be 1 to 80 characters'] });
    return problems;
  }

  function patientsSource(validate: DataSource['validate'] = checkPatch): DataSource {
    return {
      model: PatientRecord,
      erase: (id) => { patients.delete(id); },
      rectify: (id, patch) => { Object.assign(patients.get(id) ?? {}, patch); },
      validate,
    };
  }

  function build(source: DataSource = patientsSource()): void {
    setup?.kit.dispose();
    setup = appWith(t.store, { sources: { patients: source }, onError: (e) => { reported.push(e); } });
  }

  beforeEach(() => {
    t = tempStore();
    patients = new Map([['patient-1', { id: 'patient-1', name: 'Pat Example', email: 'pat@example.com' }]]);
    seen = [];
    reported = [];
    build();
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const rectify = (body: unknown) => request(setup.app).post('/privacy/me/rectification').set('Authorization', bearer('patient-1')).send(body as object);

  async function expectNothingChanged(): Promise<void> {
    expect(patients.get('patient-1')).toEqual({ id: 'patient-1', name: 'Pat Example', email: 'pat@example.com' });
    expect(await t.store.listRightsRequests({})).toEqual([]);
  }

  it('uses a model compiled with standard decorators (no legacy decorators, no design:type)', () => {
    expect(js).toContain('__esDecorate');
    expect(js).not.toContain('design:type');
  });

  it('applies a patch that validate(patch) accepts', async () => {
    const res = await rectify({ source: 'patients', patch: { email: 'pat.new@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body.request).toEqual(expect.objectContaining({ kind: 'rectification', status: 'completed', source: 'patients', fields: ['email'] }));
    expect(patients.get('patient-1')?.email).toBe('pat.new@example.com');
  });

  it('answers 400 with the problems validate(patch) returns, under patch., and changes nothing', async () => {
    const res = await rectify({ source: 'patients', patch: { email: 'not-an-address', name: '' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_body',
      problems: [
        { property: 'patch.email', messages: ['email must be an e-mail address'] },
        { property: 'patch.name', messages: ['name must be 1 to 80 characters'] },
      ],
    });
    await expectNothingChanged();
  });

  it('waits for an async validate(patch)', async () => {
    build(patientsSource(async (patch) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return checkPatch(patch);
    }));
    const res = await rectify({ source: 'patients', patch: { email: 'not-an-address' } });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ property: 'patch.email', messages: ['email must be an e-mail address'] }]);
    await expectNothingChanged();
  });

  it('gives validate(patch) only the personal fields a person may correct, and lists every problem together', async () => {
    const res = await rectify({ source: 'patients', patch: { id: 'patient-9', shoeSize: 44, email: 'bad' } });
    expect(res.status).toBe(400);
    expect(seen).toEqual([{ email: 'bad' }]);
    expect(res.body.problems).toEqual([
      { property: 'patch.id', messages: ["'id' cannot be corrected through this API"] },
      { property: 'patch.shoeSize', messages: ["'shoeSize' is not a personal data field of source 'patients'"] },
      { property: 'patch.email', messages: ['email must be an e-mail address'] },
    ]);
    await expectNothingChanged();
  });

  it('answers 500 source_failed when validate(patch) throws, reports it without its message, and changes nothing', async () => {
    build(patientsSource(() => { throw new Error('rules service down while checking pat@example.com'); }));
    const res = await rectify({ source: 'patients', patch: { email: 'pat.new@example.com' } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'source_failed', message: expect.stringMatching(/could not check the correction; nothing was changed/) });
    expect(reported).toEqual([expect.objectContaining({ code: 'PK_SOURCE_FAILED', message: expect.stringContaining("validate() of source 'patients' failed (Error)") })]);
    expect(reported[0]?.message).not.toContain('pat@example.com');
    await expectNothingChanged();
  });

  it.each([
    ['not a list', () => 'email is wrong'],
    ['a problem without messages', () => [{ property: 'email', messages: [] }]],
    ['a problem without a property', () => [{ messages: ['wrong'] }]],
  ])('answers 500 source_failed when validate(patch) returns %s', async (_name, validate) => {
    build(patientsSource(validate as never));
    const res = await rectify({ source: 'patients', patch: { email: 'pat.new@example.com' } });
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('source_failed');
    expect(reported).toEqual([expect.objectContaining({ code: 'PK_SOURCE_FAILED', message: expect.stringMatching(/validate\(\) of source 'patients' returned .*; return a list of \{ property, messages \}/) })]);
    await expectNothingChanged();
  });

  it('validates the patch of a manual source before queueing it', async () => {
    build({ model: PatientRecord, manual: true, validate: checkPatch });
    const res = await rectify({ source: 'patients', patch: { email: 'bad' } });
    expect(res.status).toBe(400);
    expect(await t.store.listRightsRequests({})).toEqual([]);
    const ok = await rectify({ source: 'patients', patch: { email: 'pat.new@example.com' } });
    expect(ok.status).toBe(202);
    expect(ok.body.request.status).toBe('waiting_manual');
  });
});
