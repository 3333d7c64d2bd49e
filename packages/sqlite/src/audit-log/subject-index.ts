import { rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

// The subject index of a store's audit log: which records (seq) concern which subject, in a SQLite file of its own
// next to the database (`<database>-subject-index`). It is derived data: built in bulk on the audit writer thread
// from the records the log already holds, never on the request path, and rebuilt from the log when it is missing,
// unreadable, of another log or ahead of it. Queries by subject use it up to the seq it has reached and scan the
// records after that by seq.

/** How often the writer thread adds the new records to the subject index, in ms. */
export const SUBJECT_INDEX_INTERVAL_MS = 500;

/** At most this many records are indexed in one transaction. */
export const SUBJECT_INDEX_BATCH = 20_000;

/** The page cache of each of the thread's connections, in KiB (SQLite's default is 2,000): its memory is the app's. */
export const THREAD_CACHE_KIB = 512;

/** The subject index file of a database file. */
export function subjectIndexFile(databaseFile: string): string {
  return `${databaseFile}-subject-index`;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_subjects (subject TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (subject, seq)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS indexed (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, first_mac TEXT NOT NULL);
`;

/**
 * The writer thread's side: adds the records the log gained since the last run to the index, in one transaction on
 * the index file (so the log's own lock is never taken; the log is only read). Starts over when the index is of
 * another log (its first record differs) or ahead of it (the log was restored from an older copy).
 */
export class SubjectIndexer {
  private index: OpenIndex | undefined;
  /** The inode of the file as opened: when the path names another file (or none), the index is opened again. */
  private ino = -1;
  private readonly firstMac: Database.Statement;
  private readonly lastSeq: Database.Statement;
  private readonly batchEnd: Database.Statement;
  private readonly bySubject: Database.Statement;

  constructor(private readonly log: Database.Database, private readonly file: string) {
    // Prepared once: the thread runs a step every SUBJECT_INDEX_INTERVAL_MS.
    this.firstMac = log.prepare('SELECT mac FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log)').pluck();
    this.lastSeq = log.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck();
    this.batchEnd = log.prepare('SELECT max(seq) FROM (SELECT seq FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?)').pluck();
    // In subject order (sorted by SQLite, not held as objects), so the new entries of one subject land on the same
    // page of the index and each page is written once per run.
    this.bySubject = log.prepare('SELECT subject, seq FROM audit_log WHERE seq > ? AND seq <= ? AND subject IS NOT NULL ORDER BY subject, seq').raw();
  }

  /** Indexes up to {@link SUBJECT_INDEX_BATCH} new records; returns how many it indexed. */
  step(): number {
    const index = this.open();
    const first = this.firstMac.get() as string | undefined;
    const last = this.lastSeq.get() as number;
    let state = index.state.get() as { seq: number; firstMac: string } | undefined;
    if (state !== undefined && (state.seq > last || (first !== undefined && state.firstMac !== first))) {
      index.db.exec('DELETE FROM audit_subjects; DELETE FROM indexed;');
      state = undefined;
    }
    if (first === undefined) return 0;
    const from = state?.seq ?? 0;
    const end = this.batchEnd.get(from, SUBJECT_INDEX_BATCH) as number | null;
    if (end === null) return 0;
    index.db.transaction(() => {
      for (const row of this.bySubject.iterate(from, end) as IterableIterator<[string, number]>) index.insert.run(row[0], row[1]);
      index.mark.run(end, first);
    }).immediate();
    return end - from;
  }

  close(): void {
    this.index?.db.close();
    this.index = undefined;
  }

  private open(): OpenIndex {
    if (this.index !== undefined) {
      if (statSync(this.file, { throwIfNoEntry: false })?.ino === this.ino) return this.index;
      this.close();
    }
    let db: Database.Database;
    try {
      db = openIndexFile(this.file);
    } catch {
      // Unreadable (damaged, or not an index): it is derived data, so it is made again.
      for (const suffix of ['', '-wal', '-shm']) rmQuietly(`${this.file}${suffix}`);
      db = openIndexFile(this.file);
    }
    this.index = {
      db,
      state: db.prepare('SELECT seq, first_mac AS firstMac FROM indexed WHERE id = 1'),
      insert: db.prepare('INSERT OR IGNORE INTO audit_subjects (subject, seq) VALUES (?, ?)'),
      mark: db.prepare('INSERT INTO indexed (id, seq, first_mac) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, first_mac = excluded.first_mac'),
    };
    this.ino = statSync(this.file).ino;
    return this.index;
  }
}

/** The index file as the indexer uses it, with its statements. */
interface OpenIndex {
  readonly db: Database.Database;
  readonly state: Database.Statement;
  readonly insert: Database.Statement;
  readonly mark: Database.Statement;
}

function openIndexFile(file: string): Database.Database {
  const db = new Database(file, { timeout: 1000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${THREAD_CACHE_KIB}`);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function rmQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing to remove, or not ours to remove: opening it again will say so.
  }
}

/**
 * The main thread's side: what the index knows of a subject, or undefined when it cannot be used (no index yet, or
 * one of another log, or ahead of this one): the query then scans the whole log by subject.
 *
 * @param file - the index file
 * @param subject - the subject pseudonym
 * @param log - the log's first record's MAC and its last seq, as the store reads them
 */
export function indexedSeqsOf(file: string, subject: string, log: { readonly firstMac: string | undefined; readonly lastSeq: number }): { readonly seqs: number[]; readonly indexedSeq: number } | undefined {
  if (log.firstMac === undefined) return undefined;
  let index: Database.Database;
  try {
    index = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    const state = index.prepare('SELECT seq, first_mac AS firstMac FROM indexed WHERE id = 1').get() as { seq: number; firstMac: string } | undefined;
    if (state === undefined || state.firstMac !== log.firstMac || state.seq > log.lastSeq) return undefined;
    const seqs = index.prepare('SELECT seq FROM audit_subjects WHERE subject = ? AND seq <= ? ORDER BY seq').pluck().all(subject, state.seq) as number[];
    return { seqs, indexedSeq: state.seq };
  } catch {
    return undefined;
  } finally {
    index.close();
  }
}
