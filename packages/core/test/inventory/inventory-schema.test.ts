import Ajv from 'ajv';
import { INVENTORY_SCHEMA, INVENTORY_SCHEMA_ID, INVENTORY_SCHEMA_VERSION, buildInventory } from '@privacy-kit/core';
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
});
