'use strict';
// The app `npm run bench:map` maps: BENCH_ROUTES routes (default 2,000) over nested routers, three in four of
// them annotated with personalData() (categories, purpose, basis, some with consent, subjects, recipients).
const express = require('express');
const { personalData, requiresConsent } = require('@privacy-kit/express');

const ROUTES = Number(process.env.BENCH_ROUTES || 2000);
const CATEGORIES = ['user.name', 'user.contact.email', 'user.contact.address', 'user.behavior.purchase_history', 'user.device.ip_address', 'user.financial.bank_account', 'user.health_and_medical'];
const PURPOSES = ['essential.service', 'essential.service.operations.support', 'personalize.content', 'analytics.reporting', 'marketing.communications.email'];
const BASES = ['contract', 'legitimate_interests', 'legal_obligation'];
const PER_ROUTER = 50;
// Health data (Art. 9) needs the Art. 9(2) condition the route relies on.
const condition = (categories, consent) => (categories.includes('user.health_and_medical') ? { specialCategoryCondition: consent ? 'explicit_consent' : 'health_care' } : {});

const app = express();
let made = 0;
for (let r = 0; made < ROUTES; r++) {
  const outer = express.Router();
  const inner = express.Router();
  for (let i = 0; i < PER_ROUTER && made < ROUTES; i++, made++) {
    const target = i % 2 === 0 ? outer : inner;
    const handler = function handle(_req, res) { res.json({ ok: true }); };
    Object.defineProperty(handler, 'name', { value: `handler${made}` });
    if (made % 4 === 3) {
      target.get(`/items${i}`, handler);
    } else if (made % 10 === 0) {
      const purpose = PURPOSES[made % PURPOSES.length];
      const categories = [CATEGORIES[made % CATEGORIES.length]];
      target.post(`/items${i}/:id`, personalData({ categories, purpose, subject: (req) => req.params.id, recipients: ['Processor Ltd'], ...condition(categories, true) }), requiresConsent(purpose), handler);
    } else {
      const categories = [CATEGORIES[made % CATEGORIES.length], CATEGORIES[(made + 3) % CATEGORIES.length]];
      target.get(`/items${i}`, personalData({ categories, purpose: PURPOSES[made % PURPOSES.length], basis: BASES[made % BASES.length], retention: '30d', ...condition(categories, false) }), handler);
    }
  }
  outer.use('/nested', inner);
  app.use(`/area${r}/:tenant`, outer);
}

module.exports = { app };
