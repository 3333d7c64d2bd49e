import type Database from 'better-sqlite3';
import type { IncidentEvent, IncidentEventInput } from '@privacy-kit/core';
import {
  INCIDENT_EVENT_COLUMNS,
  INCIDENT_EVENT_INSERT_COLUMNS,
  incidentEventFromRow,
  validateIncidentEventInput,
  validateIncidentEventQuery,
  type IncidentEventRow,
} from '@privacy-kit/core/store';
import { PACKAGE } from './sqlite-errors';

const SELECT_EVENTS = `SELECT ${INCIDENT_EVENT_COLUMNS.join(', ')} FROM incident_events`;

/**
 * The incident register of a SQLite store, on the store's own connection: an append is one short INSERT (incidents
 * are rare), so it runs on the event loop like the rights requests; callers wrap each call in the store's `run()`,
 * which waits on a timer when another process holds the write lock. The table's triggers refuse UPDATE and DELETE.
 */
export class SqliteIncidents {
  private readonly insert: Database.Statement;
  private readonly all: Database.Statement;
  private readonly ofIncident: Database.Statement;

  /**
   * @param db - the store's connection (migrated)
   * @param synchronous - the connection's usual `synchronous` level, restored after each append
   */
  constructor(private readonly db: Database.Database, private readonly synchronous: string) {
    this.insert = db.prepare(`INSERT INTO incident_events (${INCIDENT_EVENT_INSERT_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?)`);
    this.all = db.prepare(`${SELECT_EVENTS} ORDER BY seq`);
    this.ofIncident = db.prepare(`${SELECT_EVENTS} WHERE incident_id = ? ORDER BY seq`);
  }

  /**
   * Appends an event, committed with synchronous=FULL whatever the store's durability (the register is the record a
   * supervisory authority may ask for, and appends are rare); resolves with it as stored.
   */
  append(event: IncidentEventInput): IncidentEvent {
    const data = validateIncidentEventInput(event, PACKAGE);
    const row = { incident_id: event.incidentId, kind: event.kind, time: event.time, actor: event.actor, data };
    const seq = this.durably(() => this.insert.run(row.incident_id, row.kind, row.time, row.actor, row.data).lastInsertRowid);
    return incidentEventFromRow({ seq, ...row });
  }

  read(query: { readonly incidentId?: string } | undefined): IncidentEvent[] {
    validateIncidentEventQuery(query, PACKAGE);
    const rows = (query?.incidentId === undefined ? this.all.all() : this.ofIncident.all(query.incidentId)) as IncidentEventRow[];
    return rows.map(incidentEventFromRow);
  }

  private durably<T>(write: () => T): T {
    if (this.synchronous === 'FULL') return write();
    this.db.pragma('synchronous = FULL');
    try {
      return write();
    } finally {
      this.db.pragma(`synchronous = ${this.synchronous}`);
    }
  }
}
