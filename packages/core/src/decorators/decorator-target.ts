import { coreError } from '../errors/core.error';

/** What a decorator was applied to, normalised across legacy (experimentalDecorators) and standard (TC39) modes. */
export type DecoratedMember =
  | { readonly kind: 'field'; readonly mode: 'legacy'; readonly owner: Function; readonly name: string }
  | { readonly kind: 'field'; readonly mode: 'standard'; readonly metadata: Record<PropertyKey, unknown>; readonly name: string }
  | { readonly kind: 'method'; readonly mode: 'legacy' | 'standard'; readonly method: Function; readonly ownerName: string; readonly name: string };

interface StandardContext {
  readonly kind: string;
  readonly name: string | symbol;
  readonly static?: boolean;
  readonly private?: boolean;
  readonly metadata?: Record<PropertyKey, unknown>;
}

function isStandardContext(value: unknown): value is StandardContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value;
}

/**
 * Normalises the arguments a decorator receives, like lit does: one signature, a runtime branch on the second
 * argument (a property key in legacy mode, a context object in standard mode). Never uses `design:type`.
 *
 * @param decorator - the decorator's name for messages, e.g. '@PersonalData'
 */
export function decoratedMember(decorator: string, args: readonly unknown[]): DecoratedMember {
  const [target, second, descriptor] = args;
  if (isStandardContext(second)) {
    const name = String(second.name);
    if (second.static === true || second.private === true) {
      throw coreError('PK_INVALID_DECORATOR', `${decorator} on ${second.static === true ? 'static' : 'private'} member '${name}': annotate public instance members only.`);
    }
    if (second.kind === 'method') {
      return { kind: 'method', mode: 'standard', method: target as Function, ownerName: '(class)', name };
    }
    if (second.kind === 'field' || second.kind === 'accessor' || second.kind === 'getter') {
      if (second.metadata === undefined) {
        throw coreError('PK_INVALID_DECORATOR', `${decorator} on '${name}': decorator metadata is unavailable. Import @privacy-kit/core before the class is defined, or use TypeScript 5.2 or later.`);
      }
      return { kind: 'field', mode: 'standard', metadata: second.metadata, name };
    }
    throw coreError('PK_INVALID_DECORATOR', `${decorator} cannot decorate a ${second.kind} ('${name}'); use it on a property or a method.`);
  }
  if ((typeof target === 'object' || typeof target === 'function') && target !== null && (typeof second === 'string' || typeof second === 'symbol')) {
    const name = String(second);
    if (typeof target === 'function') {
      throw coreError('PK_INVALID_DECORATOR', `${decorator} on static member ${target.name}.${name}: annotate instance members only.`);
    }
    const owner = (target as { constructor: Function }).constructor;
    const desc = descriptor as PropertyDescriptor | undefined;
    if (desc !== undefined && typeof desc.value === 'function') {
      return { kind: 'method', mode: 'legacy', method: desc.value as Function, ownerName: owner.name, name };
    }
    return { kind: 'field', mode: 'legacy', owner, name };
  }
  throw coreError('PK_INVALID_DECORATOR', `${decorator} was applied to something that is not a class member; put it on a property or method, or call its function twin.`);
}
