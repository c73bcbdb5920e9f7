/**
 * Streams the rows of one batch query with back-pressure: the driver stops reading from the socket
 * while the consumer is busy, so memory stays bounded whatever the batch size.
 */
import type { BoundQuery } from './sql';
import type { SourcePool } from './pool';
import { bindRequest } from './query';

export async function* streamRows(
  pool: SourcePool,
  query: BoundQuery,
  signal?: AbortSignal,
  highWaterMark = 2_000,
): AsyncGenerator<unknown[]> {
  const request = bindRequest(pool, query);
  request.arrayRowMode = true;
  const rows = request.toReadableStream({ highWaterMark });
  const cancel = () => request.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  request.query(query.text).catch(() => undefined); // errors arrive through the stream
  try {
    for await (const row of rows) yield row as unknown[];
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!rows.readableEnded) rows.destroy();
  }
}
