'use strict';
// The mapping of the generated database of bench/pseudonymize.js (loaded by `privacy-kit pseudonymize --mapping`).
const { definePersonalData, definePseudonymization } = require('@privacy-kit/core');

class BenchCustomer {}
for (const [field, category] of [
  ['name', 'user.name'], ['email', 'user.contact.email'], ['phone', 'user.contact.phone_number'], ['iban', 'user.financial.bank_account'],
  ['street', 'user.contact.address.street'], ['city', 'user.contact.address.city'], ['postalCode', 'user.contact.address.postal_code'],
  ['dateOfBirth', 'user.demographic.date_of_birth'], ['note', 'user.content.private'],
]) {
  definePersonalData(BenchCustomer, field, { category });
}
class BenchOrder {}
definePersonalData(BenchOrder, 'customerId', { category: 'user.unique_id' });
definePersonalData(BenchOrder, 'shipTo', { category: 'user.contact.address' });
definePersonalData(BenchOrder, 'card', { category: 'user.financial.credit_card' });

const keep = (reason) => ({ strategy: 'keep', reason });

exports.pseudonymization = definePseudonymization({
  tables: {
    customers: {
      model: BenchCustomer,
      subject: 'id',
      columns: {
        id: { strategy: 'pseudonym' }, name: 'name', email: 'email', phone: 'phone', iban: 'iban', street: 'street', city: 'city',
        postal_code: 'postalCode', date_of_birth: 'dateOfBirth', note: 'note', tier: keep('a loyalty tier, not personal'),
      },
    },
    orders: {
      model: BenchOrder,
      subject: 'customer_id',
      columns: {
        id: keep('generated order number'), customer_id: 'customerId', total: keep('an amount'), ship_to: 'shipTo', card: 'card',
        placed_at: keep('when the order was placed'),
      },
    },
  },
});
