import type { IncidentEvent, IncidentEventInput } from '@privacy-kit/core';
import { INCIDENT_EVENT_COLUMNS, INCIDENT_EVENT_INSERT_COLUMNS, incidentEventFromRow, type IncidentEventRow } from '@privacy-kit/core/store';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';

const COLUMNS = INCIDENT_EVENT_COLUMNS.join(', ');

/**
 * The incident register of a PostgreSQL store, through the pool: an append is one INSERT … RETURNING (its seq comes
 * from an identity column, so instances appending at once each get their own); the table's triggers refuse UPDATE,
 * DELETE and TRUNCATE. Validate the input first (the store does).
 */
export class PostgresIncidents {
  private readonly table: string;

  constructor(private readonly connections: PostgresConnections, names: PostgresSchemaNames) {
    this.table = `${names.quoted}.incident_events`;
  }

  /**
   * @param event - the validated event
   * @param data - its facts as JSON text (from `validateIncidentEventInput`)
   */
  async append(event: IncidentEventInput, data: string): Promise<IncidentEvent> {
    const { rows } = await this.connections.pool.query<{ seq: string }>(
      `INSERT INTO ${this.table} (${INCIDENT_EVENT_INSERT_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5) RETURNING seq`,
      [event.incidentId, event.kind, event.time, event.actor, data],
    );
    return incidentEventFromRow({ seq: rows[0]?.seq ?? 0, incident_id: event.incidentId, kind: event.kind, time: event.time, actor: event.actor, data });
  }

  async read(incidentId: string | undefined): Promise<IncidentEvent[]> {
    const { rows } = incidentId === undefined
      ? await this.connections.pool.query<IncidentEventRow>(`SELECT ${COLUMNS} FROM ${this.table} ORDER BY seq`)
      : await this.connections.pool.query<IncidentEventRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE incident_id = $1 ORDER BY seq`, [incidentId]);
    return rows.map(incidentEventFromRow);
  }
}
