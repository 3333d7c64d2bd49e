import { recordedMeasures } from '@privacy-kit/core';
import { redactPii } from '@privacy-kit/winston';

describe('redactPii() and the record of processing activities', () => {
  it('records, when a log format is made with it, that this process redacts its logs, so the record can say so', () => {
    expect(recordedMeasures().logRedaction).toBeUndefined();
    redactPii();
    expect(recordedMeasures()).toEqual({ logRedaction: "privacy-kit's redactPii() winston format" });
  });
});
