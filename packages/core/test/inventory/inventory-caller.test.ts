import Ajv from 'ajv';
import { INVENTORY_SCHEMA, buildInventory, renderInventory } from '@privacy-kit/core';

const byEmail = (req: { body: { email?: unknown } }) => req.body.email;

/** An app with a signup open to anyone, a contact form for anyone, and a profile for the signed-in person. */
const inventory = () => buildInventory({
  generatedAt: new Date('2026-11-22T10:00:00Z'),
  app: { name: 'members' },
  models: [],
  routes: [
    { method: 'post', path: '/signup', handler: 'signup', parts: [{ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract', caller: 'anonymous', subject: byEmail }] },
    { method: 'post', path: '/contact', handler: 'contact', parts: [{ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'legitimate_interests', caller: 'optional', subject: byEmail }] },
    { method: 'get', path: '/me', handler: 'me', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }] },
  ],
});

const processingOf = (id: string) => inventory().routes.find((r) => r.id === id)?.processing;

describe('the inventory of routes without an identified caller', () => {
  it.each([['POST /signup', 'anonymous'], ['POST /contact', 'optional'], ['GET /me', 'required']])('records the caller of %s as %s', (id, caller) => {
    expect(processingOf(id)?.caller).toBe(caller);
  });

  it('keeps the caller of a declaration that does not resolve', () => {
    const loose = buildInventory({ routes: [{ method: 'post', path: '/login', parts: [{ categories: ['user.contact.email'], caller: 'anonymous', subject: byEmail }] }], models: [] });
    expect(loose.routes[0]?.processing?.caller).toBe('anonymous');
  });

  it('validates against the JSON Schema', () => {
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(INVENTORY_SCHEMA);
    expect(validate(JSON.parse(JSON.stringify(inventory())))).toBe(true);
  });

  it('says in the Markdown record who may call each route, never "any authenticated" for a public one', () => {
    const routeRow = (id: string) => renderInventory(inventory(), 'md').split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
    expect(routeRow('POST /signup')).toContain('| anyone, no caller identified |');
    expect(routeRow('POST /contact')).toContain('| anyone; the caller when signed in |');
    expect(routeRow('GET /me')).toContain('| any authenticated |');
  });

  it('says the same in the HTML report', () => {
    const html = renderInventory(inventory(), 'html');
    expect(html).toContain('anyone, no caller identified');
    expect(html).toContain('anyone; the caller when signed in');
  });
});
