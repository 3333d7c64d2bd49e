import request from 'supertest';
import { resolveGpcOptions } from '../../src/gpc/gpc.options';
import { appWith, tempStore, type TempStore } from '../support/test-app';

describe('GET /.well-known/gpc.json', () => {
  let t: TempStore;

  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('says the site abides by GPC, as application/json', async () => {
    const { app, kit } = appWith(t.store);
    const res = await request(app).get('/.well-known/gpc.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({ gpc: true });
    kit.dispose();
  });

  it('includes lastUpdate when configured', async () => {
    const { app, kit } = appWith(t.store, { gpc: { lastUpdate: '2026-05-01' } });
    const res = await request(app).get('/.well-known/gpc.json');
    expect(res.body).toEqual({ gpc: true, lastUpdate: '2026-05-01' });
    kit.dispose();
  });

  it('is left to the app with wellKnown: false', async () => {
    const { app, kit } = appWith(t.store, { gpc: { wellKnown: false } });
    app.get('/.well-known/gpc.json', (_req, res) => { res.json({ gpc: false }); });
    const res = await request(app).get('/.well-known/gpc.json');
    expect(res.body).toEqual({ gpc: false });
    kit.dispose();
  });

  it('validates the gpc options', () => {
    expect(() => resolveGpcOptions({ lastUpdate: 'May 2026' })).toThrow(/'lastUpdate' must be an RFC 3339 date such as '2026-05-01'/);
    expect(() => resolveGpcOptions({ record: 'yes' as never })).toThrow(/'record' must be true or false/);
    expect(() => resolveGpcOptions({ recordSignal: true } as never)).toThrow(/unknown option 'recordSignal'/);
    expect(resolveGpcOptions(undefined)).toEqual({ record: false, wellKnown: true, lastUpdate: undefined });
  });

  it('suggests the closest gpc option for a misspelt one', () => {
    expect(() => resolveGpcOptions({ wellknown: true } as never)).toThrow(/privacy\(\{ gpc \}\): unknown option 'wellknown'\. Did you mean 'wellKnown'\?/);
  });
});
