import { describedBy, describedColumns } from '../../../src/mapping/descriptions';
import { shapeTable } from '../../../src/mapping/table-shape';
import { createTable } from '../../../src/sql/snowflake/statements';
import { column } from '../../support/columns';

describe('MS_Description as Snowflake comments', () => {
  const shape = shapeTable({
    tableName: 'dbo.people',
    columns: [column('id', 'int', { nullable: false }), column('note', 'nvarchar', { charMaxLength: 20 })],
    primaryKey: ['id'],
    metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
  });
  const descriptions = describedBy([
    { column_name: null, description: "People's records" },
    { column_name: 'note', description: 'Free text \\ anything' },
    { column_name: 'id', description: '' }, // an empty description is none
  ]);

  it('reads the table’s description (no column) and each column’s', () => {
    expect(descriptions).toEqual({ table: "People's records", columns: { note: 'Free text \\ anything' } });
  });

  it('writes them as the table COMMENT and column COMMENTs, quoted as Snowflake string literals', () => {
    const ddl = createTable(
      {
        table: { database: 'D', schema: 'S', name: 'PEOPLE' },
        ...describedColumns(shape, descriptions),
        isMigratedColumn: 'IS_MIGRATED',
        migratedAtColumn: 'MIGRATED_AT',
        primaryKey: ['ID'],
      },
      'published',
    );
    expect(ddl).toBe(
      'CREATE TABLE "D"."S"."PEOPLE" (\n' +
        '  "ID" NUMBER(10,0) NOT NULL,\n' +
        '  "NOTE" VARCHAR(20) COMMENT \'Free text \\\\ anything\',\n' +
        '  "IS_MIGRATED" BOOLEAN NOT NULL DEFAULT TRUE,\n' +
        '  "MIGRATED_AT" TIMESTAMP_TZ(3) NOT NULL,\n' +
        '  PRIMARY KEY ("ID")\n' +
        ") COMMENT = 'People\\'s records'",
    );
  });

  it('leaves the comments out when the descriptions could not be read', () => {
    expect(describedColumns(shape, { unknown: 'sys.extended_properties: not supported' })).toEqual({
      columns: shape.targetColumns,
    });
  });
});
