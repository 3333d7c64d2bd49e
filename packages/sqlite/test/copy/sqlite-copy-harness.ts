import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CopyAdapterContractHarness, CopyContractFixture } from '@privacy-kit/core/testing';
import { openSqliteCopySource, openSqliteCopyTarget } from '@privacy-kit/sqlite';

const TYPES = { integer: 'INTEGER', text: 'TEXT', real: 'REAL' } as const;
const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Temporary folders of the test files, removed by cleanup(). */
export class TempFiles {
  private readonly folders: string[] = [];
  private count = 0;

  /** A path for a new file (not created). */
  path(name = 'db'): string {
    const dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-copy-'));
    this.folders.push(dir);
    this.count += 1;
    return join(dir, `${name}-${this.count}.db`);
  }

  cleanup(): void {
    for (const dir of this.folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a fixture into a SQLite file: its tables (foreign keys, indexes) and rows. */
export function writeFixture(filename: string, fixture: CopyContractFixture): void {
  const db = new Database(filename);
  try {
    for (const table of fixture.tables) {
      const columns = table.columns.map((c) => `${q(c.name)} ${TYPES[c.affinity]}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.notNull && !c.primaryKey ? ' NOT NULL' : ''}${c.references ? ` REFERENCES ${q(c.references.table)} (${q(c.references.column)})` : ''}`);
      db.exec(`CREATE TABLE ${q(table.name)} (${columns.join(', ')})`);
      for (const index of table.indexes) db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q(index.name)} ON ${q(table.name)} (${index.columns.map(q).join(', ')})`);
    }
    db.pragma('foreign_keys = OFF');
    for (const table of fixture.tables) {
      const insert = db.prepare(`INSERT INTO ${q(table.name)} VALUES (${table.columns.map(() => '?').join(', ')})`);
      db.transaction(() => table.rows.forEach((row) => insert.run(row)))();
    }
  } finally {
    db.close();
  }
}

/** The contract harness of the SQLite copy adapters: every database is a file in a temporary folder. */
export function sqliteCopyHarness(files: TempFiles): CopyAdapterContractHarness {
  return {
    createDatabase: async (fixture) => {
      const file = files.path('source');
      writeFixture(file, fixture);
      return file;
    },
    createEmpty: async () => files.path('target'),
    openSource: openSqliteCopySource,
    openTarget: openSqliteCopyTarget,
    indexNames: async (file) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all() as string[];
      } finally {
        db.close();
      }
    },
    cleanup: async () => files.cleanup(),
  };
}
