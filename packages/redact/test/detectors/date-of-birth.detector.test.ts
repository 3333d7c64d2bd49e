import { onlyDetector } from '../support';

describe('dateOfBirth detector', () => {
  const redact = onlyDetector('dateOfBirth');

  it.each([
    ['born 1984-03-12', 'born [REDACTED:dob]'],
    ['dob: 12/03/1984 ok', 'dob: [REDACTED:dob] ok'],
    ['date of birth 12.03.1984', 'date of birth [REDACTED:dob]'],
    ['D.O.B. 03-12-84;', 'D.O.B. [REDACTED:dob];'],
    ['Born on March 12, 1984.', 'Born on [REDACTED:dob].'],
  ])('redacts the date after an English telling word in %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it.each([
    ['née le 12/03/1984', 'née le [REDACTED:dob]'],
    ['geboren am 12.03.1984', 'geboren am [REDACTED:dob]'],
    ['Geburtsdatum: 12. März 1984', 'Geburtsdatum: [REDACTED:dob]'],
    ['fecha de nacimiento: 12/03/1984', 'fecha de nacimiento: [REDACTED:dob]'],
    ['nata il 12/03/1984', 'nata il [REDACTED:dob]'],
    ['geboortedatum 12-03-1984', 'geboortedatum [REDACTED:dob]'],
  ])('redacts the date after a telling word in another language in %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it.each([
    ['a date alone', 'created 1984-03-12'],
    ['a timestamp', 'at 2024-01-15T10:30:00Z'],
    ['a word that only contains a telling word', 'stubborn 2024-01-15'],
    ['a telling word far from the date', 'born in Paris, moved on 2001-05-02'],
    ['a version after a telling word', 'born 1.2.3.4'],
  ])('leaves %s untouched', (_what, input) => {
    expect(redact.text(input)).toBe(input);
  });
});

describe('dateOfBirth detector, month names', () => {
  const redact = onlyDetector('dateOfBirth');

  it('leaves a word other than a month between the telling word and the date untouched', () => {
    expect(redact.text('born today 2024-01-15')).toBe('born today 2024-01-15');
  });

  it('leaves a day and year without a month untouched', () => {
    expect(redact.text('born 12, 1984')).toBe('born 12, 1984');
  });
});
