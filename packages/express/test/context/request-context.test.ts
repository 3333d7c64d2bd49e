import type { Request } from 'express';
import type { ProcessingDeclaration } from '@privacy-kit/core';
import { privacyInfo } from '@privacy-kit/express';
import { getRequestContext, setRequestContext, type AccessDecision, type RequestContextState, type RouteEnforcer } from '../../src/context/request-context';

const enforcer: RouteEnforcer = { enforce: () => undefined };

function declaring(purposes: readonly string[]): ProcessingDeclaration {
  return { purposes, basis: 'contract', categories: ['user.name'], models: [], subject: 'self', caller: 'required', subjectTypes: ['customer'], roles: [], recipients: [], consentPurposes: [], special: false, specialCategoryConditions: [] };
}

function contextOf(access: AccessDecision | undefined = undefined, gpc = false): RequestContextState {
  return { engine: enforcer, requestId: 'req-1', gpc, identity: undefined, access };
}

function decision(subject: string, purposes: readonly string[], previous?: AccessDecision): AccessDecision {
  return { identity: { id: 'staff-1', roles: ['support'] }, subject, subjectPseudonym: `psn-${subject}`, declaration: declaring(purposes), previous };
}

describe('the request context', () => {
  it('reads back the context attached to a request', () => {
    const req = {} as Request;
    const ctx = contextOf();
    setRequestContext(req, ctx);
    expect(getRequestContext(req)).toBe(ctx);
  });

  it('reads no context from a request privacy() did not see', () => {
    expect(getRequestContext({} as Request)).toBeUndefined();
  });

  it('stays out of what serialising, spreading or listing the request shows', () => {
    const req = { method: 'GET' } as Request;
    setRequestContext(req, contextOf());
    expect(Object.keys(req)).toEqual(['method']);
    expect(JSON.stringify(req)).toBe('{"method":"GET"}');
    expect({ ...req }).toEqual({ method: 'GET' });
  });

  it('can be attached again to the same request (a request that passes two privacy() mounts)', () => {
    const req = {} as Request;
    setRequestContext(req, contextOf());
    const second = { ...contextOf(), requestId: 'req-2' };
    setRequestContext(req, second);
    expect(getRequestContext(req)).toBe(second);
  });
});

describe('privacyInfo(req)', () => {
  it('gives an empty request id and no GPC signal for a request privacy() did not see', () => {
    expect(privacyInfo({} as Request)).toEqual({ requestId: '', gpc: false });
  });

  it('gives the request id and the GPC signal before any twin allowed the request', () => {
    const req = {} as Request;
    setRequestContext(req, contextOf(undefined, true));
    expect(privacyInfo(req)).toEqual({ requestId: 'req-1', gpc: true });
  });

  it('gives the caller, the app id of the subject (never its pseudonym) and the purposes of the decision', () => {
    const req = {} as Request;
    setRequestContext(req, contextOf(decision('user-b', ['essential.service'])));
    expect(privacyInfo(req)).toEqual({ requestId: 'req-1', gpc: false, actor: { id: 'staff-1', roles: ['support'] }, subject: 'user-b', purposes: ['essential.service'] });
  });

  it('gives the subject of the newest decision and the purposes of every decision on the path, each once, oldest first', () => {
    const req = {} as Request;
    const first = decision('org-1', ['essential.service', 'essential.legal']);
    const second = decision('user-2', ['essential.service.operations.support', 'essential.service'], first);
    setRequestContext(req, contextOf(second));
    expect(privacyInfo(req)).toEqual(expect.objectContaining({ subject: 'user-2', purposes: ['essential.service', 'essential.legal', 'essential.service.operations.support'] }));
  });
});
