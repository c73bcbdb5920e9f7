import { shapeTable } from '../../../src/mapping/table-shape';
import { carriedUniqueKeys } from '../../../src/mapping/unique-keys';
import { column } from '../../support/columns';

describe('carriedUniqueKeys', () => {
  const shape = shapeTable({
    tableName: 'dbo.people',
    columns: [
      column('id', 'int', { nullable: false }),
      column('email', 'varchar', { charMaxLength: 200 }),
      column('Straße', 'nvarchar', { charMaxLength: 20 }),
      column('ssn', 'char', { charMaxLength: 11 }),
    ],
    primaryKey: ['id'],
    excludeColumns: ['ssn'],
    metadataColumns: { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' },
  });

  it('declares the unique constraints over copied columns, by their Snowflake names in key order', () => {
    expect(
      carriedUniqueKeys(
        [
          { name: 'UQ_email', columns: ['email'] },
          { name: 'UQ_street_email', columns: ['Straße', 'email'] },
          { name: 'UQ_ssn', columns: ['ssn'] },
          { name: 'UQ_email_ssn', columns: ['email', 'ssn'] },
        ],
        shape,
      ),
    ).toEqual([
      { name: 'UQ_email', columns: ['EMAIL'] },
      { name: 'UQ_street_email', columns: ['Straße', 'EMAIL'] },
    ]);
  });
});
