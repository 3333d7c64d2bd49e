import { personalData, requiresConsent } from '@privacy-kit/express';
import { guardFor } from '../../src/twins/route-twins';
import { getRouteMarker } from '../../src/routes/route-marker';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the route twins', () => {
  it.each([
    ['no purpose', () => requiresConsent(undefined as never)],
    ['an empty list', () => requiresConsent([])],
  ])('refuse requiresConsent() with %s, showing how to call it', (_name, call) => {
    expect(thrownBy(call)).toMatchObject({
      code: 'PK_INVALID_OPTION',
      message: "@privacy-kit/express: requiresConsent() needs a purpose, e.g. requiresConsent('personalize.content').",
    });
  });

  it('refuse an unknown purpose in requiresConsent(), naming the twin and the closest purpose', () => {
    expect(thrownBy(() => requiresConsent('personalize.contnet'))).toMatchObject({
      code: 'PK_UNKNOWN_PURPOSE',
      message: expect.stringMatching(/^@privacy-kit\/core: requiresConsent\(\): unknown purpose 'personalize\.contnet'\. Did you mean 'personalize\.content'\?/),
    });
  });

  it('refuse an unknown lawful basis in personalData(), listing the six bases', () => {
    expect(thrownBy(() => personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'consensus' as never }))).toMatchObject({
      code: 'PK_UNKNOWN_BASIS',
      message: expect.stringMatching(/personalData\(\): unknown lawful basis "consensus"\. Use one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests\./),
    });
  });

  it('refuse a subject that is neither self nor a function, with an example', () => {
    expect(thrownBy(() => personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', subject: 5 as never }))).toMatchObject({
      message: expect.stringMatching(/personalData\(\): 'subject' must be 'self' or a function such as req => req\.params\.userId; got 5\./),
    });
  });

  it('name the controller method in the messages of a decorated route', () => {
    expect(thrownBy(() => guardFor([{ categories: ['user.contact.emial'] }], 'ProfileController.show'))).toMatchObject({
      message: expect.stringMatching(/ProfileController\.show: unknown data category 'user\.contact\.emial'\. Did you mean 'user\.contact\.email'\?/),
    });
  });

  it('give requiresConsent() one declaration part listing every purpose it requires', () => {
    expect(getRouteMarker(requiresConsent(['personalize.content', 'marketing.communications.email']))).toEqual({
      parts: [{ consent: ['personalize.content', 'marketing.communications.email'] }],
      where: 'requiresConsent()',
    });
  });
});
