/**
 * Standard (TC39) decorators share per-class data through `context.metadata`, which TypeScript only provides
 * when `Symbol.metadata` exists. Node 20 does not define it yet, so importing @privacy-kit/core defines it,
 * as TypeScript's release notes recommend. Two copies of the package agree because the first one wins.
 */
const symbolWithMetadata = Symbol as unknown as { metadata?: symbol };
if (symbolWithMetadata.metadata === undefined) {
  Object.defineProperty(Symbol, 'metadata', { value: Symbol.for('Symbol.metadata'), configurable: true });
}

export {};
