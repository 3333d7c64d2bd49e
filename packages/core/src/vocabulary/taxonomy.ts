/**
 * The built-in vocabulary, with keys aligned to the fideslang taxonomy (https://ethyca.github.io/fideslang/).
 * `special` marks GDPR Art. 9 special categories (and Art. 10 criminal data), inherited by every child key.
 * `gpcOptOut` marks purposes that count as sale, sharing or targeted advertising under Global Privacy Control.
 */

/** One term of the vocabulary. */
export interface TermDefinition {
  readonly key: string;
  readonly description: string;
  readonly special?: boolean;
  readonly gpcOptOut?: boolean;
}

export const BUILT_IN_CATEGORIES: readonly TermDefinition[] = [
  { key: 'user', description: 'Data about a person who uses the system' },
  { key: 'user.account', description: 'Account data' },
  { key: 'user.account.username', description: 'Username or handle' },
  { key: 'user.account.settings', description: 'Account preferences and settings' },
  { key: 'user.authorization', description: 'Data used to authenticate or authorise the person' },
  { key: 'user.authorization.credentials', description: 'Passwords, tokens, keys' },
  { key: 'user.authorization.password', description: 'A password or its hash' },
  { key: 'user.behavior', description: 'Behaviour observed while using the service' },
  { key: 'user.behavior.browsing_history', description: 'Pages and items viewed' },
  { key: 'user.behavior.purchase_history', description: 'Orders and purchases' },
  { key: 'user.behavior.media_consumption', description: 'Media watched, read or listened to' },
  { key: 'user.biometric', description: 'Biometric data used to identify a person (Art. 9)', special: true },
  { key: 'user.biometric.fingerprint', description: 'Fingerprint template', special: true },
  { key: 'user.biometric.retinal', description: 'Retina or iris scan', special: true },
  { key: 'user.biometric.voice', description: 'Voice print', special: true },
  { key: 'user.contact', description: 'Contact data' },
  { key: 'user.contact.email', description: 'E-mail address' },
  { key: 'user.contact.phone_number', description: 'Telephone number' },
  { key: 'user.contact.address', description: 'Postal address' },
  { key: 'user.contact.address.street', description: 'Street and house number' },
  { key: 'user.contact.address.city', description: 'City' },
  { key: 'user.contact.address.state', description: 'State or region' },
  { key: 'user.contact.address.postal_code', description: 'Postal code' },
  { key: 'user.contact.address.country', description: 'Country' },
  { key: 'user.content', description: 'Content the person created' },
  { key: 'user.content.public', description: 'Content the person published' },
  { key: 'user.content.private', description: 'Private messages and files' },
  { key: 'user.criminal_history', description: 'Criminal convictions and offences (Art. 10)', special: true },
  { key: 'user.demographic', description: 'Demographic data' },
  { key: 'user.demographic.age_range', description: 'Age range' },
  { key: 'user.demographic.date_of_birth', description: 'Date of birth' },
  { key: 'user.demographic.gender', description: 'Gender' },
  { key: 'user.demographic.language', description: 'Preferred language' },
  { key: 'user.demographic.marital_status', description: 'Marital status' },
  { key: 'user.demographic.political_opinion', description: 'Political opinions (Art. 9)', special: true },
  { key: 'user.demographic.race_ethnicity', description: 'Racial or ethnic origin (Art. 9)', special: true },
  { key: 'user.demographic.religious_belief', description: 'Religious or philosophical beliefs (Art. 9)', special: true },
  { key: 'user.demographic.sexual_orientation', description: 'Sex life or sexual orientation (Art. 9)', special: true },
  { key: 'user.demographic.trade_union_membership', description: 'Trade union membership (Art. 9)', special: true },
  { key: 'user.device', description: 'Data about the person’s device' },
  { key: 'user.device.cookie_id', description: 'Cookie identifier' },
  { key: 'user.device.device_id', description: 'Device identifier' },
  { key: 'user.device.ip_address', description: 'IP address' },
  { key: 'user.financial', description: 'Financial data' },
  { key: 'user.financial.bank_account', description: 'Bank account number or IBAN' },
  { key: 'user.financial.credit_card', description: 'Payment card number' },
  { key: 'user.genetic', description: 'Genetic data (Art. 9)', special: true },
  { key: 'user.government_id', description: 'Government-issued identifiers' },
  { key: 'user.government_id.drivers_license_number', description: 'Driving licence number' },
  { key: 'user.government_id.national_identification_number', description: 'National id (SSN, NI number, ...)' },
  { key: 'user.government_id.passport_number', description: 'Passport number' },
  { key: 'user.health_and_medical', description: 'Health data (Art. 9)', special: true },
  { key: 'user.location', description: 'Location data' },
  { key: 'user.location.imprecise', description: 'Coarse location (city, region)' },
  { key: 'user.location.precise', description: 'Precise location (GPS)' },
  { key: 'user.name', description: 'Name' },
  { key: 'user.name.first', description: 'Given name' },
  { key: 'user.name.last', description: 'Family name' },
  { key: 'user.unique_id', description: 'A unique identifier of the person' },
  { key: 'user.unique_id.pseudonymous', description: 'A pseudonymous identifier' },
  { key: 'user.workplace', description: 'Employer and job data' },
];

export const BUILT_IN_PURPOSES: readonly TermDefinition[] = [
  { key: 'essential', description: 'Operating the service the person asked for' },
  { key: 'essential.service', description: 'Providing the service' },
  { key: 'essential.service.authentication', description: 'Signing the person in' },
  { key: 'essential.service.fraud_detection', description: 'Detecting fraud' },
  { key: 'essential.service.operations', description: 'Running operations' },
  { key: 'essential.service.operations.support', description: 'Customer support' },
  { key: 'essential.service.payment_processing', description: 'Processing payments' },
  { key: 'essential.service.security', description: 'Keeping the service secure' },
  { key: 'essential.legal', description: 'Meeting legal obligations' },
  { key: 'functional', description: 'Functions beyond the essential service' },
  { key: 'functional.service.improve', description: 'Improving the service' },
  { key: 'functional.storage', description: 'Storing preferences on the device' },
  { key: 'personalize', description: 'Personalisation' },
  { key: 'personalize.content', description: 'Personalised content and recommendations' },
  { key: 'personalize.content.profiling', description: 'Profiling for personalised content' },
  { key: 'analytics', description: 'Analytics' },
  { key: 'analytics.reporting', description: 'Reporting and statistics' },
  { key: 'analytics.reporting.ad_performance', description: 'Measuring advertising' },
  { key: 'marketing', description: 'Marketing' },
  { key: 'marketing.communications', description: 'Marketing messages' },
  { key: 'marketing.communications.email', description: 'Marketing e-mail' },
  { key: 'marketing.communications.sms', description: 'Marketing SMS' },
  { key: 'marketing.advertising', description: 'Advertising', gpcOptOut: true },
  { key: 'marketing.advertising.first_party.targeted', description: 'Targeted first-party ads', gpcOptOut: true },
  { key: 'marketing.advertising.third_party.targeted', description: 'Targeted third-party ads', gpcOptOut: true },
  { key: 'third_party_sharing', description: 'Sharing or selling data to third parties', gpcOptOut: true },
  { key: 'third_party_sharing.legal_obligation', description: 'Disclosure required by law' },
  { key: 'third_party_sharing.personalized_advertising', description: 'Sharing for ads', gpcOptOut: true },
  { key: 'train_ai_system', description: 'Training machine-learning systems' },
  { key: 'employment', description: 'Employment and recruiting' },
  { key: 'finance', description: 'Accounting and invoicing' },
];

/** The six lawful bases of GDPR Art. 6(1). */
export const LAWFUL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;

/** A lawful basis of GDPR Art. 6(1)(a)–(f). */
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export const BUILT_IN_SUBJECT_TYPES: readonly TermDefinition[] = [
  { key: 'anonymous_user', description: 'A visitor who is not signed in' },
  { key: 'citizen_voter', description: 'A citizen or voter' },
  { key: 'commuter', description: 'A commuter' },
  { key: 'consultant', description: 'A consultant' },
  { key: 'customer', description: 'A customer' },
  { key: 'employee', description: 'An employee' },
  { key: 'job_applicant', description: 'A job applicant' },
  { key: 'next_of_kin', description: 'A relative named by another person' },
  { key: 'passenger', description: 'A passenger' },
  { key: 'patient', description: 'A patient' },
  { key: 'prospect', description: 'A prospective customer' },
  { key: 'shareholder', description: 'A shareholder' },
  { key: 'supplier_vendor', description: 'A supplier or vendor' },
  { key: 'trainee', description: 'A trainee' },
  { key: 'visitor', description: 'A visitor' },
];
