/**
 * sp_addextendedproperty and sys.extended_properties: a named value (MS_Description, as tools write it)
 * on the database, a schema, a table or a table's column. The objects are named by level types: level 0
 * SCHEMA, level 1 TABLE under it, level 2 COLUMN under that; other level types are refused.
 * https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-addextendedproperty-transact-sql
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/extended-properties-catalog-views-sys-extended-properties
 */
import { SqlError, notSupported } from '../errors';
import { convert } from '../types/convert';
import { isStringType } from '../types/sql-type';
import type { Typed } from '../types/values';
import { sameName, type Catalog } from './catalog';

export interface ExtendedProperty {
  /** sys.extended_properties.class: 0 database, 1 object or column, 3 schema. */
  class: 0 | 1 | 3;
  majorId: number;
  minorId: number;
  name: string;
  /** The sql_variant's value: nvarchar text (the only kind of value the stand-in keeps). */
  value: string | null;
  valueType: Typed['type'] | null;
}

export const CLASS_DESC = { 0: 'DATABASE', 1: 'OBJECT_OR_COLUMN', 3: 'SCHEMA' } as const;

const PARAMETERS = [
  '@name',
  '@value',
  '@level0type',
  '@level0name',
  '@level1type',
  '@level1name',
  '@level2type',
  '@level2name',
];

/** The procedure's arguments by parameter name, positional ones in the documented order. */
function byName(args: { name?: string; value: Typed }[]): Map<string, Typed> {
  const given = new Map<string, Typed>();
  args.forEach((a, i) => {
    const key = a.name?.toLowerCase() ?? PARAMETERS[i];
    if (!key || !PARAMETERS.includes(key)) {
      throw new SqlError(
        8145,
        `${a.name ?? `Parameter ${i + 1}`} is not a parameter for procedure sp_addextendedproperty.`,
      );
    }
    given.set(key, a.value);
  });
  return given;
}

const text = (v: Typed | undefined): string | null =>
  v === undefined || v.value === null
    ? null
    : String(convert(v.value, v.type, { name: 'nvarchar', length: -1 }));

export function addExtendedProperty(
  catalog: Catalog,
  database: string,
  args: { name?: string; value: Typed }[],
): void {
  const given = byName(args);
  const name = text(given.get('@name'));
  if (name === null) {
    throw new SqlError(
      201,
      "Procedure or function 'sp_addextendedproperty' expects parameter '@name', which was not supplied.",
    );
  }
  const value = given.get('@value');
  if (value && value.value !== null && !isStringType(value.type)) {
    throw notSupported('extended property values other than character strings');
  }
  const levels = [0, 1, 2].map((l) => ({
    type: text(given.get(`@level${l}type`))?.toUpperCase() ?? null,
    name: text(given.get(`@level${l}name`)),
  }));
  const target = resolve(catalog, database, levels);
  const db = catalog.database(database)!;
  const properties = (db.extendedProperties ??= []);
  if (
    properties.some(
      (p) =>
        p.class === target.class &&
        p.majorId === target.majorId &&
        p.minorId === target.minorId &&
        sameName(p.name, name),
    )
  ) {
    throw new SqlError(
      15233,
      `Property cannot be added. Property '${name}' already exists for '${target.shown}'.`,
    );
  }
  properties.push({
    ...target,
    name,
    value: value?.value === null || value === undefined ? null : (value.value as string),
    valueType: value?.value === null || value === undefined ? null : value.type,
  });
  catalog.version++;
}

function resolve(
  catalog: Catalog,
  database: string,
  levels: { type: string | null; name: string | null }[],
): Pick<ExtendedProperty, 'class' | 'majorId' | 'minorId'> & { shown: string } {
  const [l0, l1, l2] = levels as [(typeof levels)[0], (typeof levels)[0], (typeof levels)[0]];
  if (l0.type === null) {
    if (l1.type !== null || l2.type !== null) throw notSupported('extended properties below a NULL level 0');
    return { class: 0, majorId: 0, minorId: 0, shown: database };
  }
  if (l0.type !== 'SCHEMA') throw notSupported(`extended properties on level 0 type ${l0.type}`);
  const invalid = (shown: string) =>
    new SqlError(
      15135,
      `Object is invalid. Extended properties are not permitted on '${shown}', or the object does not exist.`,
    );
  const schema = l0.name === null ? undefined : catalog.schema(database, l0.name);
  if (!schema) throw invalid(l0.name ?? '');
  if (l1.type === null) {
    if (l2.type !== null) throw notSupported('extended properties below a NULL level 1');
    return { class: 3, majorId: schema.id, minorId: 0, shown: schema.name };
  }
  if (l1.type !== 'TABLE') throw notSupported(`extended properties on level 1 type ${l1.type}`);
  const table = catalog
    .tablesOf(database)
    .find((t) => sameName(t.schema, schema.name) && l1.name !== null && sameName(t.name, l1.name));
  if (!table) throw invalid(`${schema.name}.${l1.name ?? ''}`);
  const shown = `${table.schema}.${table.name}`;
  if (l2.type === null) return { class: 1, majorId: table.objectId, minorId: 0, shown };
  if (l2.type !== 'COLUMN') throw notSupported(`extended properties on level 2 type ${l2.type}`);
  const column = table.columns.findIndex((c) => l2.name !== null && sameName(c.name, l2.name));
  if (column < 0) throw invalid(`${shown}.${l2.name ?? ''}`);
  return {
    class: 1,
    majorId: table.objectId,
    minorId: column + 1,
    shown: `${shown}.${table.columns[column]!.name}`,
  };
}
