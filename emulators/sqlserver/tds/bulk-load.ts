/**
 * The BULK_LOAD message that follows an INSERT BULK statement (MS-TDS 2.2.6.1 and 2.2.7.4): a COLMETADATA
 * token describing the columns as the client sends them, ROW tokens, then a DONE token.
 */
import { SqlError } from '../errors';
import type { SqlValue } from '../types/values';
import { hasTableName, readParamValue, readTypeInfo, type ParamTypeInfo } from '../types/wire';
import { BufferReader } from './buffer-writer';
import { TOKEN } from './tokens';

export interface BulkColumn {
  name: string;
  info: ParamTypeInfo;
}

export interface BulkRows {
  columns: BulkColumn[];
  rows: SqlValue[][];
}

/** A message that does not follow the layout (no driver the stand-in serves sends one). */
const malformed = (what: string): SqlError =>
  new SqlError(50000, `The SQL Server stand-in could not read the BULK_LOAD message (${what}).`);

export function parseBulkLoad(payload: Buffer): BulkRows {
  const r = new BufferReader(payload);
  try {
    if (r.u8() !== TOKEN.COLMETADATA) throw malformed('no COLMETADATA token');
    const count = r.u16();
    const columns: BulkColumn[] = [];
    for (let i = 0; i < count; i++) {
      r.u32(); // user type
      r.u16(); // flags
      const info = readTypeInfo(r);
      // text, ntext and image name their table: tedious sends it as one US_VARCHAR.
      if (hasTableName(info.type)) r.usVarchar();
      columns.push({ name: r.bVarchar(), info });
    }
    const rows: SqlValue[][] = [];
    for (;;) {
      const token = r.u8();
      if (token === TOKEN.DONE) break;
      if (token !== TOKEN.ROW) throw malformed(`token 0x${token.toString(16)}`);
      rows.push(columns.map((c) => readBulkValue(r, c.info)));
    }
    return { columns, rows };
  } catch (e) {
    if (e instanceof SqlError) throw e;
    throw malformed((e as Error).message);
  }
}

/** A row value is laid out as an RPC parameter's, except that text/ntext/image start with a text pointer. */
function readBulkValue(r: BufferReader, info: ParamTypeInfo): SqlValue {
  if (hasTableName(info.type)) {
    const pointerLength = r.u8();
    if (pointerLength === 0) return null;
    r.bytes(pointerLength + 8); // the pointer and its timestamp
  }
  return readParamValue(r, info);
}
