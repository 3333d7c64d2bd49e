import { recordedMeasures } from '@privacy-kit/core';
import { redactPii } from '@privacy-kit/pino';

describe('redactPii() for pino and the record of processing activities', () => {
  it('records, when pino options are made with it, that this process redacts its logs, so the record can say so', () => {
    expect(recordedMeasures().logRedaction).toBeUndefined();
    redactPii();
    expect(recordedMeasures()).toEqual({ logRedaction: "privacy-kit's redactPii() pino options" });
  });
});
