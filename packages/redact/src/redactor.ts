import { PathMatcher } from './paths/path-matcher';
import type { RedactOptions, ResolvedRedactOptions } from './redact.options';
import { resolveRedactOptions } from './redact.options';
import { Replacer } from './replacement/replacer';
import { TextRedactor } from './text/text-redactor';
import type { WalkerConfig } from './walk/value-walker';
import { refreshDeclaredKeys } from './walk/class-fields';
import { FAILED, ValueWalker } from './walk/value-walker';
import { KeyPlans } from './walk/key-plans';

/**
 * A compiled redactor: call it with any value to get a redacted copy (the input is never changed).
 * Strings come back as strings, objects as objects, so it also fits pino's `formatters.log` hook.
 */
export interface Redactor {
  (value: string): string;
  (value: Record<string, unknown>): Record<string, unknown>;
  (value: unknown): unknown;
  /** Redacts one string with the free-text detectors only (no paths or keys apply to a bare string). */
  readonly text: (value: string) => string;
  /** The options it was compiled from, with defaults applied. */
  readonly options: ResolvedRedactOptions;
}

/**
 * Compiles a redactor once from its options. By default it redacts sensitive field names (password, token,
 * authorization, cookie, email, card number, ...), the `@PersonalData` fields of class instances and, in every
 * string, e-mails, card numbers, IBANs, IP addresses, JWTs, SSNs, NI numbers, phone numbers, bearer tokens and
 * `password=` pairs. It never mutates its input, copes with cycles, throwing getters, Maps, Sets, Buffers,
 * BigInt and deep nesting, bounds its work, and emits `[REDACTED:redaction-failed]` rather than an original
 * if anything goes wrong.
 *
 * @param options - paths, detectors, replacement and limits; see {@link RedactOptions}
 * @example
 * const redact = createRedactor({ paths: ['order.shipping.street'], replacement: 'label' });
 * redact({ msg: 'mail alice@example.com', password: 'hunter2' });
 * // { msg: 'mail [REDACTED:email]', password: '[REDACTED:password]' }
 *
 * const logger = pino({ formatters: { log: createRedactor() } });
 */
export function createRedactor(options?: RedactOptions): Redactor {
  const resolved = resolveRedactOptions(options);
  const replacer = new Replacer(resolved.pseudonymize);
  const config: WalkerConfig = {
    paths: resolved.paths.length === 0 ? undefined : new PathMatcher(resolved.paths),
    keys: resolved.keys,
    classAware: resolved.classAware,
    shapeFields: resolved.shapeFields,
    plans: new KeyPlans(resolved.keys),
    text: new TextRedactor(resolved.detectors, replacer, resolved.maxStringLength),
    replacer,
    replacement: resolved.replacement,
    maxDepth: resolved.maxDepth,
    maxNodes: resolved.maxNodes,
    maxTotalText: resolved.maxTotalText,
  };
  const walker = new ValueWalker(config);

  function redact(value: unknown): unknown {
    // A getter or toJSON that logs while we walk re-enters here: it gets a walker of its own.
    const w = walker.busy ? new ValueWalker(config) : walker;
    try {
      if (resolved.classAware) refreshDeclaredKeys();
      return w.redact(value);
    } catch {
      return typeof value === 'object' && value !== null ? { message: FAILED } : FAILED;
    }
  }

  function redactText(value: string): string {
    if (typeof value !== 'string') return redact(value) as string;
    try {
      if (resolved.classAware) refreshDeclaredKeys();
      return config.text.redact(value);
    } catch {
      return FAILED;
    }
  }

  return Object.assign(redact, { text: redactText, options: resolved }) as Redactor;
}
