import { isKnownTerm, resolveTerm } from '../../vocabulary/vocabulary';
import type { Alert } from '../monitoring-contracts';
import { makeAlert, onRoute } from '../alert-text';
import { MONITOR_MAX_KEYS } from '../monitor-options';
import { KeyedStates } from '../windows';
import type { MonitorRule, ObservedRecord } from './monitor-rule';

/** Category keys looked up; an app declares a few dozen, so past this the cache starts afresh rather than grow. */
const MAX_CACHED_CATEGORIES = 10_000;

/**
 * `firstSpecial`: an actor touching a special category (Art. 9/10) of someone else's data for the first time the
 * monitor has seen (a person reading their own data, actor = subject, is not counted). Remembers the actors that did,
 * at most {@link MONITOR_MAX_KEYS} (the one idle the longest is forgotten first). After a restart every actor is new
 * again unless the monitor is primed with past records (`prime()`); `monitorRecords` reads the whole log.
 */
export class FirstSpecialRule implements MonitorRule {
  private readonly seen = new KeyedStates<true>(MONITOR_MAX_KEYS, Infinity, () => true);
  private readonly special = new Map<string, boolean>();

  observe({ entry, ms, route, categories }: ObservedRecord, out: Alert[]): void {
    if (entry.event !== 'access' || entry.decision !== 'allowed' || entry.actor === null || entry.actor === entry.subject) return;
    let specials: string[] | undefined;
    for (const category of categories) {
      if (this.isSpecial(category)) (specials ??= []).push(category);
    }
    if (specials === undefined) return;
    const known = this.seen.size;
    this.seen.use(entry.actor, ms);
    if (this.seen.size === known) return;
    specials.sort();
    out.push(makeAlert({
      rule: 'firstSpecial',
      key: entry.actor,
      actor: entry.actor,
      route,
      from: ms,
      to: ms,
      count: 1,
      threshold: 1,
      explanation: `${entry.actor} touched special categories (${specials.join(', ')}) for the first time the monitor has seen${onRoute(route)}.`,
      query: { actor: entry.actor, ...(route === null ? {} : { route }), event: 'access', decision: 'allowed' },
      time: entry.time,
      categories: specials,
    }));
  }

  private isSpecial(category: string): boolean {
    let special = this.special.get(category);
    if (special === undefined) {
      special = isKnownTerm('category', category) && resolveTerm('category', category, 'monitor').special;
      if (this.special.size >= MAX_CACHED_CATEGORIES) this.special.clear();
      this.special.set(category, special);
    }
    return special;
  }

  sweep(): void {
    // Bounded by MONITOR_MAX_KEYS, never by time: "first" has no window.
  }

  size(): number {
    return this.seen.size;
  }
}
