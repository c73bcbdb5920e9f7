import type { MigrationError } from '../../../src/contracts/errors';
import type { ColumnReport } from '../../../src/mapping/fidelity';
import {
  checkTableKind,
  kindRefusals,
  ORDINARY_TABLE,
  readsInSnapshot,
  tableKindView,
  type TableKind,
} from '../../../src/source/table-kinds';

const hot: TableKind = { ...ORDINARY_TABLE, memoryOptimized: true };
const encrypted: TableKind = {
  ...ORDINARY_TABLE,
  encryptedColumns: [
    { column: 'ssn', encryption: 'DETERMINISTIC' },
    { column: 'card', encryption: 'RANDOMIZED' },
  ],
};
const temporal: TableKind = {
  ...ORDINARY_TABLE,
  temporalType: 2,
  related: 'dbo.prices_history',
  periodColumns: [
    { column: 'valid_from', generated: 'AS ROW START', hidden: true },
    { column: 'valid_to', generated: 'AS ROW END', hidden: false },
  ],
};
const history: TableKind = { ...ORDINARY_TABLE, temporalType: 1, related: 'dbo.prices' };

function refusal(run: () => unknown): MigrationError {
  try {
    run();
  } catch (err) {
    return err as MigrationError;
  }
  throw new Error('expected a refusal');
}

describe('readsInSnapshot', () => {
  it('is true under sourceReadIsolation snapshot or mode follow (its rounds read in SNAPSHOT transactions)', () => {
    expect(readsInSnapshot({ sourceReadIsolation: 'snapshot', mode: 'snapshot' })).toBe(true);
    expect(readsInSnapshot({ sourceReadIsolation: 'readCommitted', mode: 'follow' })).toBe(true);
    expect(readsInSnapshot({ sourceReadIsolation: 'readCommitted', mode: 'snapshot' })).toBe(false);
  });
});

describe('checkTableKind', () => {
  it('passes an ordinary table without a word', () => {
    expect(checkTableKind('dbo.t', ORDINARY_TABLE, { snapshotReads: true })).toEqual([]);
  });

  it('refuses a memory-optimized table under SNAPSHOT reads (41332) and passes it under READ COMMITTED', () => {
    const error = refusal(() => checkTableKind('dbo.hot', hot, { snapshotReads: true }));
    expect(error.type).toBe('MemoryOptimizedSnapshot');
    expect(error.message).toBe(
      'dbo.hot is memory-optimized, and SQL Server cannot read a memory-optimized table in a SNAPSHOT transaction (error 41332). ' +
        'Migrate it with migration.sourceReadIsolation: readCommitted (autocommit reads, which SQL Server supports on memory-optimized tables), in a run of its own if the other tables need snapshot; mode follow cannot follow it.',
    );
    expect(checkTableKind('dbo.hot', hot, { snapshotReads: false })).toEqual([]);
  });

  it('refuses Always Encrypted columns unless every one is excluded', () => {
    const error = refusal(() =>
      checkTableKind('dbo.p', encrypted, { snapshotReads: false, excludeColumns: ['SSN'] }),
    );
    expect(error.type).toBe('SourceColumnEncrypted');
    expect(error.message).toBe(
      'dbo.p has Always Encrypted columns: card (RANDOMIZED); the driver (tedious) cannot decrypt them, so their ciphertext would be copied. ' +
        "Either exclude the columns (excludeColumns in the table's entry), or migrate a copy of the table decrypted by a client that holds the column master key.",
    );
    expect(
      checkTableKind('dbo.p', encrypted, { snapshotReads: false, excludeColumns: ['ssn', 'Card'] }),
    ).toEqual([]);
  });

  it('migrates a temporal table saying what its period columns become and where its history is', () => {
    expect(checkTableKind('dbo.prices', temporal, { snapshotReads: true })).toEqual([
      'dbo.prices is a system-versioned temporal table: its current rows are copied and its period columns valid_from, valid_to are copied as ordinary timestamp columns ' +
        '(HIDDEN ones, valid_from, are selected by name); Snowflake gets no versioning, and its history table dbo.prices_history is copied only when selected too.',
    ]);
    expect(
      checkTableKind('dbo.prices', temporal, {
        snapshotReads: false,
        excludeColumns: ['valid_from', 'valid_to'],
      }),
    ).toEqual([
      'dbo.prices is a system-versioned temporal table: its current rows are copied and its period columns are excluded; Snowflake gets no versioning, and its history table dbo.prices_history is copied only when selected too.',
    ]);
  });

  it('migrates a history table as an ordinary table, saying so', () => {
    expect(checkTableKind('dbo.prices_history', history, { snapshotReads: false })).toEqual([
      'dbo.prices_history is the history table of the system-versioned dbo.prices: it is migrated as an ordinary table, with the rows it holds when read.',
    ]);
  });

  it('kindRefusals lists every refusal at once (check and discover show them all)', () => {
    const both = { ...encrypted, memoryOptimized: true };
    expect(kindRefusals('dbo.x', both, { snapshotReads: true }).map((r) => r.slice(0, 40))).toEqual([
      'dbo.x is memory-optimized, and SQL Serve',
      'dbo.x has Always Encrypted columns: ssn ',
    ]);
  });
});

describe('tableKindView', () => {
  const columns: ColumnReport[] = [
    { name: 'id', sourceType: 'int', verdict: 'exact', targetType: 'NUMBER(10,0)' },
    { name: 'ssn', sourceType: 'int', verdict: 'exact', targetType: 'NUMBER(10,0)' },
    { name: 'valid_from', sourceType: 'datetime2(7)', verdict: 'exact', targetType: 'TIMESTAMP_NTZ(7)' },
    { name: 'card', sourceType: 'int', verdict: 'excluded', why: 'left out by excludeColumns' },
  ];

  it('refuses an encrypted column, converts a period column saying how, leaves excluded ones alone', () => {
    const kind: TableKind = { ...temporal, encryptedColumns: encrypted.encryptedColumns };
    const view = tableKindView('dbo.p', kind, columns, { snapshotReads: false });
    expect(view.columns).toEqual([
      columns[0],
      {
        name: 'ssn',
        sourceType: 'int',
        verdict: 'refused',
        why: 'an Always Encrypted column: the driver (tedious) cannot decrypt it, so its ciphertext would arrive instead of the values (DETERMINISTIC)',
        todo: "exclude the column (excludeColumns in the table's entry), or migrate a copy of the table decrypted by a client that holds the column master key",
      },
      {
        name: 'valid_from',
        sourceType: 'datetime2(7)',
        verdict: 'converted',
        targetType: 'TIMESTAMP_NTZ(7)',
        how: [
          'period column (GENERATED ALWAYS AS ROW START, HIDDEN: selected by name): copied as an ordinary column, no versioning in Snowflake',
        ],
      },
      columns[3],
    ]);
    expect(view.problems).toEqual([]);
    expect(view.warnings).toHaveLength(1);
  });

  it('makes a memory-optimized table under SNAPSHOT reads the table problem', () => {
    expect(tableKindView('dbo.hot', hot, columns, { snapshotReads: true }).problems).toEqual([
      expect.stringMatching(/^dbo\.hot is memory-optimized/),
    ]);
    expect(tableKindView('dbo.hot', hot, columns, { snapshotReads: false }).problems).toEqual([]);
  });
});
