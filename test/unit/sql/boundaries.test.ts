import { MigrationError } from '../../../src/contracts/errors';
import { planKeyRanges } from '../../../src/sqlserver/boundaries';
import type { SourcePool } from '../../../src/sqlserver/pool';
import { column } from '../../support/columns';

/** A pool whose every query answers the same row, as a server would whose boundaries never move. */
function poolAnswering(row: Record<string, unknown>): SourcePool {
  const request = { input: () => request, query: async () => ({ recordset: [row] }) };
  return { request: () => request } as unknown as SourcePool;
}

describe('batch boundaries that cannot advance', () => {
  it('fail the table at once, naming the key, instead of planning empty batches for ever', async () => {
    const keys = [column('id', 'int', { nullable: false })];
    const planning = planKeyRanges(poolAnswering({ k0: '7' }), {
      table: { schema: 'dbo', table: 'orders' },
      keys,
      batchSize: 100,
      after: null,
      firstIndex: 0,
      maxBatches: 25,
    });
    await expect(planning).rejects.toThrow(MigrationError);
    await expect(planning).rejects.toThrow(
      'The key ranges of dbo.orders do not advance past (id="7"): SQL Server found the same boundary again.',
    );
  });

  it('fail the table when a varchar key does not survive the conversion back, naming the column', async () => {
    const keys = [
      column('name', 'varchar', { charMaxLength: 40, nullable: false, collation: 'Cyrillic_General_CI_AS' }),
    ];
    const planning = planKeyRanges(poolAnswering({ k0: 'Щука', ok0: 0 }), {
      table: { schema: 'dbo', table: 'fish' },
      keys,
      batchSize: 100,
      after: null,
      firstIndex: 0,
      maxBatches: 25,
    });
    await expect(planning).rejects.toMatchObject({
      type: 'KeyBoundaryNotExact',
      message:
        'The key (name="Щука") of dbo.fish does not travel back to SQL Server exactly: column name (varchar, ' +
        'Cyrillic_General_CI_AS) loses characters when its text is converted back to varchar, so batches would start at the wrong rows.',
    });
  });
});
