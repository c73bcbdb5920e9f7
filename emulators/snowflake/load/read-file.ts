/**
 * A staged file's text: decompressed per COMPRESSION (AUTO looks at the first bytes) and decoded as
 * UTF-8. zstd needs Node's zlib zstd (Node >= 22.15) or the `zstd` program on PATH.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { unsupported } from '../errors';
import type { Compression } from './copy-statement';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

function detect(bytes: Buffer): Compression {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'GZIP';
  if (bytes.readUInt32LE(0) === 0xfd2fb528) return 'ZSTD';
  if (bytes.subarray(0, 3).toString('latin1') === 'BZh') throw unsupported('BZ2 compressed files');
  return 'NONE';
}

async function zstd(bytes: Buffer, file: string): Promise<Buffer> {
  const native = (
    zlib as unknown as { zstdDecompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void }
  ).zstdDecompress;
  if (native) return promisify(native)(bytes);
  try {
    const { stdout } = await promisify(execFile)('zstd', ['-dc', file], {
      encoding: 'buffer',
      maxBuffer: 2 ** 31 - 1,
    });
    return stdout;
  } catch {
    throw unsupported(
      'zstd compressed files on this machine (needs Node >= 22.15 or the zstd program on PATH)',
    );
  }
}

export async function decompress(bytes: Buffer, compression: Compression, file: string): Promise<Buffer> {
  const kind =
    compression === 'AUTO' && bytes.length >= 4
      ? detect(bytes)
      : compression === 'AUTO'
        ? 'NONE'
        : compression;
  switch (kind) {
    case 'GZIP':
      return gunzip(bytes);
    case 'ZSTD':
      return zstd(bytes, file);
    case 'DEFLATE':
      return inflate(bytes);
    case 'RAW_DEFLATE':
      return inflateRaw(bytes);
    case 'BROTLI':
      return brotli(bytes);
    default:
      return bytes;
  }
}

export function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
