import { PersonalData, buildInventory, type Inventory } from '@privacy-kit/core';

/** A model for the sample inventory. */
export class SampleCustomer {
  @PersonalData({ category: 'user.name' })
  name = '';

  @PersonalData({ category: 'user.contact.email', retention: '3y' })
  email = '';
}

/**
 * An inventory with every kind of entry the renderers show: annotated routes (with a model, consent, recipients,
 * a special category, a problem), a route without annotation that returned personal data, and observations.
 */
export function sampleInventory(): Inventory {
  const seen = (categories: string[]) => ({ categories, samples: 4, firstSeen: '2026-11-22T08:00:00.000+00:00', lastSeen: '2026-11-22T09:00:00.000+00:00' });
  return buildInventory({
    generatedAt: new Date('2026-11-22T10:00:00Z'),
    app: { name: 'Shop <demo> | "quoted"', controller: { name: 'Shop Ltd', contact: 'privacy@shop.example', dpo: 'dpo@shop.example' } },
    models: [SampleCustomer],
    routes: [
      { method: 'GET', path: '/me/profile', handler: 'getProfile', source: { file: 'src/app.ts', line: 10, column: 1 }, parts: [{ models: [SampleCustomer], purpose: 'essential.service', basis: 'contract' }] },
      { method: 'GET', path: '/me/health', handler: 'getHealth', parts: [{ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract', retention: '6m', specialCategoryCondition: 'health_care' }] },
      {
        method: 'POST',
        path: '/me/newsletter',
        handler: 'subscribe',
        parts: [{ categories: ['user.contact.email'], purpose: 'marketing.communications.email', recipients: ['Mailer | Ltd'] }, { consent: 'marketing.communications.email' }],
      },
      { method: 'PUT', path: '/me/address', handler: 'setAddress', parts: [{ categories: ['user.contact.address'], purpose: 'essential.service' }] },
      { method: 'GET', path: '/debug', handler: 'debugDump' },
      { method: 'GET', path: '/health', handler: 'health' },
    ],
    observations: { version: 1, updatedAt: '2026-11-22T09:00:00.000+00:00', routes: { 'GET /debug': seen(['user.contact.email']), 'GET /me/profile': seen(['user.name']) } },
  });
}
