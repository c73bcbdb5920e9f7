/**
 * Each SQL Server type on the TDS wire: the TYPE_INFO of result metadata, the encoding of row values (the
 * TDS type SQL Server itself uses for the declared type, fixed-length ones for NOT NULL columns) and the
 * decoding of RPC parameter values.
 */
import { COLLATION_BYTES, decodeCp1252 } from '../collation';
import { SqlError, notSupported } from '../errors';
import { BufferWriter, type BufferReader } from '../tds/buffer-writer';
import { convert } from './convert';
import { DATETIME_UNITS_PER_DAY, MINUTES_PER_DAY, TICKS_PER_DAY_N } from './datetime';
import type { SqlType } from './sql-type';
import { MAX, decimalStorageBytes, isUnicodeType, timeStorageBytes, isClrType } from './sql-type';
import type { DateTimeOffsetValue, SqlValue, VariantValue } from './values';

export const TDS = {
  NULL: 0x1f,
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  MONEY4: 0x7a,
  INT8: 0x7f,
  GUID: 0x24,
  INTN: 0x26,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  BITN: 0x68,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  DATEN: 0x28,
  TIMEN: 0x29,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  BIGVARBINARY: 0xa5,
  BIGVARCHAR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
  XML: 0xf1,
  TEXT: 0x23,
  IMAGE: 0x22,
  NTEXT: 0x63,
  SSVARIANT: 0x62,
} as const;

const PLP_NULL = 0xffffffffffffffffn;
const TEXT_POINTER = Buffer.alloc(16, 0x01);
const TEXT_TIMESTAMP = Buffer.alloc(8);

type Encoder = (w: BufferWriter, v: SqlValue) => void;

const FIXED: Partial<Record<string, [fixed: number, nullable: number, length: number]>> = {
  tinyint: [TDS.INT1, TDS.INTN, 1],
  smallint: [TDS.INT2, TDS.INTN, 2],
  int: [TDS.INT4, TDS.INTN, 4],
  bigint: [TDS.INT8, TDS.INTN, 8],
  bit: [TDS.BIT, TDS.BITN, 1],
  real: [TDS.FLT4, TDS.FLTN, 4],
  float: [TDS.FLT8, TDS.FLTN, 8],
  smallmoney: [TDS.MONEY4, TDS.MONEYN, 4],
  money: [TDS.MONEY, TDS.MONEYN, 8],
  smalldatetime: [TDS.DATETIM4, TDS.DATETIMN, 4],
  datetime: [TDS.DATETIME, TDS.DATETIMN, 8],
};

/** text, ntext and image carry the name of their table in column metadata. */
export const hasTableName = (t: SqlType): boolean =>
  t.name === 'text' || t.name === 'ntext' || t.name === 'image';

/**
 * SQL Server sends spatial and hierarchyid values as CLR UDTs (TYPE_INFO 0xF0 with their own binary
 * serialization), which the stand-in does not write: a client converts them in SQL (ToString, CAST).
 */
export function refuseClrType(t: SqlType): void {
  if (isClrType(t)) throw notSupported(`${t.name} values (sent as CLR user-defined types)`);
}

/** TYPE_INFO as it appears in COLMETADATA. */
export function writeTypeInfo(w: BufferWriter, t: SqlType, nullable: boolean): void {
  refuseClrType(t);
  const fixed = FIXED[t.name];
  if (fixed) {
    if (nullable) {
      w.u8(fixed[1]);
      w.u8(fixed[2]);
    } else w.u8(fixed[0]);
    return;
  }
  switch (t.name) {
    case 'decimal':
    case 'numeric':
      w.u8(t.name === 'decimal' ? TDS.DECIMALN : TDS.NUMERICN);
      w.u8(decimalStorageBytes(t.precision!));
      w.u8(t.precision!);
      w.u8(t.scale!);
      return;
    case 'date':
      w.u8(TDS.DATEN);
      return;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      w.u8(t.name === 'time' ? TDS.TIMEN : t.name === 'datetime2' ? TDS.DATETIME2N : TDS.DATETIMEOFFSETN);
      w.u8(t.scale!);
      return;
    case 'uniqueidentifier':
      w.u8(TDS.GUID);
      w.u8(16);
      return;
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar': {
      const unicode = isUnicodeType(t);
      w.u8(
        t.name === 'char'
          ? TDS.BIGCHAR
          : t.name === 'varchar'
            ? TDS.BIGVARCHAR
            : t.name === 'nchar'
              ? TDS.NCHAR
              : TDS.NVARCHAR,
      );
      w.u16(t.length === MAX ? 0xffff : t.length! * (unicode ? 2 : 1));
      w.bytes(COLLATION_BYTES);
      return;
    }
    case 'binary':
    case 'varbinary':
      w.u8(t.name === 'binary' ? TDS.BIGBINARY : TDS.BIGVARBINARY);
      w.u16(t.length === MAX ? 0xffff : t.length!);
      return;
    case 'text':
    case 'ntext':
      w.u8(t.name === 'text' ? TDS.TEXT : TDS.NTEXT);
      w.u32(t.name === 'text' ? 0x7fffffff : 0x7ffffffe);
      w.bytes(COLLATION_BYTES);
      return;
    case 'image':
      w.u8(TDS.IMAGE);
      w.u32(0x7fffffff);
      return;
    case 'xml':
      w.u8(TDS.XML);
      w.u8(0);
      return;
    case 'sql_variant':
      w.u8(TDS.SSVARIANT);
      w.u32(8016);
      return;
  }
  throw new SqlError(50000, `The SQL Server stand-in cannot send values of type ${t.name}.`);
}

/** Writes a string in code page 1252 (the value is already limited to that code page). */
function writeCp1252(w: BufferWriter, s: string): void {
  w.ensure(s.length);
  const buf = w.buf;
  let pos = w.pos;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    buf[pos++] = c < 0x100 ? c : cp1252High(c);
  }
  w.pos = pos;
}

const HIGH_MAP = new Map<number, number>([
  [0x20ac, 0x80],
  [0x201a, 0x82],
  [0x0192, 0x83],
  [0x201e, 0x84],
  [0x2026, 0x85],
  [0x2020, 0x86],
  [0x2021, 0x87],
  [0x02c6, 0x88],
  [0x2030, 0x89],
  [0x0160, 0x8a],
  [0x2039, 0x8b],
  [0x0152, 0x8c],
  [0x017d, 0x8e],
  [0x2018, 0x91],
  [0x2019, 0x92],
  [0x201c, 0x93],
  [0x201d, 0x94],
  [0x2022, 0x95],
  [0x2013, 0x96],
  [0x2014, 0x97],
  [0x02dc, 0x98],
  [0x2122, 0x99],
  [0x0161, 0x9a],
  [0x203a, 0x9b],
  [0x0153, 0x9c],
  [0x017e, 0x9e],
  [0x0178, 0x9f],
]);
const cp1252High = (c: number): number => HIGH_MAP.get(c) ?? 0x3f;

function writePlp(w: BufferWriter, length: number, body: () => void): void {
  w.u64(BigInt(length));
  if (length > 0) {
    w.u32(length);
    body();
  }
  w.u32(0);
}

function writeMagnitude(w: BufferWriter, magnitude: bigint, bytes: number): void {
  if (magnitude <= 0xffffffffffffn) {
    const head = Math.min(bytes, 6);
    w.uintLE(Number(magnitude), head);
    for (let i = head; i < bytes; i++) w.u8(0);
    return;
  }
  let m = magnitude;
  for (let i = 0; i < bytes; i++) {
    w.u8(Number(m & 0xffn));
    m >>= 8n;
  }
}

function writeDecimalBody(w: BufferWriter, v: bigint, precision: number): void {
  const len = decimalStorageBytes(precision);
  w.u8(len);
  w.u8(v < 0n ? 0 : 1);
  writeMagnitude(w, v < 0n ? -v : v, len - 1);
}

function writeTime(w: BufferWriter, ticksOfDay: number, scale: number): void {
  w.uintLE(ticksOfDay / 10 ** (7 - scale), timeStorageBytes(scale));
}

function writeDateTime2Body(w: BufferWriter, ticks: bigint, scale: number): void {
  const days = ticks / TICKS_PER_DAY_N;
  writeTime(w, Number(ticks - days * TICKS_PER_DAY_N), scale);
  w.uintLE(Number(days), 3);
}

/** A closure that writes one value of a column in its row encoding, NULL included. */
export function valueEncoder(t: SqlType, nullable: boolean): Encoder {
  refuseClrType(t);
  const fixed = FIXED[t.name];
  if (fixed) {
    const body = fixedBody(t.name);
    const length = fixed[2];
    if (!nullable) return (w, v) => body(w, v);
    return (w, v) => {
      if (v === null) return w.u8(0);
      w.u8(length);
      body(w, v);
    };
  }
  switch (t.name) {
    case 'decimal':
    case 'numeric': {
      const precision = t.precision!;
      return (w, v) => (v === null ? w.u8(0) : writeDecimalBody(w, v as bigint, precision));
    }
    case 'date':
      return (w, v) => {
        if (v === null) return w.u8(0);
        w.u8(3);
        w.uintLE(v as number, 3);
      };
    case 'time': {
      const scale = t.scale!;
      const len = timeStorageBytes(scale);
      return (w, v) => {
        if (v === null) return w.u8(0);
        w.u8(len);
        writeTime(w, v as number, scale);
      };
    }
    case 'datetime2': {
      const scale = t.scale!;
      const len = timeStorageBytes(scale) + 3;
      return (w, v) => {
        if (v === null) return w.u8(0);
        w.u8(len);
        writeDateTime2Body(w, v as bigint, scale);
      };
    }
    case 'datetimeoffset': {
      const scale = t.scale!;
      const len = timeStorageBytes(scale) + 5;
      return (w, v) => {
        if (v === null) return w.u8(0);
        const dto = v as DateTimeOffsetValue;
        w.u8(len);
        writeDateTime2Body(w, dto.utc, scale);
        w.i16(dto.offset);
      };
    }
    case 'uniqueidentifier':
      return (w, v) => {
        if (v === null) return w.u8(0);
        w.u8(16);
        w.bytes(v as Buffer);
      };
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar': {
      const unicode = isUnicodeType(t);
      if (t.length === MAX) {
        return (w, v) => {
          if (v === null) return w.u64(PLP_NULL);
          const s = v as string;
          writePlp(w, unicode ? s.length * 2 : s.length, () => (unicode ? w.utf16(s) : writeCp1252(w, s)));
        };
      }
      return (w, v) => {
        if (v === null) return w.u16(0xffff);
        const s = v as string;
        w.u16(unicode ? s.length * 2 : s.length);
        if (unicode) w.utf16(s);
        else writeCp1252(w, s);
      };
    }
    case 'binary':
    case 'varbinary':
      if (t.length === MAX) {
        return (w, v) => {
          if (v === null) return w.u64(PLP_NULL);
          const b = v as Buffer;
          writePlp(w, b.length, () => w.bytes(b));
        };
      }
      return (w, v) => {
        if (v === null) return w.u16(0xffff);
        const b = v as Buffer;
        w.u16(b.length);
        w.bytes(b);
      };
    case 'text':
    case 'ntext':
    case 'image':
      return (w, v) => {
        if (v === null) return w.u8(0);
        w.bVarbyte(TEXT_POINTER);
        w.bytes(TEXT_TIMESTAMP);
        if (t.name === 'image') {
          w.u32((v as Buffer).length);
          w.bytes(v as Buffer);
        } else if (t.name === 'ntext') {
          w.u32((v as string).length * 2);
          w.utf16(v as string);
        } else {
          w.u32((v as string).length);
          writeCp1252(w, v as string);
        }
      };
    case 'xml':
      return (w, v) => {
        if (v === null) return w.u64(PLP_NULL);
        const s = v as string;
        writePlp(w, s.length * 2, () => w.utf16(s));
      };
    case 'sql_variant':
      return (w, v) => (v === null ? w.u32(0) : writeVariant(w, v as VariantValue));
  }
  throw new SqlError(50000, `The SQL Server stand-in cannot send values of type ${t.name}.`);
}

function fixedBody(name: string): Encoder {
  switch (name) {
    case 'tinyint':
      return (w, v) => w.u8(v as number);
    case 'smallint':
      return (w, v) => w.i16(v as number);
    case 'int':
      return (w, v) => w.i32(v as number);
    case 'bigint':
      return (w, v) => w.i64(v as bigint);
    case 'bit':
      return (w, v) => w.u8(v ? 1 : 0);
    case 'real':
      return (w, v) => w.f32(v as number);
    case 'float':
      return (w, v) => w.f64(v as number);
    case 'smallmoney':
      return (w, v) => w.i32(Number(v as bigint));
    case 'money':
      return (w, v) => {
        const m = v as bigint;
        w.i32(Number(m >> 32n));
        w.u32(Number(m & 0xffffffffn));
      };
    case 'smalldatetime':
      return (w, v) => {
        const minutes = v as number;
        w.u16(Math.floor(minutes / MINUTES_PER_DAY));
        w.u16(minutes % MINUTES_PER_DAY);
      };
    default: // datetime
      return (w, v) => {
        const units = v as number;
        const days = Math.floor(units / DATETIME_UNITS_PER_DAY);
        w.i32(days);
        w.u32(units - days * DATETIME_UNITS_PER_DAY);
      };
  }
}

/** The TDS base type and properties of a value inside sql_variant, and how many length bytes to drop. */
function variantLayout(t: SqlType): { base: number; props: number[]; prefix: number } | undefined {
  const fixed = FIXED[t.name];
  if (fixed) return { base: fixed[0], props: [], prefix: 0 };
  switch (t.name) {
    case 'date':
      return { base: TDS.DATEN, props: [], prefix: 1 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return {
        base: t.name === 'time' ? TDS.TIMEN : t.name === 'datetime2' ? TDS.DATETIME2N : TDS.DATETIMEOFFSETN,
        props: [t.scale!],
        prefix: 1,
      };
    case 'uniqueidentifier':
      return { base: TDS.GUID, props: [], prefix: 1 };
    case 'decimal':
    case 'numeric':
      return {
        base: t.name === 'decimal' ? TDS.DECIMALN : TDS.NUMERICN,
        props: [t.precision!, t.scale!],
        prefix: 1,
      };
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar': {
      if (t.length === MAX) return undefined;
      const bytes = t.length! * (isUnicodeType(t) ? 2 : 1);
      const base =
        t.name === 'char'
          ? TDS.BIGCHAR
          : t.name === 'varchar'
            ? TDS.BIGVARCHAR
            : t.name === 'nchar'
              ? TDS.NCHAR
              : TDS.NVARCHAR;
      return { base, props: [...COLLATION_BYTES, bytes & 0xff, bytes >> 8], prefix: 2 };
    }
    case 'binary':
    case 'varbinary':
      if (t.length === MAX) return undefined;
      return {
        base: t.name === 'binary' ? TDS.BIGBINARY : TDS.BIGVARBINARY,
        props: [t.length! & 0xff, t.length! >> 8],
        prefix: 2,
      };
  }
  return undefined;
}

const VARIANT_TEXT: SqlType = { name: 'nvarchar', length: 4000 };

/** sql_variant: base type, its properties, then the value as that type sends it (without its length). */
function writeVariant(w: BufferWriter, v: VariantValue): void {
  let t = v.variant;
  let value = v.value;
  if (value === null) return w.u32(0);
  let layout = variantLayout(t);
  if (!layout) {
    // Types a sql_variant cannot hold (max types, xml) travel as their text.
    value = convert(value, t, VARIANT_TEXT);
    t = VARIANT_TEXT;
    layout = variantLayout(t)!;
  }
  const body = new BufferWriter(64);
  valueEncoder(t, layout.prefix > 0)(body, value);
  const data = body.buf.subarray(layout.prefix, body.pos);
  w.u32(2 + layout.props.length + data.length);
  w.u8(layout.base);
  w.u8(layout.props.length);
  for (const p of layout.props) w.u8(p);
  w.bytes(data);
}

// ---- parameters ---------------------------------------------------------------------------------------

/** The declared type of an RPC parameter and how its value is laid out. */
export interface ParamTypeInfo {
  type: SqlType;
  tds: number;
  plp: boolean;
}

export function readTypeInfo(r: BufferReader): ParamTypeInfo {
  const tds = r.u8();
  const simple = (type: SqlType): ParamTypeInfo => ({ type, tds, plp: false });
  switch (tds) {
    case TDS.NULL:
      return simple({ name: 'int' });
    case TDS.INT1:
      return simple({ name: 'tinyint' });
    case TDS.BIT:
      return simple({ name: 'bit' });
    case TDS.INT2:
      return simple({ name: 'smallint' });
    case TDS.INT4:
      return simple({ name: 'int' });
    case TDS.INT8:
      return simple({ name: 'bigint' });
    case TDS.FLT4:
      return simple({ name: 'real' });
    case TDS.FLT8:
      return simple({ name: 'float' });
    case TDS.MONEY:
      return simple({ name: 'money' });
    case TDS.MONEY4:
      return simple({ name: 'smallmoney' });
    case TDS.DATETIME:
      return simple({ name: 'datetime' });
    case TDS.DATETIM4:
      return simple({ name: 'smalldatetime' });
    case TDS.INTN: {
      const len = r.u8();
      return simple({ name: len === 1 ? 'tinyint' : len === 2 ? 'smallint' : len === 4 ? 'int' : 'bigint' });
    }
    case TDS.BITN:
      r.u8();
      return simple({ name: 'bit' });
    case TDS.FLTN:
      return simple({ name: r.u8() === 4 ? 'real' : 'float' });
    case TDS.MONEYN:
      return simple({ name: r.u8() === 4 ? 'smallmoney' : 'money' });
    case TDS.DATETIMN:
      return simple({ name: r.u8() === 4 ? 'smalldatetime' : 'datetime' });
    case TDS.DECIMALN:
    case TDS.NUMERICN: {
      r.u8();
      const precision = r.u8();
      const scale = r.u8();
      return simple({ name: tds === TDS.DECIMALN ? 'decimal' : 'numeric', precision, scale });
    }
    case TDS.GUID:
      r.u8();
      return simple({ name: 'uniqueidentifier' });
    case TDS.DATEN:
      return simple({ name: 'date' });
    case TDS.TIMEN:
      return simple({ name: 'time', scale: r.u8() });
    case TDS.DATETIME2N:
      return simple({ name: 'datetime2', scale: r.u8() });
    case TDS.DATETIMEOFFSETN:
      return simple({ name: 'datetimeoffset', scale: r.u8() });
    case TDS.BIGVARCHAR:
    case TDS.BIGCHAR:
    case TDS.NVARCHAR:
    case TDS.NCHAR: {
      const max = r.u16();
      r.bytes(5);
      const unicode = tds === TDS.NVARCHAR || tds === TDS.NCHAR;
      const name =
        tds === TDS.BIGVARCHAR
          ? 'varchar'
          : tds === TDS.BIGCHAR
            ? 'char'
            : tds === TDS.NVARCHAR
              ? 'nvarchar'
              : 'nchar';
      if (max === 0xffff) return { type: { name, length: MAX }, tds, plp: true };
      return simple({ name, length: unicode ? max / 2 : max });
    }
    case TDS.BIGVARBINARY:
    case TDS.BIGBINARY: {
      const max = r.u16();
      const name = tds === TDS.BIGVARBINARY ? 'varbinary' : 'binary';
      if (max === 0xffff) return { type: { name, length: MAX }, tds, plp: true };
      return simple({ name, length: max });
    }
    case TDS.TEXT:
    case TDS.NTEXT:
      r.u32();
      r.bytes(5);
      return simple({ name: tds === TDS.TEXT ? 'text' : 'ntext' });
    case TDS.IMAGE:
      r.u32();
      return simple({ name: 'image' });
    case TDS.XML:
      if (r.u8() === 1) {
        r.bVarchar();
        r.bVarchar();
        r.usVarchar();
      }
      return { type: { name: 'xml' }, tds, plp: true };
  }
  throw new SqlError(
    50000,
    `The SQL Server stand-in does not support parameters of TDS type 0x${tds.toString(16)}.`,
  );
}

function readPlp(r: BufferReader): Buffer | null {
  const total = r.u64();
  if (total === PLP_NULL) return null;
  const chunks: Buffer[] = [];
  for (;;) {
    const len = r.u32();
    if (len === 0) break;
    chunks.push(r.bytes(len));
  }
  return Buffer.concat(chunks);
}

function readMagnitude(bytes: Buffer): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

const timeUnitsToTicks = (units: number, scale: number): number => units * 10 ** (7 - scale);

function readDateTime2(r: BufferReader, len: number, scale: number): bigint {
  const time = timeUnitsToTicks(r.uintLE(len - 3), scale);
  const days = r.uintLE(3);
  return BigInt(days) * TICKS_PER_DAY_N + BigInt(time);
}

/** One parameter value, in the representation of ./values.ts. */
export function readParamValue(r: BufferReader, info: ParamTypeInfo): SqlValue {
  const t = info.type;
  if (info.plp) {
    const bytes = readPlp(r);
    if (bytes === null) return null;
    if (t.name === 'varbinary') return Buffer.from(bytes);
    if (t.name === 'varchar') return decodeCp1252(bytes);
    return bytes.toString('utf16le');
  }
  switch (info.tds) {
    case TDS.NULL:
      return null;
    case TDS.INT1:
      return r.u8();
    case TDS.BIT:
      return r.u8() !== 0;
    case TDS.INT2:
      return r.i16();
    case TDS.INT4:
      return r.i32();
    case TDS.INT8:
      return r.i64();
    case TDS.FLT4:
      return r.f32();
    case TDS.FLT8:
      return r.f64();
    case TDS.MONEY:
    case TDS.MONEY4:
    case TDS.DATETIME:
    case TDS.DATETIM4:
      return readFixed(r, t);
    case TDS.TEXT:
    case TDS.NTEXT:
    case TDS.IMAGE: {
      const len = r.u32();
      if (len === 0xffffffff) return null;
      const bytes = r.bytes(len);
      return info.tds === TDS.IMAGE
        ? Buffer.from(bytes)
        : info.tds === TDS.NTEXT
          ? bytes.toString('utf16le')
          : decodeCp1252(bytes);
    }
    case TDS.BIGVARCHAR:
    case TDS.BIGCHAR:
    case TDS.NVARCHAR:
    case TDS.NCHAR:
    case TDS.BIGVARBINARY:
    case TDS.BIGBINARY: {
      const len = r.u16();
      if (len === 0xffff) return null;
      const bytes = r.bytes(len);
      if (info.tds === TDS.BIGVARBINARY || info.tds === TDS.BIGBINARY) return Buffer.from(bytes);
      return info.tds === TDS.NVARCHAR || info.tds === TDS.NCHAR
        ? bytes.toString('utf16le')
        : decodeCp1252(bytes);
    }
  }
  const len = r.u8();
  if (len === 0) return null;
  switch (info.tds) {
    case TDS.INTN:
      return len === 1 ? r.u8() : len === 2 ? r.i16() : len === 4 ? r.i32() : r.i64();
    case TDS.BITN:
      return r.u8() !== 0;
    case TDS.FLTN:
      return len === 4 ? r.f32() : r.f64();
    case TDS.MONEYN:
    case TDS.DATETIMN:
      return readFixed(r, t);
    case TDS.DECIMALN:
    case TDS.NUMERICN: {
      const positive = r.u8() === 1;
      const magnitude = readMagnitude(r.bytes(len - 1));
      return positive ? magnitude : -magnitude;
    }
    case TDS.GUID:
      return Buffer.from(r.bytes(16));
    case TDS.DATEN:
      return r.uintLE(3);
    case TDS.TIMEN:
      return timeUnitsToTicks(r.uintLE(len), t.scale!);
    case TDS.DATETIME2N:
      return readDateTime2(r, len, t.scale!);
    case TDS.DATETIMEOFFSETN: {
      const utc = readDateTime2(r, len - 2, t.scale!);
      return { utc, offset: r.i16() };
    }
  }
  throw new SqlError(
    50000,
    `The SQL Server stand-in cannot read parameters of TDS type 0x${info.tds.toString(16)}.`,
  );
}

function readFixed(r: BufferReader, t: SqlType): SqlValue {
  switch (t.name) {
    case 'smallmoney':
      return BigInt(r.i32());
    case 'money': {
      const high = r.i32();
      const low = r.u32();
      return (BigInt(high) << 32n) | BigInt(low);
    }
    case 'smalldatetime': {
      const days = r.u16();
      return days * MINUTES_PER_DAY + r.u16();
    }
    default: {
      const days = r.i32();
      return days * DATETIME_UNITS_PER_DAY + r.u32();
    }
  }
}
