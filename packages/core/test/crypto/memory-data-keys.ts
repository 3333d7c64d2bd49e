import type { DataKeyListQuery, DataKeyStore, WrappedDataKey } from '@privacy-kit/core';

/** A DataKeyStore in memory, for the cipher's unit tests (the stores' own tables are contract-tested elsewhere). */
export class MemoryDataKeys implements DataKeyStore {
  readonly keys = new Map<string, WrappedDataKey>();
  /** Fails the n-th call of rewrapDataKey (1-based), as a crash in the middle of a rotation. */
  failRewrapAt = 0;
  private rewraps = 0;

  private id(subject: string, keyId: string): string {
    return `${subject}\u0000${keyId}`;
  }

  addDataKey(key: Omit<WrappedDataKey, 'current'>, options: { readonly ifNoCurrent?: boolean } = {}): Promise<WrappedDataKey> {
    const current = [...this.keys.values()].find((k) => k.subject === key.subject && k.current);
    if (options.ifNoCurrent === true && current !== undefined) return Promise.resolve(current);
    if (current !== undefined) this.keys.set(this.id(current.subject, current.keyId), { ...current, current: false });
    const added = { ...key, current: true };
    this.keys.set(this.id(key.subject, key.keyId), added);
    return Promise.resolve(added);
  }

  dataKey(subject: string, keyId: string): Promise<WrappedDataKey | undefined> {
    return Promise.resolve(this.keys.get(this.id(subject, keyId)));
  }

  currentDataKey(subject: string): Promise<WrappedDataKey | undefined> {
    return Promise.resolve([...this.keys.values()].find((k) => k.subject === subject && k.current));
  }

  destroyDataKeys(subject: string): Promise<number> {
    let n = 0;
    for (const [id, k] of this.keys) if (k.subject === subject) { this.keys.delete(id); n++; }
    return Promise.resolve(n);
  }

  listDataKeys(query: DataKeyListQuery): Promise<readonly WrappedDataKey[]> {
    const after = query.after === undefined ? undefined : this.id(query.after.subject, query.after.keyId);
    const all = [...this.keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([id, k]) => (after === undefined || id > after) && (query.notKekId === undefined || k.kekId !== query.notKekId));
    return Promise.resolve(all.slice(0, query.limit).map(([, k]) => k));
  }

  rewrapDataKey(subject: string, keyId: string, fromKekId: string, wrapped: string, kekId: string): Promise<boolean> {
    this.rewraps++;
    if (this.rewraps === this.failRewrapAt) return Promise.reject(new Error('connection lost in the middle of the rotation'));
    const key = this.keys.get(this.id(subject, keyId));
    if (key === undefined || key.kekId !== fromKekId) return Promise.resolve(false);
    this.keys.set(this.id(subject, keyId), { ...key, wrapped, kekId });
    return Promise.resolve(true);
  }
}
