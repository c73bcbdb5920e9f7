/** The three client requests: SQL batch, RPC (with typed parameters) and transaction manager. */
import type { ParamTypeInfo } from '../types/wire';
import { readParamValue, readTypeInfo } from '../types/wire';
import type { SqlValue } from '../types/values';
import { BufferReader } from './buffer-writer';

/** Skips ALL_HEADERS (transaction descriptor and friends): TDS 7.2+ puts them before every request. */
function skipAllHeaders(r: BufferReader): void {
  const total = r.buf.readUInt32LE(r.pos);
  // A batch with no headers starts with text: a length that cannot be a header block means none are there.
  if (total >= 4 && total <= r.remaining) r.pos += total;
}

export function parseSqlBatch(payload: Buffer): string {
  const r = new BufferReader(payload);
  skipAllHeaders(r);
  return payload.toString('utf16le', r.pos);
}

export interface RpcParam {
  name: string;
  output: boolean;
  info: ParamTypeInfo;
  value: SqlValue;
}

export interface RpcRequest {
  procId?: number;
  procName?: string;
  params: RpcParam[];
}

export const PROC_ID = {
  SP_EXECUTESQL: 10,
  SP_PREPARE: 11,
  SP_EXECUTE: 12,
  SP_PREPEXEC: 13,
  SP_UNPREPARE: 15,
} as const;

export function parseRpc(payload: Buffer): RpcRequest {
  const r = new BufferReader(payload);
  skipAllHeaders(r);
  const nameLength = r.u16();
  const request: RpcRequest = { params: [] };
  if (nameLength === 0xffff) request.procId = r.u16();
  else request.procName = r.utf16(nameLength);
  r.u16(); // option flags
  while (r.remaining > 0) {
    const next = r.buf[r.pos];
    if (next === 0x80 || next === 0xff) break; // a second batched RPC: not sent by the drivers we serve
    const name = r.bVarchar();
    const status = r.u8();
    const info = readTypeInfo(r);
    const value = readParamValue(r, info);
    request.params.push({ name, output: (status & 0x01) !== 0, info, value });
  }
  return request;
}

export interface TransactionRequest {
  kind: 'begin' | 'commit' | 'rollback' | 'save' | 'other';
  isolationLevel?: number;
  name: string;
}

const TM_KIND: Record<number, TransactionRequest['kind']> = {
  5: 'begin',
  7: 'commit',
  8: 'rollback',
  9: 'save',
};

/** Unlike B_VARCHAR elsewhere, a transaction name's length byte counts bytes, not characters (MS-TDS 2.2.6.9). */
function transactionName(r: BufferReader): string {
  return r.remaining > 0 ? r.bytes(r.u8()).toString('utf16le') : '';
}

export function parseTransactionManager(payload: Buffer): TransactionRequest {
  const r = new BufferReader(payload);
  skipAllHeaders(r);
  const kind = TM_KIND[r.u16()] ?? 'other';
  if (kind === 'begin') {
    const isolationLevel = r.u8();
    return { kind, isolationLevel, name: transactionName(r) };
  }
  return { kind, name: transactionName(r) };
}
