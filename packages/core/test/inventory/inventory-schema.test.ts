import Ajv from 'ajv';
import { INVENTORY_SCHEMA, INVENTORY_SCHEMA_VERSION, buildInventory } from '@privacy-kit/core';
import { INVENTORY_SCHEMA_ID } from '../../src/inventory/inventory.model';
import { sampleInventory } from './sample-inventory';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(INVENTORY_SCHEMA);

describe('the inventory JSON Schema', () => {
  it('is versioned: its $id names the version and every inventory points at it', () => {
    expect(INVENTORY_SCHEMA.$id).toBe(INVENTORY_SCHEMA_ID);
    expect(INVENTORY_SCHEMA_ID).toContain(`/v${INVENTORY_SCHEMA_VERSION}.json`);
    expect(sampleInventory()).toMatchObject({ $schema: INVENTORY_SCHEMA_ID, schemaVersion: INVENTORY_SCHEMA_VERSION });
  });

  it('accepts an inventory with every kind of route, model, problem and observation, once serialised', () => {
    const json = JSON.parse(JSON.stringify(sampleInventory())) as unknown;
    expect(validate(json)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('accepts an empty inventory', () => {
    expect(validate(JSON.parse(JSON.stringify(buildInventory({ routes: [], models: [] }))))).toBe(true);
  });

  it('rejects a route with an unknown rule or a missing field', () => {
    const json = JSON.parse(JSON.stringify(sampleInventory())) as { routes: Record<string, unknown>[] };
    (json.routes[0] as { problems: unknown[] }).problems.push({ rule: 'no-such-rule', message: 'x' });
    delete json.routes[1]?.handler;
    expect(validate(json)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/routes/0/problems/0/rule', '/routes/1']));
  });

  it("requires each category's time limit: a period or null, and who declared it", () => {
    const json = JSON.parse(JSON.stringify(sampleInventory())) as { retention: Record<string, unknown>[] };
    expect(json.retention).toEqual(expect.arrayContaining([
      { category: 'user.contact.email', retention: { text: '3y', amount: 3, unit: 'year' }, declaredBy: ['field SampleCustomer.email'] },
      { category: 'user.name', retention: null, declaredBy: [] },
    ]));
    expect(validate(json)).toBe(true);
    (json.retention[0] as { retention: unknown }).retention = { text: '3 fortnights', amount: 3, unit: 'fortnight' };
    delete json.retention[1]?.declaredBy;
    expect(validate(json)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/retention/0/retention/unit', '/retention/1']));
    const without = JSON.parse(JSON.stringify(sampleInventory())) as Record<string, unknown>;
    delete without.retention;
    expect(validate(without)).toBe(false);
  });
});
