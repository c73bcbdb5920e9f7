/**
 * The spatial types' methods and static constructors the stand-in implements (see types/spatial.ts for
 * what each does and where Microsoft documents it). The parser names a method call `.<method>` with the
 * instance as first argument, a static one `<type>::<method>`.
 */
import { SqlError } from '../errors';
import { convert } from '../types/convert';
import { asBinary, sridOf, spatialFrom, defaultSrid } from '../types/spatial';
import { INT, MAX, isSpatialType, type SqlType } from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';

interface MethodDef {
  args: [min: number, max: number];
  type(args: SqlType[]): SqlType;
  eval(args: Typed[]): SqlValue;
}

const VARBINARY_MAX: SqlType = { name: 'varbinary', length: MAX };

/** Error 258 for a method called on a value of another type, as SQL Server raises it. */
function onSpatial(result: SqlType) {
  return ([target]: SqlType[]) => {
    if (!isSpatialType(target!)) throw new SqlError(258, `Cannot call methods on ${target!.name}.`);
    return result;
  };
}

const instanceMethod = (result: SqlType, f: (v: Buffer) => SqlValue): MethodDef => ({
  args: [1, 1],
  type: onSpatial(result),
  eval: ([t]) => (t!.value === null ? null : f(t!.value as Buffer)),
});

const text = (t: Typed) => convert(t.value, t.type, { name: 'nvarchar', length: MAX }) as string;
const bytes = (t: Typed) => convert(t.value, t.type, VARBINARY_MAX) as Buffer;

function constructors(type: SqlType): Record<string, MethodDef> {
  const from = (read: (t: Typed) => string | Buffer): MethodDef => ({
    args: [2, 2],
    type: () => type,
    eval: ([input, srid]) =>
      input!.value === null || srid!.value === null
        ? null
        : spatialFrom(type, read(input!), convert(srid!.value, srid!.type, INT) as number),
  });
  return {
    [`${type.name}::stgeomfromtext`]: from(text),
    [`${type.name}::stgeomfromwkb`]: from(bytes),
    [`${type.name}::parse`]: {
      args: [1, 1],
      type: () => type,
      eval: ([input]) => (input!.value === null ? null : spatialFrom(type, text(input!), defaultSrid(type))),
    },
  };
}

export const SPATIAL_METHODS: Record<string, MethodDef> = {
  '.stasbinary': instanceMethod(VARBINARY_MAX, (v) => asBinary(v, false)),
  '.asbinaryzm': instanceMethod(VARBINARY_MAX, (v) => asBinary(v, true)),
  '.stsrid': instanceMethod(INT, sridOf),
  ...constructors({ name: 'geography' }),
  ...constructors({ name: 'geometry' }),
};
