/**
 * sys.foreign_keys and sys.foreign_key_columns on the SQL Server stand-in, shaped as Microsoft documents
 * them, and the migrator's read of a database's foreign keys through them:
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-foreign-keys-transact-sql
 * https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-foreign-key-columns-transact-sql
 */
import sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { readForeignKeys } from '../../../src/sqlserver/foreign-keys';
import { connect, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

// The child's key lists the parent's columns in another order than the parent's primary key (a, b):
// only sys.foreign_key_columns says which child column references which parent column.
const SCHEMA = `
CREATE TABLE dbo.versions (
  doc_id int NOT NULL,
  rev int NOT NULL,
  code char(3) NOT NULL CONSTRAINT UQ_versions_code UNIQUE,
  tag varchar(10) NOT NULL,
  CONSTRAINT PK_versions PRIMARY KEY (doc_id, rev));
CREATE UNIQUE INDEX IX_versions_tag ON dbo.versions (tag);
CREATE TABLE dbo.notes (
  id int NOT NULL PRIMARY KEY,
  note_rev int NOT NULL,
  note_doc int NOT NULL,
  code char(3) NULL,
  tag varchar(10) NULL,
  CONSTRAINT FK_notes_versions FOREIGN KEY (note_rev, note_doc) REFERENCES dbo.versions (rev, doc_id),
  CONSTRAINT FK_notes_code FOREIGN KEY (code) REFERENCES dbo.versions (code),
  CONSTRAINT FK_notes_tag FOREIGN KEY (tag) REFERENCES dbo.versions (tag));`;

beforeAll(async () => {
  emulator = await startEmulator();
  pool = await connect(emulator, { pool: { max: 1 } });
  await pool.request().batch(SCHEMA);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('sys.foreign_keys', () => {
  it("has sys.objects' columns, then the referenced table, its key index and the key's state", async () => {
    const rows = await query(
      pool,
      'SELECT fk.name, fk.type, fk.type_desc, p.name AS parent, r.name AS referenced, i.name AS key_index, ' +
        'fk.is_disabled, fk.is_not_trusted, fk.delete_referential_action_desc, fk.update_referential_action, ' +
        'fk.is_system_named FROM sys.foreign_keys AS fk ' +
        'JOIN sys.tables AS p ON p.object_id = fk.parent_object_id ' +
        'JOIN sys.tables AS r ON r.object_id = fk.referenced_object_id ' +
        'JOIN sys.indexes AS i ON i.object_id = fk.referenced_object_id AND i.index_id = fk.key_index_id ' +
        'ORDER BY fk.name',
    );
    const state = {
      type: 'F ',
      type_desc: 'FOREIGN_KEY_CONSTRAINT',
      parent: 'notes',
      referenced: 'versions',
      is_disabled: false,
      is_not_trusted: false,
      delete_referential_action_desc: 'NO_ACTION',
      update_referential_action: 0,
      is_system_named: false,
    };
    expect(rows).toEqual([
      { name: 'FK_notes_code', key_index: 'UQ_versions_code', ...state },
      { name: 'FK_notes_tag', key_index: 'IX_versions_tag', ...state },
      { name: 'FK_notes_versions', key_index: 'PK_versions', ...state },
    ]);
  });

  it('is the same object as sys.objects lists, and types its columns as documented', async () => {
    const result = await pool
      .request()
      .query(
        'SELECT fk.object_id, fk.schema_id, fk.create_date, fk.referenced_object_id, fk.key_index_id, ' +
          'fk.is_not_for_replication, fk.delete_referential_action, o.name AS object_name ' +
          "FROM sys.foreign_keys AS fk JOIN sys.objects AS o ON o.object_id = fk.object_id WHERE fk.name = 'FK_notes_code'",
      );
    expect(result.recordset[0]).toMatchObject({
      object_name: 'FK_notes_code',
      is_not_for_replication: false,
    });
    const types = Object.values(result.recordset.columns).map((c) => [c.name, c.type]);
    expect(types).toEqual([
      ['object_id', sql.Int],
      ['schema_id', sql.Int],
      ['create_date', sql.DateTime],
      ['referenced_object_id', sql.Int],
      ['key_index_id', sql.Int],
      ['is_not_for_replication', sql.Bit],
      ['delete_referential_action', sql.TinyInt],
      ['object_name', sql.NVarChar],
    ]);
  });
});

describe('sys.foreign_key_columns', () => {
  it('pairs each referencing column with the column it references, in the order the key lists them', async () => {
    const result = await pool
      .request()
      .query(
        'SELECT fkc.constraint_column_id, c.name AS child, r.name AS parent, fkc.constraint_object_id, ' +
          'fkc.parent_object_id, fkc.referenced_object_id FROM sys.foreign_key_columns AS fkc ' +
          'JOIN sys.foreign_keys AS fk ON fk.object_id = fkc.constraint_object_id ' +
          'JOIN sys.columns AS c ON c.object_id = fkc.parent_object_id AND c.column_id = fkc.parent_column_id ' +
          'JOIN sys.columns AS r ON r.object_id = fkc.referenced_object_id AND r.column_id = fkc.referenced_column_id ' +
          "WHERE fk.name = 'FK_notes_versions' ORDER BY fkc.constraint_column_id",
      );
    expect(result.recordset.map((r) => [r.constraint_column_id, r.child, r.parent])).toEqual([
      [1, 'note_rev', 'rev'],
      [2, 'note_doc', 'doc_id'],
    ]);
    expect(Object.values(result.recordset.columns).map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['constraint_column_id', sql.Int, false],
      ['child', sql.NVarChar, true],
      ['parent', sql.NVarChar, true],
      ['constraint_object_id', sql.Int, false],
      ['parent_object_id', sql.Int, false],
      ['referenced_object_id', sql.Int, false],
    ]);
  });
});

describe("the migrator's read of the foreign keys", () => {
  it("keeps each column beside the one it references, in the parent key's order; a unique index is no constraint", async () => {
    expect(await readForeignKeys(pool)).toEqual([
      {
        name: 'FK_notes_code',
        table: { schema: 'dbo', table: 'notes' },
        columns: ['code'],
        referenced: { schema: 'dbo', table: 'versions' },
        refColumns: ['code'],
      },
      {
        name: 'FK_notes_tag',
        table: { schema: 'dbo', table: 'notes' },
        columns: ['tag'],
        referenced: null,
        refColumns: ['tag'],
      },
      {
        name: 'FK_notes_versions',
        table: { schema: 'dbo', table: 'notes' },
        columns: ['note_doc', 'note_rev'],
        referenced: { schema: 'dbo', table: 'versions' },
        refColumns: ['doc_id', 'rev'],
      },
    ]);
  });
});
