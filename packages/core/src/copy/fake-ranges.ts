// The reserved ranges the fakes draw from, shared by the fakes and by isSyntheticValue(): what the copy makes is
// recognisable as made, never a real address, number or account.

/** RFC 2606 second-level domains: the fakes' e-mail addresses end with one of these. */
export const FAKE_EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.net', 'example.org'];

/** UK numbers reserved by Ofcom for drama: +44 7700 900000 to 900999 (the national form is 07700 900xxx). */
export const UK_FICTION_PREFIX = '447700900';

/** North American area codes the fakes use; 555-0100 to 555-0199 is reserved for fiction in every area. */
export const US_AREA_CODES: readonly string[] = ['201', '202', '212', '213', '305', '312', '415', '503', '617', '702', '713', '805', '917'];

/** Bank codes of the fakes' GB IBANs: clearly fictitious. */
export const FAKE_BANK_CODES: readonly string[] = ['TEST', 'FAKE', 'DEMO'];

/** Issuer numbers of test cards (published by the card schemes and payment providers for testing). */
export const TEST_CARD_BINS: readonly string[] = ['411111', '400000', '555555'];

/** The IPv4 documentation networks (RFC 5737): TEST-NET-1, -2 and -3, as their first three octets. */
export const TEST_NETS: readonly string[] = ['192.0.2', '198.51.100', '203.0.113'];
