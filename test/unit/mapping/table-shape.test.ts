import { MigrationError } from '../../../src/contracts/errors';
import { schemaFingerprint, shapeTable, type TableShapeInput } from '../../../src/mapping/table-shape';
import { column } from '../../support/columns';

const metadataColumns = { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' };
const columns = [
  column('order_id', 'int', { nullable: false, isIdentity: true }),
  column('line', 'smallint', { nullable: false }),
  column('note', 'nvarchar', { charMaxLength: 100 }),
  column('Straße', 'varchar', { charMaxLength: 20 }),
];
const base: TableShapeInput = {
  tableName: 'dbo.lines',
  columns,
  primaryKey: ['order_id', 'line'],
  metadataColumns,
};

function typeOfError(input: TableShapeInput): [string, string] {
  try {
    shapeTable(input);
  } catch (err) {
    expect(err).toBeInstanceOf(MigrationError);
    return [(err as MigrationError).type, (err as Error).message];
  }
  throw new Error('expected an error');
}

describe('shapeTable', () => {
  it('orders batches by the composite primary key and declares it in Snowflake', () => {
    const shape = shapeTable(base);
    expect(shape.keySource).toBe('primaryKey');
    expect(shape.keyColumns.map((k) => k.name)).toEqual(['order_id', 'line']);
    expect(shape.targetPrimaryKey).toEqual(['ORDER_ID', 'LINE']);
    expect(shape.targetColumns).toEqual([
      { name: 'ORDER_ID', type: 'NUMBER(10,0)', nullable: false },
      { name: 'LINE', type: 'NUMBER(5,0)', nullable: false },
      { name: 'NOTE', type: 'VARCHAR(100)', nullable: true },
      { name: 'Straße', type: 'VARCHAR(20)', nullable: true },
    ]);
    expect(shape.warnings).toEqual([]);
  });

  it('carries the identity column with its Snowflake name, seed and increment, unless it is excluded', () => {
    const identity = { column: 'order_id', seed: '1000', increment: '-5' };
    expect(shapeTable({ ...base, identity }).identity).toEqual({
      column: 'ORDER_ID',
      seed: '1000',
      increment: '-5',
    });
    const keyedByLine = { ...base, primaryKey: [], keyColumns: ['line'], excludeColumns: ['order_id'] };
    expect(shapeTable({ ...keyedByLine, identity }).identity).toBeUndefined();
  });

  it('copies a table without a primary key in one pass, and says so', () => {
    const shape = shapeTable({ ...base, primaryKey: [] });
    expect(shape.keySource).toBe('none');
    expect(shape.keyColumns).toEqual([]);
    expect(shape.warnings[0]).toMatch(/^dbo\.lines has no primary key: it is copied in one pass/);
  });

  it('takes configured key columns, but never nullable ones', () => {
    expect(shapeTable({ ...base, primaryKey: [], keyColumns: ['ORDER_ID'] }).keySource).toBe('config');
    expect(typeOfError({ ...base, keyColumns: ['note'] })).toEqual([
      'InvalidKey',
      'dbo.lines.note cannot be a key column: it allows NULL, and rows with a NULL key would fall outside every key range.',
    ]);
    expect(typeOfError({ ...base, keyColumns: ['nope'] })).toEqual([
      'InvalidConfig',
      'keyColumns of dbo.lines names the column "nope", which dbo.lines does not have.',
    ]);
  });

  it('excludes columns, but not key columns', () => {
    expect(shapeTable({ ...base, excludeColumns: ['note'] }).targetColumns.map((c) => c.name)).toEqual([
      'ORDER_ID',
      'LINE',
      'Straße',
    ]);
    expect(typeOfError({ ...base, excludeColumns: ['line'] })[1]).toBe(
      'dbo.lines.line is a key column and cannot be excluded.',
    );
  });

  it('refuses two columns that would land on the same Snowflake column', () => {
    const clash = shapeTable.bind(null, { ...base, columns: [...columns, column('is_migrated', 'bit')] });
    expect(clash).toThrow(
      'dbo.lines.is_migrated would become the Snowflake column "IS_MIGRATED", which the metadata column already is.',
    );
    expect(typeOfError({ ...base, columns: [...columns, column('NOTE', 'int')] })[1]).toMatch(
      /dbo\.lines\.NOTE would become the Snowflake column "NOTE", which dbo\.lines\.note already is/,
    );
  });

  it('fingerprints the columns so a changed table is noticed', () => {
    expect(schemaFingerprint(columns)).toBe(schemaFingerprint([...columns]));
    expect(schemaFingerprint(columns)).not.toBe(schemaFingerprint([...columns, column('x', 'int')]));
  });
});
