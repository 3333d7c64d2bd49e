import { coreError } from '../errors/core.error';
import type { PersonalFieldOptions, ProcessingOptions } from '../metadata/declarations';
import { registry } from '../metadata/registry';
import { addField, addProcessingPart, methodOf } from './annotate';
import { decoratedMember } from './decorator-target';

/** Options accepted by `@PersonalData`: a field's category, or a method's processing. */
export type PersonalDataOptions = PersonalFieldOptions | ProcessingOptions;

/** A decorator usable in both TypeScript decorator modes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one signature must fit legacy (target, key, descriptor) and standard (value, context) calls
export type UniversalDecorator = (target: any, keyOrContext: any, descriptor?: any) => any;

/**
 * Marks personal data.
 *
 * On a **property**, names its data category: `@PersonalData({ category: 'user.contact.email' })`
 * (optionally `retention`, `special`). On a **method**, declares the processing it does:
 * `@PersonalData({ categories, purpose, basis, subject, roles, retention, recipients })`.
 * Works with `experimentalDecorators` and with standard decorators; keys are checked when applied.
 *
 * @param options - field or processing options
 * @example
 * class UserDto {
 *   @PersonalData({ category: 'user.contact.email' }) email!: string;
 * }
 */
export function PersonalData(options: PersonalDataOptions): UniversalDecorator {
  return function personalDataDecorator(...args: unknown[]): void {
    const member = decoratedMember('@PersonalData', args);
    if (member.kind === 'field') {
      const owner = member.mode === 'legacy' ? `${member.owner.name}.${member.name}` : `field '${member.name}'`;
      addField(member, options as PersonalFieldOptions, `@PersonalData on ${owner}`);
    } else {
      const owner = member.mode === 'legacy' ? `${member.ownerName}.${member.name}` : `method '${member.name}'`;
      addProcessingPart(member.method, `@PersonalData on ${owner}`, options as ProcessingOptions);
    }
  };
}

/**
 * The function twin of `@PersonalData` on a property, for code without decorators.
 *
 * @param target - the class
 * @param property - the property name
 * @param options - as for the decorator
 * @example
 * definePersonalData(User, 'email', { category: 'user.contact.email' });
 */
export function definePersonalData(target: Function, property: string, options: PersonalFieldOptions): void {
  if (typeof target !== 'function' || typeof property !== 'string' || property === '') {
    throw coreError('PK_INVALID_OPTION', "definePersonalData(Class, 'property', { category }) takes a class and a property name.");
  }
  addField({ kind: 'field', mode: 'legacy', owner: target, name: property }, options, `definePersonalData on ${target.name}.${property}`);
  registry().classes.add(target);
}

/**
 * The function twin of `@PersonalData` on a method.
 *
 * @example
 * defineProcessing(ShopController, 'profile', { categories: ['user.name'], purpose: 'essential.service', basis: 'contract' });
 */
export function defineProcessing(target: Function, method: string, options: ProcessingOptions): void {
  const fn = methodOf(target, method, 'defineProcessing');
  addProcessingPart(fn, `defineProcessing on ${target.name}.${method}`, options);
}
