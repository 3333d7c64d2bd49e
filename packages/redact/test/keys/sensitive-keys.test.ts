import { classifyKey } from '../../src/keys/sensitive-keys';

describe('sensitive key names', () => {
  it.each([
    ['password', 'password'],
    ['Passwd', 'password'],
    ['db_password', 'password'],
    ['userPasswordHash', 'password'],
    ['client_secret', 'secret'],
    ['access_token', 'token'],
    ['refreshToken', 'token'],
    ['X-Auth-Token', 'token'],
    ['Authorization', 'authorization'],
    ['api_key', 'api_key'],
    ['apiKey', 'api_key'],
    ['X-API-KEY', 'api_key'],
    ['cookie', 'cookie'],
    ['Set-Cookie', 'cookie'],
    ['ssn', 'ssn'],
    ['IBAN', 'iban'],
    ['cardNumber', 'card'],
    ['card_number', 'card'],
    ['cvv', 'card'],
    ['e_mail', 'email'],
    ['billingEmail', 'email'],
    ['phoneNumber', 'phone'],
    ['dateOfBirth', 'dob'],
    ['dob', 'dob'],
    ['firstName', 'name'],
    ['last_name', 'name'],
    ['street', 'address'],
    ['x-forwarded-for', 'ip'],
  ])('classifies %s as %s', (key, label) => {
    expect(classifyKey(key)?.label).toBe(label);
  });

  it.each(['max_tokens', 'tokenizer', 'token_count', 'status', 'id', 'durationMs', 'user'])('leaves %s alone', (key) => {
    expect(classifyKey(key)).toBeUndefined();
  });

  it('gives credentials the credentials category and marks them secret', () => {
    expect(classifyKey('password')).toMatchObject({ category: 'user.authorization.credentials', secret: true });
  });

  it('knows name as a detection-only key (not redacted from logs by default)', () => {
    expect(classifyKey('name')).toMatchObject({ category: 'user.name', redact: false });
  });
});
