import { bearerDetector } from './bearer.detector';
import { cardDetector } from './card.detector';
import { coordinatesDetector } from './coordinates.detector';
import { dateOfBirthDetector } from './date-of-birth.detector';
import type { Detector } from './detector';
import { emailDetector } from './email.detector';
import { ibanDetector } from './iban.detector';
import { ipv4Detector } from './ipv4.detector';
import { ipv4NumericDetector } from './ipv4-numeric.detector';
import { ipv6Detector } from './ipv6.detector';
import { jwtDetector } from './jwt.detector';
import { keyValueDetector } from './key-value.detector';
import { macDetector } from './mac.detector';
import { ninoDetector } from './nino.detector';
import { phoneDetector } from './phone.detector';
import { postalAddressDetector } from './postal-address.detector';
import { ssnDetector } from './ssn.detector';

/** Names of the built-in free-text detectors. */
export type BuiltInDetectorName = 'email' | 'card' | 'iban' | 'ipv4' | 'ipv4Numeric' | 'ipv6' | 'mac' | 'jwt' | 'ssn' | 'nino' | 'phone' | 'bearer' | 'coordinates' | 'dateOfBirth' | 'postalAddress' | 'keyValue';

/**
 * The built-in free-text detectors, all on by default, with their data categories:
 * email (user.contact.email), card (user.financial.credit_card), iban (user.financial.bank_account),
 * ipv4, ipv4Numeric (integer, hex, dotted hex/octal forms) and ipv6 (user.device.ip_address), jwt and bearer (user.authorization.credentials),
 * ssn and nino (user.government_id.national_identification_number), phone (user.contact.phone_number),
 * coordinates (user.location.precise), dateOfBirth (user.demographic.date_of_birth, after a telling word),
 * postalAddress (user.contact.address, after a telling word), keyValue (per key: `password=` is a credential, `email=` an e-mail, `dob=` a date of birth...).
 */
export const BUILT_IN_DETECTORS: Readonly<Record<BuiltInDetectorName, Detector>> = Object.freeze({
  email: emailDetector,
  card: cardDetector,
  iban: ibanDetector,
  ipv4: ipv4Detector,
  ipv4Numeric: ipv4NumericDetector,
  ipv6: ipv6Detector,
  mac: macDetector,
  jwt: jwtDetector,
  ssn: ssnDetector,
  nino: ninoDetector,
  phone: phoneDetector,
  bearer: bearerDetector,
  coordinates: coordinatesDetector,
  dateOfBirth: dateOfBirthDetector,
  postalAddress: postalAddressDetector,
  keyValue: keyValueDetector,
});

/** The names of the built-in detectors, in the order they run. */
export const BUILT_IN_DETECTOR_NAMES = Object.freeze(Object.keys(BUILT_IN_DETECTORS)) as readonly BuiltInDetectorName[];
