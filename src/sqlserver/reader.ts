/**
 * Streams the rows of one batch query with back-pressure: the driver stops reading from the socket
 * while the consumer is busy, so memory stays bounded whatever the batch size.
 */
import type { Readable } from 'node:stream';
import type { BoundQuery } from '../sql/sqlserver/queries';
import { bindRequest } from './query';
import type { SourceReader } from './read-transaction';

/**
 * The rows as arrays of the rows the driver has buffered so far (at most `highWaterMark` each).
 * Arrays, not single rows: every `await` costs a few promises, and under Temporal's activity context
 * (async hooks) a promise per row was a tenth of the worker's CPU. Few rows buffered: rows that wait
 * long enough to survive young-generation collections fill the old space (peak RSS 432 MB with 2,000
 * rows per stream, 348 MB with 500, same CPU; 4 batches in flight).
 */
export async function* streamRows(
  pool: SourceReader,
  query: BoundQuery,
  signal?: AbortSignal,
  highWaterMark = 500,
): AsyncGenerator<unknown[][]> {
  const request = bindRequest(pool, query);
  request.arrayRowMode = true;
  const rows = request.toReadableStream({ highWaterMark });
  const cancel = () => request.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  const finished = request.query(query.text).catch(() => undefined); // errors arrive through the stream
  try {
    yield* buffered(rows);
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!rows.readableEnded) {
      // Nothing reads the rest: SQL Server stops sending it, and the connection (a read transaction's
      // included) is free for the next request, or its rollback, once this returns.
      request.cancel();
      rows.destroy();
      await finished;
    }
  }
}

/** What an object-mode stream holds, an array at a time; waits (for data, the end or an error) only when it is empty. */
async function* buffered(stream: Readable): AsyncGenerator<unknown[][]> {
  for (;;) {
    if (stream.errored) throw stream.errored;
    const batch: unknown[][] = [];
    for (let row = stream.read() as unknown[] | null; row !== null; row = stream.read() as unknown[] | null)
      batch.push(row);
    if (batch.length) yield batch;
    else if (stream.readableEnded || stream.destroyed) return;
    else await readableOrEnd(stream);
  }
}

function readableOrEnd(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('readable', onReadable).off('end', onEnd).off('close', onEnd).off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onReadable = () => done();
    const onEnd = () => done();
    stream.on('readable', onReadable).on('end', onEnd).on('close', onEnd).on('error', done);
  });
}
