import { afterEach, beforeEach } from '@jest/globals';
/** How a contract suite opens the store under test and its peers (another instance on the same database). */
export interface ContractStoreHarness<S extends { close(): Promise<void> }> {
  create(): Promise<S>;
  peer(store: S): Promise<S>;
  destroy?(store: S): Promise<void>;
}

/** What {@link contractStores} gives a suite. */
export interface ContractStores<S> {
  /** Opens a peer of the current store, closed after the test. */
  peer(): Promise<S>;
  /** Says the test closed the store itself (it is not closed again after the test). */
  closed(): void;
}

/**
 * Opens a fresh store before each test of a contract suite (handed to `use`), and after each test closes it (unless
 * the test did) and every peer the test opened, then lets the harness destroy it. Call it inside the suite's
 * `describe`.
 *
 * @param harness - how to make and drop the stores
 * @param use - receives each test's store
 */
export function contractStores<S extends { close(): Promise<void> }>(harness: ContractStoreHarness<S>, use: (store: S) => void): ContractStores<S> {
  let store: S | undefined;
  let closed = false;
  let peers: S[] = [];
  beforeEach(async () => {
    store = await harness.create();
    use(store);
    closed = false;
    peers = [];
  });
  afterEach(async () => {
    await Promise.all(peers.map((peer) => peer.close()));
    if (store === undefined) return;
    if (!closed) await store.close();
    await harness.destroy?.(store);
  });
  return {
    async peer() {
      const opened = await harness.peer(store as S);
      peers.push(opened);
      return opened;
    },
    closed() {
      closed = true;
    },
  };
}
