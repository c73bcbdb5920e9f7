/** The rules of mode follow: which tables can be followed, what the user is told, when changes are lost. */
import {
  changesLost,
  changesLostMessage,
  followRefusal,
  followVerdict,
  isDelete,
} from '../../../src/follow/rules';
import { recopyNames } from '../../../src/names/target-names';
import {
  createChangesTable,
  insertChangedRows,
  swapTables,
  YOUNGER_TABLE_QUERY,
} from '../../../src/sql/snowflake/statements';
import { copiesNote, followingLine } from '../../../src/workflows/run-state';

const table = { schema: 'sales', table: 'order lines' };
const facts = {
  database: 'shop',
  user: 'migrator',
  table,
  databaseTracked: true,
  tableTracked: true,
  keySource: 'primaryKey' as const,
};

describe('followRefusal', () => {
  it('lets a tracked table with a primary key and no filter be followed', () => {
    expect(followRefusal(facts)).toBeUndefined();
  });

  it('gives the exact statements when change tracking is off for the database (and so for the table)', () => {
    expect(followRefusal({ ...facts, databaseTracked: false, tableTracked: false })).toEqual({
      type: 'ChangeTrackingOff',
      message:
        'Change Tracking is off for the database shop, so mode follow cannot read the changes of sales.[order lines]. Have a DBA run: ' +
        'ALTER DATABASE [shop] SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON); ' +
        'ALTER TABLE [sales].[order lines] ENABLE CHANGE_TRACKING; ' +
        'GRANT VIEW CHANGE TRACKING ON OBJECT::[sales].[order lines] TO [migrator]',
    });
  });

  it('asks only for the table and the grant when the database is tracked', () => {
    expect(followRefusal({ ...facts, tableTracked: false })?.message).toBe(
      'Change Tracking is off for the table sales.[order lines], so mode follow cannot read the changes of sales.[order lines]. Have a DBA run: ' +
        'ALTER TABLE [sales].[order lines] ENABLE CHANGE_TRACKING; GRANT VIEW CHANGE TRACKING ON OBJECT::[sales].[order lines] TO [migrator]',
    );
  });

  it('refuses a table without a primary key, or batched by other key columns, or filtered, before looking at tracking', () => {
    expect(followRefusal({ ...facts, keySource: 'none', tableTracked: false })).toEqual({
      type: 'FollowNotSupported',
      message:
        'sales.[order lines] has no primary key, and Change Tracking tracks only tables with one: mode follow cannot follow it. Add a primary key to the table (or remove keyColumns from its entry), or migrate it in a run with mode: snapshot.',
    });
    expect(followRefusal({ ...facts, keySource: 'config' })?.message).toMatch(
      /^sales\.\[order lines\] is batched by the keyColumns of its entry in migration\.tables, but its changes are reported by its primary key: /,
    );
    expect(followRefusal({ ...facts, filter: 'id > 3' })?.message).toBe(
      'sales.[order lines] has a filter, which mode follow does not apply to the changes yet: migrate it without the filter, or in a run with mode: snapshot.',
    );
  });
});

describe('followVerdict (check, discover, plan)', () => {
  it('says a followable table is ready and names the grant CHANGETABLE needs, which it cannot read', () => {
    expect(followVerdict(facts)).toEqual({
      ready: true,
      message:
        'Change Tracking is on for the database shop and the table sales.[order lines]: mode follow can follow it. ' +
        'CHANGETABLE also needs GRANT VIEW CHANGE TRACKING ON OBJECT::[sales].[order lines] TO [migrator] (not checked here).',
    });
  });

  it("gives a refused table's message, statements included", () => {
    expect(followVerdict({ ...facts, tableTracked: false })).toEqual({
      ready: false,
      message: followRefusal({ ...facts, tableTracked: false })!.message,
    });
  });
});

describe('a table copied again from the start', () => {
  const names = {
    staging: { database: 'DB', schema: 'S', name: 'ORDERS__MIGRATING_ABC' },
    stagePath: 'abc/t3',
  };

  it('gets a staging table and a stage folder of its own per copy', () => {
    expect(recopyNames(names, 1)).toEqual({
      staging: { database: 'DB', schema: 'S', name: 'ORDERS__MIGRATING_ABC_R1' },
      stagePath: 'abc/t3r1',
    });
    expect(recopyNames(names, 2).staging.name).toBe('ORDERS__MIGRATING_ABC_R2');
  });

  it('is swapped in with one statement, and a retry asks which table is younger', () => {
    const target = { ...names.staging, name: 'ORDERS' };
    expect(swapTables(names.staging, target)).toBe(
      'ALTER TABLE "DB"."S"."ORDERS__MIGRATING_ABC" SWAP WITH "DB"."S"."ORDERS"',
    );
    expect(YOUNGER_TABLE_QUERY('DB')).toBe(
      'SELECT TABLE_NAME FROM "DB".INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?, ?) ORDER BY CREATED DESC LIMIT 1',
    );
  });
});

describe('changesLost', () => {
  it('compares versions as bigints, not as text or doubles', () => {
    expect(changesLost('9', '10')).toBe(true);
    expect(changesLost('10', '10')).toBe(false);
    expect(changesLost('100', '20')).toBe(false);
    expect(changesLost('9007199254740993', '9007199254740992')).toBe(false);
    expect(changesLost('9007199254740992', '9007199254740993')).toBe(true);
  });

  it('counts tracking turned off (no minimum valid version) as lost, and says why', () => {
    expect(changesLost('5', null)).toBe(true);
    expect(changesLostMessage(table, '5', '12')).toBe(
      "Following sales.[order lines] stopped: its changes after version 5 are no longer all kept (minimum valid version 12): the run fell behind longer than the database's CHANGE_RETENTION, or the table was truncated.",
    );
    expect(changesLostMessage(table, '5', null)).toBe(
      'Following sales.[order lines] stopped: Change Tracking was turned off for it.',
    );
  });
});

it('reads a delete from SYS_CHANGE_OPERATION (nchar(1)), and only a delete', () => {
  expect(['D', 'D ', 'I', 'U', null].map(isDelete)).toEqual([true, true, false, false, false]);
});

describe("a round's Snowflake SQL", () => {
  const changes = { database: 'DB', schema: 'S', name: 'T__MIGRATING_abc_CHANGES' };
  it('creates the changes table with nullable columns and the deleted flag', () => {
    expect(
      createChangesTable({
        table: changes,
        columns: [
          { name: 'ID', type: 'NUMBER(10,0)', nullable: false },
          { name: 'NOTE', type: 'VARCHAR(10)', nullable: true },
        ],
        isMigratedColumn: 'IS_MIGRATED',
        migratedAtColumn: 'MIGRATED_AT',
      }),
    ).toBe(
      'CREATE OR REPLACE TABLE "DB"."S"."T__MIGRATING_abc_CHANGES" (\n  "ID" NUMBER(10,0),\n  "NOTE" VARCHAR(10),\n' +
        '  "IS_MIGRATED" BOOLEAN,\n  "MIGRATED_AT" TIMESTAMP_TZ(3),\n  "_MIGRATION_DELETED" BOOLEAN NOT NULL\n)',
    );
  });

  it('inserts the current values of the keys not deleted', () => {
    expect(
      insertChangedRows({ database: 'DB', schema: 'S', name: 'T' }, changes, ['ID', 'IS_MIGRATED']),
    ).toBe(
      'INSERT INTO "DB"."S"."T" ("ID", "IS_MIGRATED") SELECT "ID", "IS_MIGRATED" FROM "DB"."S"."T__MIGRATING_abc_CHANGES" WHERE NOT "_MIGRATION_DELETED"',
    );
  });
});

describe('a following table in one line (status, progress bars, the Web UI details)', () => {
  const follow = { startVersion: '3', appliedVersion: '17', rounds: 4, changesApplied: 1234 };
  const lastRound = { lastRoundFrom: 8_000, lastRoundAt: 10_000, lastRoundChanges: 56 };
  const t = { source: 'dbo.a', target: 'DB.S.A', rowsCopied: 10, follow: { ...follow, ...lastRound } };

  it('says its versions, how far behind it can be, its changes in all and in the last round, and when', () => {
    // The last round began at 8 s and read its snapshot after: the target is at most 6.6 s behind.
    expect(followingLine(t, 14_600)).toBe(
      'following dbo.a -> DB.S.A: applied up to version 17 (from 3), at most 7s behind; 1,234 change(s) in 4 round(s), the last 56 in 2s, ended 5s ago',
    );
    expect(followingLine({ ...t, follow }, 0)).toBe(
      'following dbo.a -> DB.S.A: applied up to version 17 (from 3), 1,234 change(s) in 4 round(s), first round running',
    );
    // Recorded before rounds kept their start and count: when the last one ended.
    expect(followingLine({ ...t, follow: { ...follow, lastRoundAt: 10_000 } }, 14_600)).toBe(
      'following dbo.a -> DB.S.A: applied up to version 17 (from 3), 1,234 change(s) in 4 round(s), last round 5s ago',
    );
  });

  it('says whose counts it shows once the table was copied again, and the rows of every copy', () => {
    const recopies = [
      { afterVersion: '9', reason: 'lost', rowsCopied: 7, batchesDone: 1 },
      { afterVersion: '12', reason: 'lost', rowsCopied: 1_000, batchesDone: 2 },
    ];
    expect(copiesNote({ rowsCopied: 10, follow: { ...follow, recopies } })).toBe(
      ' (counts of copy 3: copied again from the start 2 time(s) after its changes were lost; 1,017 rows copied by the 3 copies)',
    );
    // An older record without the replaced copy's rows: no sum that would leave it out.
    expect(
      copiesNote({
        rowsCopied: 10,
        follow: { ...follow, recopies: [{ afterVersion: '9', reason: 'lost' }] },
      }),
    ).toBe(' (counts of copy 2: copied again from the start 1 time(s) after its changes were lost)');
    expect(copiesNote({ rowsCopied: 10, follow })).toBe('');
    expect(copiesNote({ rowsCopied: 10 })).toBe('');
    expect(followingLine({ ...t, follow: { ...t.follow, recopies } }, 14_600)).toMatch(
      /ended 5s ago \(counts of copy 3: .* 1,017 rows copied by the 3 copies\)$/,
    );
  });
});
