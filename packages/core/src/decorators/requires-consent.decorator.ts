import { coreError } from '../errors/core.error';
import { addProcessingPart, methodOf } from './annotate';
import { decoratedMember } from './decorator-target';
import type { UniversalDecorator } from './personal-data.decorator';

function purposesOf(purposes: unknown, where: string): readonly string[] {
  const list = typeof purposes === 'string' ? [purposes] : purposes;
  if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string')) {
    throw coreError('PK_INVALID_OPTION', `${where}: give a purpose or a non-empty array of purposes, e.g. @RequiresConsent('personalize.content').`);
  }
  return list as string[];
}

/**
 * Requires the data subject's current consent for the purpose(s) before the method runs; without it the
 * request gets 403 `consent_required`. The lawful basis defaults to 'consent'.
 *
 * @param purposes - a purpose key or several
 * @example
 * @RequiresConsent('personalize.content')
 * recommendations(req: Request) { ... }
 */
export function RequiresConsent(purposes: string | readonly string[]): UniversalDecorator {
  return function requiresConsentDecorator(...args: unknown[]): void {
    const member = decoratedMember('@RequiresConsent', args);
    if (member.kind !== 'method') {
      throw coreError('PK_INVALID_DECORATOR', `@RequiresConsent on '${member.name}': it belongs on a method (a route handler), not a property.`);
    }
    const where = `@RequiresConsent on ${member.mode === 'legacy' ? `${member.ownerName}.${member.name}` : `method '${member.name}'`}`;
    addProcessingPart(member.method, where, { consent: purposesOf(purposes, where) });
  };
}

/**
 * The function twin of `@RequiresConsent`.
 *
 * @example
 * defineRequiresConsent(ShopController, 'recommendations', 'personalize.content');
 */
export function defineRequiresConsent(target: Function, method: string, purposes: string | readonly string[]): void {
  const where = `defineRequiresConsent on ${typeof target === 'function' ? target.name : '?'}.${method}`;
  addProcessingPart(methodOf(target, method, 'defineRequiresConsent'), where, { consent: purposesOf(purposes, where) });
}
