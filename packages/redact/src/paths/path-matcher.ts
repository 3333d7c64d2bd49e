import type { PathSegment } from './path-parser';

interface TrieNode {
  readonly id: number;
  readonly literal: Map<string, TrieNode>;
  star: TrieNode | undefined;
  globstar: TrieNode | undefined;
  /** A node reached by `**`: it stays active at every level below. */
  readonly isGlobstar: boolean;
  terminal: boolean;
}

/**
 * One state of the compiled matcher: the set of path positions reachable after the keys walked so far.
 * Transitions are computed on first use and cached, so matching a key costs one Map lookup.
 */
export interface PathState {
  /** Whether a path ends here: the value at this position is redacted. */
  readonly terminal: boolean;
  /** Whether any key can continue a path from here (a `*` or `**`); if not, only `literals` can. */
  readonly wildcard: boolean;
  /** The keys that continue a path from here by name. */
  readonly literals: readonly string[];
}

interface DfaState extends PathState {
  readonly nodes: readonly TrieNode[];
  readonly literalKeys: ReadonlySet<string>;
  readonly transitions: Map<string, DfaState | null>;
  other: DfaState | null | undefined;
}

/** Beyond this many states the matcher stops remembering new ones (it stays correct, only slower). */
const MAX_STATES = 10_000;

/**
 * Redaction paths compiled once into a lazily built automaton: `step(state, key)` gives the state after
 * descending into `key` (null when no path can match below), and `state.terminal` says the value there is
 * redacted. Handles `*` at any position and `**` (any number of levels).
 */
export class PathMatcher {
  /** The state at the root value, or null when there are no paths. */
  readonly root: PathState | null;
  private nextId = 0;
  private readonly states = new Map<string, DfaState>();

  constructor(paths: readonly (readonly PathSegment[])[]) {
    const trie = this.node(false);
    for (const segments of paths) {
      let at = trie;
      for (const segment of segments) {
        if (segment.kind === 'key') {
          let next = at.literal.get(segment.key);
          if (next === undefined) at.literal.set(segment.key, (next = this.node(false)));
          at = next;
        } else if (segment.kind === 'star') at = at.star ??= this.node(false);
        else at = at.globstar ??= this.node(true);
      }
      at.terminal = true;
    }
    this.root = paths.length === 0 ? null : this.intern(this.closure([trie]));
  }

  /** Whether a state's only wildcard is `*` (no `**`), so that every key without a literal rule goes to one state. */
  isPlainStar(state: PathState): boolean {
    const d = state as DfaState;
    return d.nodes.some((n) => n.star !== undefined) && !d.nodes.some((n) => n.isGlobstar || n.globstar !== undefined);
  }

  /** The state below `key`, or null when no path continues there. */
  step(state: PathState, key: string): PathState | null {
    const d = state as DfaState;
    const cached = d.transitions.get(key);
    if (cached !== undefined) return cached;
    if (!d.literalKeys.has(key)) {
      if (d.other === undefined) d.other = this.next(d, undefined);
      return d.other;
    }
    const next = this.next(d, key);
    if (d.transitions.size < MAX_STATES) d.transitions.set(key, next);
    return next;
  }

  private node(isGlobstar: boolean): TrieNode {
    return { id: this.nextId++, literal: new Map(), star: undefined, globstar: undefined, isGlobstar, terminal: false };
  }

  private closure(nodes: readonly TrieNode[]): TrieNode[] {
    const out: TrieNode[] = [];
    const seen = new Set<number>();
    const queue = [...nodes];
    while (queue.length > 0) {
      const n = queue.pop()!;
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push(n);
      if (n.globstar !== undefined) queue.push(n.globstar);
    }
    return out;
  }

  private next(d: DfaState, key: string | undefined): DfaState | null {
    const reached: TrieNode[] = [];
    for (const n of d.nodes) {
      if (key !== undefined) {
        const lit = n.literal.get(key);
        if (lit !== undefined) reached.push(lit);
      }
      if (n.star !== undefined) reached.push(n.star);
      if (n.isGlobstar) reached.push(n);
    }
    return reached.length === 0 ? null : this.intern(this.closure(reached));
  }

  private intern(nodes: TrieNode[]): DfaState {
    nodes.sort((a, b) => a.id - b.id);
    const id = nodes.map((n) => n.id).join(',');
    const existing = this.states.get(id);
    if (existing !== undefined) return existing;
    const literalKeys = new Set<string>();
    for (const n of nodes) for (const k of n.literal.keys()) literalKeys.add(k);
    const state: DfaState = {
      nodes,
      literalKeys,
      literals: [...literalKeys],
      wildcard: nodes.some((n) => n.star !== undefined || n.isGlobstar || n.globstar !== undefined),
      transitions: new Map(),
      other: undefined,
      terminal: nodes.some((n) => n.terminal),
    };
    if (this.states.size < MAX_STATES) this.states.set(id, state);
    return state;
  }
}
