import { deriveKey, type AuditEntry } from '@privacy-kit/core';
import {
  auditHeadMac,
  auditKeyId,
  auditMac,
  canonicalAuditEntry,
  createAuditCheckpoint,
  serializeAuditCheckpoint,
  signAuditHead,
} from '@privacy-kit/core/store';
import { testVectorKey } from '@privacy-kit/core/testing';

// Pinned formats. Every expected value below was computed once and is hard-coded on purpose (and was checked
// against an independent implementation with Python's hmac/hashlib). If one of these tests fails, a stored format
// changed: existing chains, pseudonyms and checkpoints would no longer verify. Do not update the expected value;
// give the new format a version and keep verifying the old one.

/** A fixed, obviously fake secret: the vectors must not depend on anything random. */
const SECRET = 'privacy-kit test vector secret -- not a real key';
const KEY = testVectorKey();
const TIME = '2026-01-02T03:04:05.678+00:00';

const ENTRY: AuditEntry = {
  event: 'access', time: TIME, requestId: 'req-0001', appId: 'vector-app', actor: 'psn_actor', subject: 'psn_subject',
  method: 'GET', route: '/users/:id', purposes: ['essential.service'], basis: 'contract', categories: ['user.contact.email', 'user.name'],
  decision: 'allowed', reason: null, status: null, durationMs: null, details: { zeta: 1, alpha: 'a', mid: true, none: null },
};

describe('pinned formats: key derivation', () => {
  it('derives the audit key of a string secret with HKDF-SHA-256, info privacy-kit/audit/v1', () => {
    expect(deriveKey(SECRET, 'audit').toString('hex')).toBe('bac89684e7a88806064abe4cf48edd2b205c4ad601944ebfaed7f7c3503b1d36');
  });

  it('derives the pseudonym key of the same secret independently', () => {
    expect(deriveKey(SECRET, 'pseudonym').toString('hex')).toBe('76cf26c35e88102a2d47ed80044c0879f808522e1f4871508d4778bfa171c897');
  });

  it('derives from a Buffer secret by its bytes', () => {
    expect(deriveKey(KEY, 'audit').toString('hex')).toBe('bf723c972da73afce3d7c0b2e42a2d676b1187675c3e07a7c6d63d451f96b013');
  });
});

describe('pinned formats: the audit chain', () => {
  it('serialises an entry canonically: fixed field order, nulls for absent fields, sorted detail keys', () => {
    expect(canonicalAuditEntry(ENTRY)).toBe(
      '["access","2026-01-02T03:04:05.678+00:00","req-0001","vector-app","psn_actor","psn_subject","GET","/users/:id",' +
        '["essential.service"],"contract",["user.contact.email","user.name"],"allowed",null,null,null,' +
        '{"alpha":"a","mid":true,"none":null,"zeta":1}]',
    );
  });

  it('computes the MAC of a first record as HMAC(key, "" + "\\n" + canonical entry)', () => {
    expect(auditMac(KEY, ENTRY, '')).toBe('7wFZMXBi6NqRx2U_Ox-JJYzcj__Bvsm7Hj527byVAzg');
  });

  it('computes the MAC of a later record over its predecessor\'s MAC', () => {
    const outcome: AuditEntry = { ...ENTRY, event: 'outcome', status: 200, durationMs: 12.5 };
    delete (outcome as { details?: unknown }).details;
    expect(auditMac(KEY, outcome, 'prev')).toBe('4Tmr-ayWyAjmBHT21A0D3sRFzMKpK9eFmdpUT0o21tY');
  });

  it('signs a format 1 head as HMAC(key, "head\\n{seq}\\n{mac}")', () => {
    expect(auditHeadMac(KEY, 7, 'mac-of-seven')).toBe('xJdiefDx3dmVjb4PicvfzLAOBmvWHCqClS5jdfXEJ0w');
  });

  it('fingerprints the key as the first 16 characters of HMAC(key, "privacy-kit audit key id")', () => {
    expect(auditKeyId(KEY)).toBe('NGY_qP4uPuv_h__8');
  });

  it('signs a format 2 head over seq, count, time, key id and mac', () => {
    expect(signAuditHead(KEY, { seq: 7, mac: 'mac-of-seven', count: 7, time: TIME })).toEqual({
      version: 2, seq: 7, mac: 'mac-of-seven', count: 7, time: TIME, keyId: 'NGY_qP4uPuv_h__8',
      headMac: 'sls0bDrWe9GNpMpuVK-WZkPCguN41ggg8KyLQk-mRBo',
    });
  });

  it('signs a checkpoint under its own label and writes it as one JSON line with fields in a fixed order', () => {
    const checkpoint = createAuditCheckpoint(KEY, { seq: 7, mac: 'mac-of-seven', count: 7, time: TIME });
    expect(serializeAuditCheckpoint(checkpoint)).toBe(
      '{"version":1,"seq":7,"mac":"mac-of-seven","count":7,"time":"2026-01-02T03:04:05.678+00:00",' +
        '"keyId":"NGY_qP4uPuv_h__8","sig":"gaDMQesDAWdzQOR_vPZ_8pzxVG6LbzGLDXGU4TNNrz4"}\n',
    );
  });
});
