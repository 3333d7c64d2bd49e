import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CopyTextParser } from './copy-text-format';

/**
 * Runs one `COPY (...) TO STDOUT` on the client and yields its rows in arrays of at most `batchSize`. The COPY stream
 * is read only while the consumer asks for the next array: pg-copy-streams pauses the socket when its buffer is full,
 * so the server waits while the engine transforms and writes, and memory holds about one batch.
 *
 * @param client - a client inside the transaction the COPY belongs to
 * @param sql - the COPY statement (text format)
 * @param columns - how many values each row has
 */
export async function* copyOutRows(client: PoolClient, sql: string, columns: number, batchSize: number): AsyncGenerator<(string | null)[][]> {
  const stream = client.query(copyTo(sql));
  const parser = new CopyTextParser(columns);
  let batch: (string | null)[][] = [];
  // Leaving the loop early (the consumer stopped) destroys the stream; the caller then discards the connection.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (const row of parser.push(chunk)) {
      batch.push(row);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  parser.end();
  if (batch.length > 0) yield batch;
}
