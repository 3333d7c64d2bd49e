/** A route label standing for "more than one route" (never a real label: those start with a method or '/'). */
const MIXED = '\u0000mixed';

/** Counts per value (routes, categories) of the records in a window, so the window's union is known without a scan. */
class Tally {
  private readonly counts = new Map<string | null, number>();

  add(value: string | null): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  remove(value: string | null): void {
    const n = (this.counts.get(value) ?? 0) - 1;
    if (n <= 0) this.counts.delete(value);
    else this.counts.set(value, n);
  }

  /** The one value every record shares, or null (none, several, or mixed). */
  single(): string | null {
    if (this.counts.size !== 1) return null;
    const [only] = this.counts.keys();
    return only === undefined || only === MIXED ? null : only;
  }

  /** Every value, sorted. */
  values(): string[] {
    return [...this.counts.keys()].filter((v): v is string => v !== null).sort();
  }
}

interface Member {
  last: number;
  route: string | null;
  categories: readonly string[];
}

/**
 * The distinct ids (subjects, requests) seen in a sliding window. A Map in order of last sight: expiring is taking
 * from the front, so nothing is sorted or copied. Holds one entry per id seen within the window.
 */
export class DistinctWindow {
  private readonly members = new Map<string, Member>();
  private readonly routes = new Tally();
  private readonly categories = new Tally();

  get count(): number {
    return this.members.size;
  }

  add(id: string, ms: number, route: string | null, categories: readonly string[]): void {
    const member = this.members.get(id);
    if (member === undefined) {
      this.members.set(id, { last: ms, route, categories });
      this.routes.add(route);
      for (const c of categories) this.categories.add(c);
      return;
    }
    this.members.delete(id);
    member.last = ms;
    if (member.route !== route && member.route !== MIXED) {
      this.routes.remove(member.route);
      member.route = MIXED;
      this.routes.add(MIXED);
    }
    if (categories !== member.categories) {
      for (const c of categories) {
        if (!member.categories.includes(c)) {
          member.categories = [...member.categories, c];
          this.categories.add(c);
        }
      }
    }
    this.members.set(id, member);
  }

  /** Forgets the ids last seen at or before `cutoff`. */
  prune(cutoff: number): void {
    for (const [id, member] of this.members) {
      if (member.last > cutoff) return;
      this.members.delete(id);
      this.routes.remove(member.route);
      for (const c of member.categories) this.categories.remove(c);
    }
  }

  /** The earliest last sight in the window (every id counted has a record at or after it). */
  from(): number {
    for (const member of this.members.values()) return member.last;
    return Number.NaN;
  }

  route(): string | null {
    return this.routes.single();
  }

  categoryList(): string[] {
    return this.categories.values();
  }
}

/** The records of a sliding window, as a queue of times (arrays with a moving head, compacted now and then). */
export class EventWindow {
  private times: number[] = [];
  private routeOf: (string | null)[] = [];
  private categoriesOf: (readonly string[])[] = [];
  private head = 0;
  private readonly routes = new Tally();
  private readonly categories = new Tally();

  get count(): number {
    return this.times.length - this.head;
  }

  add(ms: number, route: string | null, categories: readonly string[]): void {
    this.times.push(ms);
    this.routeOf.push(route);
    this.categoriesOf.push(categories);
    this.routes.add(route);
    for (const c of categories) this.categories.add(c);
  }

  /** Forgets the records at or before `cutoff`. */
  prune(cutoff: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) {
      this.routes.remove(this.routeOf[this.head] as string | null);
      for (const c of this.categoriesOf[this.head] as readonly string[]) this.categories.remove(c);
      this.head++;
    }
    if (this.head === this.times.length) {
      this.times = [];
      this.routeOf = [];
      this.categoriesOf = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.times.length) {
      this.times = this.times.slice(this.head);
      this.routeOf = this.routeOf.slice(this.head);
      this.categoriesOf = this.categoriesOf.slice(this.head);
      this.head = 0;
    }
  }

  from(): number {
    return this.times[this.head] ?? Number.NaN;
  }

  route(): string | null {
    return this.routes.single();
  }

  categoryList(): string[] {
    return this.categories.values();
  }
}

/**
 * Per-key state with a bound: keys in order of last use, so the idle ones are forgotten from the front; past `max`
 * keys, the one idle the longest goes first.
 */
export class KeyedStates<S> {
  private readonly entries = new Map<string, { state: S; last: number }>();

  constructor(private readonly max: number, private readonly idleMs: number, private readonly create: (ms: number) => S) {}

  get size(): number {
    return this.entries.size;
  }

  /** The key's state (created when new), marked as used at `ms`. */
  use(key: string, ms: number): S {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      entry.last = ms;
      this.entries.set(key, entry);
      return entry.state;
    }
    if (this.entries.size >= this.max) {
      for (const oldest of this.entries.keys()) {
        this.entries.delete(oldest);
        break;
      }
    }
    const state = this.create(ms);
    this.entries.set(key, { state, last: ms });
    return state;
  }

  /** Forgets the keys not used after `now - idleMs`. */
  sweep(now: number): void {
    const cutoff = now - this.idleMs;
    for (const [key, entry] of this.entries) {
      if (entry.last > cutoff) return;
      this.entries.delete(key);
    }
  }

  /** Every state (for a total of what is held). */
  states(): IterableIterator<S> {
    return [...this.entries.values()].map((e) => e.state).values();
  }
}
