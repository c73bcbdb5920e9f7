/**
 * readTableKind over catalogs of three ages, through a fake reader that answers as SQL Server would:
 * 2016 and later (every column), 2014 (is_memory_optimized only: 207 for the others) and 2012 (207 for
 * is_memory_optimized too). sys.tables and sys.columns:
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql
 */
import type sql from 'mssql';
import { ORDINARY_TABLE } from '../../../src/source/table-kinds';
import { readTableKind } from '../../../src/sqlserver/catalog';
import type { SourceReader } from '../../../src/sqlserver/read-transaction';
import {
  KIND_COLUMNS_QUERY,
  MEMORY_OPTIMIZED_QUERY,
  TABLE_KIND_QUERY,
} from '../../../src/sql/sqlserver/catalog-queries';

const invalidColumn = (name: string) =>
  Object.assign(new Error(`Invalid column name '${name}'.`), { code: 'EREQUEST', number: 207 });

function reader(answers: Record<string, unknown[] | Error>): SourceReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    request: () => {
      const request = {
        input: () => request,
        query: async (text: string) => {
          asked.push(text);
          const answer = answers[text];
          if (answer === undefined) throw new Error(`unexpected query ${text}`);
          if (answer instanceof Error) throw answer;
          return { recordset: answer };
        },
      };
      return request as unknown as sql.Request;
    },
  };
}

const ref = { schema: 'dbo', table: 'prices' };

describe('readTableKind', () => {
  it('reads a system-versioned table with its history, period and encrypted columns (2016 and later)', async () => {
    const pool = reader({
      [TABLE_KIND_QUERY]: [
        {
          is_memory_optimized: false,
          temporal_type: 2,
          history_schema: 'hist',
          history_table: 'prices old',
          current_schema: null,
          current_table: null,
        },
      ],
      [KIND_COLUMNS_QUERY]: [
        {
          name: 'f',
          generated_always_type: 1,
          generated_always_type_desc: 'AS_ROW_START',
          is_hidden: true,
          encryption_type_desc: null,
        },
        {
          name: 't',
          generated_always_type: 2,
          generated_always_type_desc: 'AS_ROW_END',
          is_hidden: false,
          encryption_type_desc: null,
        },
        {
          name: 'ssn',
          generated_always_type: 0,
          generated_always_type_desc: 'NOT_APPLICABLE',
          is_hidden: false,
          encryption_type_desc: 'RANDOMIZED',
        },
      ],
    });
    expect(await readTableKind(pool, ref, 'BASE TABLE')).toEqual({
      memoryOptimized: false,
      temporalType: 2,
      related: 'hist.[prices old]',
      periodColumns: [
        { column: 'f', generated: 'AS ROW START', hidden: true },
        { column: 't', generated: 'AS ROW END', hidden: false },
      ],
      encryptedColumns: [{ column: 'ssn', encryption: 'RANDOMIZED' }],
    });
  });

  it('on SQL Server 2014 (no temporal_type) still finds a memory-optimized table', async () => {
    const pool = reader({
      [TABLE_KIND_QUERY]: invalidColumn('temporal_type'),
      [KIND_COLUMNS_QUERY]: invalidColumn('generated_always_type'),
      [MEMORY_OPTIMIZED_QUERY]: [{ is_memory_optimized: true }],
    });
    expect(await readTableKind(pool, ref, 'BASE TABLE')).toEqual({
      ...ORDINARY_TABLE,
      memoryOptimized: true,
    });
  });

  it('on SQL Server 2012 (no is_memory_optimized) the table is ordinary', async () => {
    const pool = reader({
      [TABLE_KIND_QUERY]: invalidColumn('temporal_type'),
      [KIND_COLUMNS_QUERY]: invalidColumn('generated_always_type'),
      [MEMORY_OPTIMIZED_QUERY]: invalidColumn('is_memory_optimized'),
    });
    expect(await readTableKind(pool, ref, 'BASE TABLE')).toEqual(ORDINARY_TABLE);
  });

  it('passes any other error on, and asks nothing about a view', async () => {
    const denied = Object.assign(new Error('The SELECT permission was denied'), { number: 229 });
    const pool = reader({ [TABLE_KIND_QUERY]: denied, [KIND_COLUMNS_QUERY]: [] });
    await expect(readTableKind(pool, ref, 'BASE TABLE')).rejects.toBe(denied);
    const none = reader({});
    expect(await readTableKind(none, ref, 'VIEW')).toEqual(ORDINARY_TABLE);
    expect(none.asked).toEqual([]);
  });
});
