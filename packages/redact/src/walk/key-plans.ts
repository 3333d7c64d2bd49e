import type { MatchKind } from '../detectors/detector';
import { classifyKey, declaredKeysVersion, normalizeKey } from '../keys/sensitive-keys';
import { formatLabel } from '../replacement/replacer';
import type { FieldKind } from './class-fields';
import { ownersOf } from './class-fields';

/** How a value found by key, path or class field is replaced. */
export type Kind = Pick<MatchKind, 'label' | 'category' | 'secret'>;

/** The field maps of the annotated classes that declare a key personal. */
export type Owners = readonly ReadonlyMap<string, FieldKind>[];

/** Everything a key says, looked up once per spelling: its sensitive kind (after `keys.extra`/`ignore`) and its owners. */
export interface KeyPlan {
  readonly kind: Kind | undefined;
  /** The label replacement of a value under this key (`[REDACTED:email]`), when the key is sensitive. */
  readonly labelText: string | undefined;
  readonly owners: Owners | null;
}

const EXTRA_KEY_KIND: Kind = { label: '', category: 'user', secret: false };
/** Keys are field names; a map keyed by user ids would otherwise grow without end. */
const MAX_PLANS = 4096;

/**
 * The plans of the keys a redactor met, one map lookup per key of a record instead of one per question. Emptied
 * when the declared keys change (a class annotated later).
 */
export class KeyPlans {
  private plans = new Map<string, KeyPlan>();
  private version = declaredKeysVersion();

  constructor(private readonly keys: false | { readonly extra: ReadonlySet<string>; readonly ignore: ReadonlySet<string> }) {}

  get(key: string): KeyPlan {
    if (this.version !== declaredKeysVersion()) {
      this.version = declaredKeysVersion();
      this.plans = new Map();
    }
    let plan = this.plans.get(key);
    if (plan === undefined) {
      const kind = this.kindOf(key);
      plan = { kind, labelText: kind === undefined ? undefined : formatLabel(kind.label), owners: ownersOf(key) };
      if (this.plans.size >= MAX_PLANS) this.plans = new Map();
      this.plans.set(key, plan);
    }
    return plan;
  }

  private kindOf(key: string): Kind | undefined {
    const keys = this.keys;
    if (keys === false) return undefined;
    const kind = classifyKey(key);
    if (keys.extra.size === 0 && keys.ignore.size === 0) return kind?.redact === true ? kind : undefined;
    const normalized = normalizeKey(key);
    if (keys.ignore.has(normalized)) return undefined;
    if (kind?.redact === true) return kind;
    return keys.extra.has(normalized) ? EXTRA_KEY_KIND : undefined;
  }
}
