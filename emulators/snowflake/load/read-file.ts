/**
 * A staged file's text, piece by piece: decompressed per COMPRESSION (AUTO looks at the first bytes)
 * and decoded as UTF-8 as it streams, so a file of any size loads without being held whole. zstd needs
 * Node's zlib zstd (Node >= 22.15) or the `zstd` program on PATH.
 */
import { spawn } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { unsupported } from '../errors';
import type { Compression } from './copy-statement';

async function detect(file: string): Promise<Compression> {
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'GZIP';
    if (bytesRead === 4 && buffer.readUInt32LE(0) === 0xfd2fb528) return 'ZSTD';
    if (buffer.subarray(0, 3).toString('latin1') === 'BZh') throw unsupported('BZ2 compressed files');
    return 'NONE';
  } finally {
    await handle.close();
  }
}

type ZstdZlib = { createZstdDecompress?: () => Transform };

/** The decompressed bytes; `done` settles when the decompressor has finished (or failed). */
function decompressed(file: string, kind: Compression): { stream: Readable; done: Promise<void> } {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  const through = (transform: Transform) => ({ stream: source.pipe(transform), done: Promise.resolve() });
  switch (kind) {
    case 'GZIP':
      return through(zlib.createGunzip());
    case 'DEFLATE':
      return through(zlib.createInflate());
    case 'RAW_DEFLATE':
      return through(zlib.createInflateRaw());
    case 'BROTLI':
      return through(zlib.createBrotliDecompress());
    case 'ZSTD': {
      const native = (zlib as unknown as ZstdZlib).createZstdDecompress;
      if (native) return through(native());
      source.destroy();
      const child = spawn('zstd', ['-dc', file], { stdio: ['ignore', 'pipe', 'ignore'] });
      const done = new Promise<void>((resolve, reject) => {
        child.on('error', () =>
          reject(
            unsupported(
              'zstd compressed files on this machine (needs Node >= 22.15 or the zstd program on PATH)',
            ),
          ),
        );
        child.on('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`zstd could not decompress ${file}`)),
        );
      });
      return { stream: child.stdout, done };
    }
    default:
      return { stream: source, done: Promise.resolve() };
  }
}

export async function* textPieces(file: string, compression: Compression): AsyncGenerator<string> {
  const kind = compression === 'AUTO' ? await detect(file) : compression;
  const { stream, done } = decompressed(file, kind);
  done.catch(() => undefined);
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const bytes of stream) {
    let piece = decoder.write(bytes as Buffer);
    if (first && piece.length > 0) {
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      first = false;
    }
    yield piece;
  }
  yield decoder.end();
  await done;
}
