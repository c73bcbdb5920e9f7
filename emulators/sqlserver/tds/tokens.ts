/** The tokens of a response message, written as MS-TDS lays them out for TDS 7.4. */
import type { SqlType } from '../types/sql-type';
import type { SqlValue } from '../types/values';
import { hasTableName, valueEncoder, writeTypeInfo } from '../types/wire';
import type { BufferWriter } from './buffer-writer';

export const TOKEN = {
  RETURNSTATUS: 0x79,
  RETURNVALUE: 0xac,
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  ORDER: 0xa9,
  LOGINACK: 0xad,
  FEATUREEXTACK: 0xae,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

export const DONE_STATUS = {
  FINAL: 0x00,
  MORE: 0x01,
  ERROR: 0x02,
  INXACT: 0x04,
  COUNT: 0x10,
  ATTN: 0x20,
} as const;

/** DONE's CurCmd: the kind of statement that finished. */
export const CURRENT_COMMAND = {
  NONE: 0x00,
  SELECT: 0xc1,
  INSERT: 0xc3,
  DELETE: 0xc4,
  UPDATE: 0xc5,
  CREATE_TABLE: 0xc6,
  DROP_TABLE: 0xc7,
  BEGIN_TRAN: 0xd4,
  COMMIT_TRAN: 0xd5,
  ROLLBACK_TRAN: 0xd6,
  SET: 0xb8,
  EXECUTE: 0xe0,
} as const;

export const ENV_CHANGE = {
  DATABASE: 1,
  LANGUAGE: 2,
  PACKET_SIZE: 4,
  COLLATION: 7,
  BEGIN_TRAN: 8,
  COMMIT_TRAN: 9,
  ROLLBACK_TRAN: 10,
  RESET_CONNECTION: 18,
} as const;

/** A token whose two-byte length is only known once its body is written. */
function withLength(w: BufferWriter, token: number, body: () => void): void {
  w.u8(token);
  const at = w.reserveU16();
  const start = w.pos;
  body();
  w.patchU16(at, w.pos - start);
}

export function envChange(w: BufferWriter, type: number, newValue: string, oldValue: string): void {
  withLength(w, TOKEN.ENVCHANGE, () => {
    w.u8(type);
    w.bVarchar(newValue);
    w.bVarchar(oldValue);
  });
}

export function envChangeBinary(
  w: BufferWriter,
  type: number,
  newValue: Uint8Array,
  oldValue: Uint8Array,
): void {
  withLength(w, TOKEN.ENVCHANGE, () => {
    w.u8(type);
    w.bVarbyte(newValue);
    w.bVarbyte(oldValue);
  });
}

export interface ServerMessage {
  number: number;
  state: number;
  class: number;
  message: string;
  serverName: string;
  procName?: string;
  lineNumber?: number;
}

/** INFO (class 10 and below) or ERROR; before TDS 7.2 the line number has two bytes instead of four. */
export function serverMessage(w: BufferWriter, m: ServerMessage, beforeTds72 = false): void {
  withLength(w, m.class > 10 ? TOKEN.ERROR : TOKEN.INFO, () => {
    w.i32(m.number);
    w.u8(m.state);
    w.u8(m.class);
    w.usVarchar(m.message);
    w.bVarchar(m.serverName);
    w.bVarchar(m.procName ?? '');
    if (beforeTds72) w.u16(m.lineNumber ?? 1);
    else w.i32(m.lineNumber ?? 1);
  });
}

export function loginAck(w: BufferWriter, tdsVersion: number, programName: string, version: number[]): void {
  withLength(w, TOKEN.LOGINACK, () => {
    w.u8(1); // SQL_TSQL
    w.u32be(tdsVersion);
    w.bVarchar(programName);
    for (const part of version) w.u8(part);
  });
}

/**
 * FEATUREEXTACK acknowledging FEDAUTH for the security token library, which carries no data
 * (MS-TDS 2.2.7.11, https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/2eb82f8e-11f0-46dc-b42d-27302fa4701a).
 */
export function fedAuthAck(w: BufferWriter): void {
  w.u8(TOKEN.FEATUREEXTACK);
  w.u8(0x02); // FEDAUTH
  w.u32(0);
  w.u8(0xff); // TERMINATOR
}

export function done(
  w: BufferWriter,
  token: number,
  status: number,
  command: number,
  rowCount: number | bigint,
  beforeTds72 = false,
): void {
  w.u8(token);
  w.u16(status);
  w.u16(command);
  // Before TDS 7.2 the row count has four bytes instead of eight.
  if (beforeTds72) w.u32(Number(rowCount));
  else w.u64(BigInt(rowCount));
}

export function returnStatus(w: BufferWriter, value: number): void {
  w.u8(TOKEN.RETURNSTATUS);
  w.i32(value);
}

/** RETURNVALUE: an OUTPUT parameter's final value, typed as its declaration (MS-TDS 2.2.7.19). */
export function returnValue(
  w: BufferWriter,
  ordinal: number,
  name: string,
  type: SqlType,
  value: SqlValue,
): void {
  w.u8(TOKEN.RETURNVALUE);
  w.u16(ordinal);
  w.bVarchar(name);
  w.u8(0x01); // an output parameter, not a user-defined function's result
  w.u32(0);
  w.u16(FLAG_NULLABLE);
  writeTypeInfo(w, type, true);
  valueEncoder(type, true)(w, value);
}

export interface ResultColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: boolean;
  /** Schema and table of the column's table, sent for text/ntext/image. */
  tableName?: string[];
}

const FLAG_NULLABLE = 0x0001;
const FLAG_IDENTITY = 0x0010;

/** ORDER: the result columns (from 1) an ORDER BY sorted on; it follows COLMETADATA. */
export function orderToken(w: BufferWriter, columns: readonly number[]): void {
  w.u8(TOKEN.ORDER);
  w.u16(columns.length * 2);
  for (const c of columns) w.u16(c);
}

export function colMetadata(w: BufferWriter, columns: readonly ResultColumn[]): void {
  w.u8(TOKEN.COLMETADATA);
  w.u16(columns.length);
  for (const c of columns) {
    w.u32(0);
    w.u16((c.nullable ? FLAG_NULLABLE : 0) | (c.identity ? FLAG_IDENTITY : 0));
    writeTypeInfo(w, c.type, c.nullable);
    if (hasTableName(c.type)) {
      const parts = c.tableName ?? [];
      w.u8(parts.length);
      for (const p of parts) w.usVarchar(p);
    }
    w.bVarchar(c.name);
  }
}
