import { describeCopyAdapterContract, type CopyContractFixture } from '@privacy-kit/core/testing';
import { openPostgresCopySource, openPostgresCopyTarget } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from '../pg-test-env';

const TYPES = { integer: 'integer', text: 'text', real: 'double precision' } as const;
const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string | number | null): string => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`);

/** Every database of the suite is a fresh schema of the test database; its location is the schema's name. */
const schemas: string[] = [];

async function writeFixture(schema: string, fixture: CopyContractFixture): Promise<void> {
  const statements: string[] = [`CREATE SCHEMA ${q(schema)}`, `SET search_path TO ${q(schema)}`];
  for (const table of fixture.tables) {
    const columns = table.columns.map((c) => `${q(c.name)} ${TYPES[c.affinity]}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.notNull && !c.primaryKey ? ' NOT NULL' : ''}`);
    statements.push(`CREATE TABLE ${q(table.name)} (${columns.join(', ')})`);
    for (const index of table.indexes) statements.push(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q(index.name)} ON ${q(table.name)} (${index.columns.map(q).join(', ')})`);
    if (table.rows.length > 0) statements.push(`INSERT INTO ${q(table.name)} VALUES ${table.rows.map((row) => `(${row.map(literal).join(', ')})`).join(', ')}`);
  }
  for (const table of fixture.tables) {
    for (const column of table.columns) {
      if (column.references !== undefined) {
        statements.push(`ALTER TABLE ${q(table.name)} ADD FOREIGN KEY (${q(column.name)}) REFERENCES ${q(column.references.table)} (${q(column.references.column)})`);
      }
    }
  }
  await sql(statements.join(';\n'));
}

describeCopyAdapterContract('PostgreSQL', {
  async createDatabase(fixture) {
    const schema = freshSchema();
    schemas.push(schema);
    await writeFixture(schema, fixture);
    return schema;
  },
  async createEmpty() {
    const schema = freshSchema();
    schemas.push(schema);
    return schema;
  },
  openSource: (schema) => openPostgresCopySource({ connectionString: databaseUrl(), schema }),
  openTarget: (schema) => openPostgresCopyTarget({ connectionString: databaseUrl(), schema }),
  async indexNames(schema) {
    const rows = await sql<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [schema]);
    return rows.map((r) => r.indexname);
  },
  async cleanup() {
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  },
});
