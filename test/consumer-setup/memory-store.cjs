'use strict';
// A deliberately small in-memory PrivacyStore, as a consumer could write one, built on core's shared helpers.
const { randomBytes, randomUUID } = require('node:crypto');
const core = require('@privacy-kit/core');
// What a store author needs beyond the everyday API comes through the store door.
const storeKit = require('@privacy-kit/core/store');

module.exports.createMemoryStore = function createMemoryStore() {
  const key = randomBytes(32);
  const consents = [];
  const audit = [];
  let head;
  const requests = new Map();
  return {
    async ping() {},
    async close() {},
    async recordConsent(input) {
      storeKit.validateConsentEvent(input, 'memory-store');
      const event = { id: randomUUID(), seq: consents.length + 1, expiresAt: null, time: core.isoTime(), ...input };
      consents.push(event);
      return event;
    },
    async recordConsentChange(inputs, entry) {
      // The record first, then the events: when the append throws, no event is stored.
      if (!Array.isArray(inputs) || inputs.length === 0) throw new Error('memory-store: recordConsentChange() needs at least one event');
      for (const input of inputs) storeKit.validateConsentEvent(input, 'memory-store');
      const record = await this.appendAudit(entry);
      const events = inputs.map((input) => {
        const event = { id: randomUUID(), seq: consents.length + 1, expiresAt: null, time: core.isoTime(), ...input };
        consents.push(event);
        return event;
      });
      return { events, record };
    },
    async consentHistory(subject) { return consents.filter((e) => e.subject === subject); },
    async currentConsents(subject, at) { return storeKit.deriveConsentStates(consents.filter((e) => e.subject === subject), at); },
    async appendAudit(entry) {
      const clean = storeKit.auditEntryOf(entry);
      const prevMac = head ? head.mac : '';
      const record = { ...clean, seq: audit.length + 1, prevMac, mac: storeKit.auditMac(key, clean, prevMac) };
      audit.push(record);
      head = { seq: record.seq, mac: record.mac, headMac: storeKit.auditHeadMac(key, record.seq, record.mac) };
      return record;
    },
    async readAudit(query = {}) { return audit.filter((r) => query.subject === undefined || r.subject === query.subject); },
    async verifyAudit() { return storeKit.verifyAuditChain(audit, head, key); },
    async createRightsRequest(input) {
      const now = core.isoTime();
      const request = { ...input, id: randomUUID(), status: 'open', createdAt: now, updatedAt: now, steps: [], error: null };
      requests.set(request.id, request);
      return request;
    },
    async updateRightsRequest(id, patch) { const r = { ...requests.get(id), ...patch, updatedAt: core.isoTime() }; requests.set(id, r); return r; },
    async getRightsRequest(id) { return requests.get(id); },
    async listRightsRequests() { return [...requests.values()]; },
  };
};
