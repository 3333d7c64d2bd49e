import { coreError } from '../errors/core.error';
import type { PersonalFieldOptions, ProcessingOptions } from '../metadata/declarations';
import { PERSONAL_FIELDS_KEY } from '../metadata/metadata-keys';
import { registry } from '../metadata/registry';
import { resolveFieldOptions, validateProcessingPart } from '../metadata/resolve-declarations';
import type { PersonalFieldDeclaration } from '../metadata/declarations';
import type { DecoratedMember } from './decorator-target';

/** Stores a personal field for a decorated member (both modes); validates first, so nothing half-written stays. */
export function addField(member: Extract<DecoratedMember, { kind: 'field' }>, options: PersonalFieldOptions, where: string): void {
  const field = resolveFieldOptions(member.name, options, where);
  if (member.mode === 'legacy') {
    const fields = registry().fields;
    const own = fields.get(member.owner) ?? new Map<string, PersonalFieldDeclaration>();
    own.set(member.name, field);
    fields.set(member.owner, own);
    registry().classes.add(member.owner);
    return;
  }
  // Each class gets its own map on its own metadata object; readers walk the inherited chain, so a subclass
  // never writes into its parent's declarations.
  if (!Object.prototype.hasOwnProperty.call(member.metadata, PERSONAL_FIELDS_KEY)) {
    Object.defineProperty(member.metadata, PERSONAL_FIELDS_KEY, { value: new Map(), enumerable: false });
  }
  (member.metadata[PERSONAL_FIELDS_KEY] as Map<string, PersonalFieldDeclaration>).set(member.name, field);
}

/** Stores a processing part (from `@PersonalData` or `@RequiresConsent`) for a method function. */
export function addProcessingPart(method: Function, owner: string, part: ProcessingOptions): void {
  validateProcessingPart(part, owner);
  const methods = registry().methods;
  const existing = methods.get(method);
  methods.set(method, { owner, parts: [...(existing?.parts ?? []), part] });
}

/** The method function a twin names, or a clear error. */
export function methodOf(target: Function, method: string, twin: string): Function {
  const value = typeof target === 'function' ? (target.prototype as Record<string, unknown> | undefined)?.[method] : undefined;
  if (typeof value !== 'function') {
    throw coreError(
      'PK_INVALID_OPTION',
      `${twin}(${typeof target === 'function' ? target.name : String(target)}, '${method}'): no such method on the class prototype.`,
    );
  }
  return value;
}
