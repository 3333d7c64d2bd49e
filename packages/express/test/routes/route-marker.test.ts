import type { RequestHandler } from 'express';
import { ROUTE_DECLARATION_KEY } from '@privacy-kit/core';
import { personalData } from '@privacy-kit/express';
import { getRouteMarker, markHandler, markedHandlersOf, type RouteMarker } from '../../src/routes/route-marker';

const marker: RouteMarker = { parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }], where: 'personalData()' };
const handler = (): RequestHandler => (_req, _res, next) => next();

describe('route markers', () => {
  it('reads back the marker a handler was marked with', () => {
    const marked = markHandler(handler(), marker);
    expect(getRouteMarker(marked)).toBe(marker);
  });

  it('finds no marker on a plain function or on something that is not a function', () => {
    expect(getRouteMarker(handler())).toBeUndefined();
    for (const value of [undefined, null, 'personalData()', { [ROUTE_DECLARATION_KEY]: marker }]) expect(getRouteMarker(value)).toBeUndefined();
  });

  it("keeps a twin's declaration fixed: it cannot be replaced and does not show among the handler's properties", () => {
    const marked = markHandler(handler(), marker);
    expect(() => { (marked as unknown as Record<symbol, unknown>)[ROUTE_DECLARATION_KEY] = { parts: [], where: 'forged' }; }).toThrow(TypeError);
    expect(getRouteMarker(marked)).toBe(marker);
    expect(Object.keys(marked)).toEqual([]);
  });

  it('marks the twins personalData() returns with their declaration and where it was made', () => {
    const options = { categories: ['user.name'], purpose: 'essential.service', basis: 'contract' } as const;
    expect(getRouteMarker(personalData(options))).toEqual({ parts: [options], where: 'personalData()' });
  });

  it("lists the distinct twins of a route's handlers in order, leaving out other handlers", () => {
    const a = markHandler(handler(), marker);
    const b = markHandler(handler(), { ...marker, where: 'requiresConsent()' });
    const plain = handler();
    const route = { stack: [{ handle: a }, { handle: plain }, { handle: b }, { handle: a }, {}] };
    expect(markedHandlersOf(route)).toEqual([a, b]);
  });

  it('lists no twins for something that is not a route', () => {
    for (const value of [undefined, {}, { stack: 'x' }, handler()]) expect(markedHandlersOf(value)).toEqual([]);
  });
});
