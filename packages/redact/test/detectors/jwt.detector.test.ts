import { onlyDetector } from '../support';

const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
const payload = Buffer.from('{"sub":"user-1","iat":1705314600}').toString('base64url');
const jwt = `${header}.${payload}.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;

describe('jwt detector', () => {
  const redact = onlyDetector('jwt');

  it('replaces a signed JWT', () => {
    expect(redact.text(`token=${jwt}&x=1`)).toBe('token=[REDACTED:jwt]&x=1');
  });

  it('replaces an unsigned JWT (alg none, empty signature)', () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(redact.text(`t ${none} end`)).toBe('t [REDACTED:jwt] end');
  });

  it('replaces a five-segment JWE', () => {
    const jwe = `${Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM"}').toString('base64url')}.abc.def.ghi.jkl`;
    expect(redact.text(`jwe ${jwe}`)).toBe('jwe [REDACTED:jwt]');
  });

  it('leaves base64 text that starts with eyJ but is not a JOSE header untouched', () => {
    const notJose = `${Buffer.from('{"name":"x","size":12}').toString('base64url')}.${payload}.sig`;
    expect(redact.text(notJose)).toBe(notJose);
  });
});
