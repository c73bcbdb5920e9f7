/**
 * Writes a batch's rows as gzip-compressed CSV, streaming: rows are formatted and compressed as they
 * arrive, and reading from SQL Server waits while the compressor and the disk catch up.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants, gunzipSync } from 'node:zlib';
import { PRIVATE_FILE_MODE } from './work-dir';

export interface BatchFileStats {
  rows: number;
  /** Uncompressed CSV bytes. */
  bytes: number;
  fileBytes: number;
}

/** Lines are joined into chunks of about this size before compression: far fewer stream writes. */
const CHUNK_CHARS = 256 * 1024;

export async function writeGzipCsv(
  rows: AsyncIterable<unknown[][]>,
  formatRow: (row: unknown[]) => string,
  path: string,
  onProgress: (rows: number) => void,
): Promise<BatchFileStats> {
  // Level 1: most of the size reduction for a fraction of the CPU of the default level.
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  const written = pipeline(gzip, createWriteStream(path, { mode: PRIVATE_FILE_MODE }));
  let count = 0;
  let bytes = 0;
  let chunk = '';
  const flush = async () => {
    // Encoded once: its length is the byte count, and gzip takes the buffer as it is.
    const encoded = Buffer.from(chunk, 'utf8');
    chunk = '';
    bytes += encoded.length;
    if (!gzip.write(encoded)) await once(gzip, 'drain');
  };
  try {
    for await (const batch of rows) {
      for (const row of batch) chunk += formatRow(row);
      count += batch.length;
      if (chunk.length >= CHUNK_CHARS) {
        await flush();
        onProgress(count);
      }
    }
    if (chunk) await flush();
    gzip.end();
    await written;
  } catch (err) {
    gzip.destroy();
    await written.catch(() => undefined);
    throw err;
  }
  return { rows: count, bytes, fileBytes: (await stat(path)).size };
}

/**
 * The fields of the `n`th record (1-based) of CSV text as writeGzipCsv writes it: `"` encloses fields,
 * `""` escapes a quote, enclosed fields may hold commas and newlines. Quoted fields come back unquoted.
 */
export function csvRecord(text: string, n: number): string[] | undefined {
  let record = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n') {
      if (record === n) return [...fields, field];
      record += 1;
      fields = [];
      field = '';
    } else field += c;
  }
  return undefined;
}

/** One record of a batch file, for an error message (the error path only: the file is read whole). */
export async function readBatchFileRecord(path: string, n: number): Promise<string[] | undefined> {
  return csvRecord(gunzipSync(await readFile(path)).toString('utf8'), n);
}
