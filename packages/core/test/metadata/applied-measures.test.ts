import { recordMeasure, recordedMeasures } from '@privacy-kit/core';

describe('the security measures recorded in the process', () => {
  it('holds nothing until a component records a measure', () => {
    expect(recordedMeasures()).toEqual({});
  });

  it('keeps how log redaction is done, as the first component to record it said', () => {
    recordMeasure('logRedaction', "privacy-kit's redactPii() winston format");
    recordMeasure('logRedaction', 'something else');
    expect(recordedMeasures()).toEqual({ logRedaction: "privacy-kit's redactPii() winston format" });
  });

  it('is shared by two installed copies of @privacy-kit/core', () => {
    let copy: typeof import('@privacy-kit/core') | undefined;
    jest.isolateModules(() => {
      copy = require('@privacy-kit/core');
    });
    expect(copy?.recordedMeasures()).toEqual({ logRedaction: "privacy-kit's redactPii() winston format" });
  });

  it('refuses a measure it does not know', () => {
    expect(() => recordMeasure('encryption' as never, 'x')).toThrow(/unknown measure 'encryption'/);
  });
});
