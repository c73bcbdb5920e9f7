/** The translation of SELECT into DuckDB SQL over stored keys, without DuckDB or sockets. */
import { collationKey } from '../../../../emulators/sqlserver/collation';
import type { Relation } from '../../../../emulators/sqlserver/engine/bound';
import { Catalog, type TableInfo } from '../../../../emulators/sqlserver/engine/catalog';
import type { EvalContext } from '../../../../emulators/sqlserver/engine/functions';
import { planSelect, type PlanEnv } from '../../../../emulators/sqlserver/engine/select';
import { SqlError } from '../../../../emulators/sqlserver/errors';
import { daysFromCivil } from '../../../../emulators/sqlserver/types/datetime';
import { guidSortKey, parseGuid } from '../../../../emulators/sqlserver/types/guid';
import type { Typed } from '../../../../emulators/sqlserver/types/values';
import type { Select } from '../../../../emulators/sqlserver/tsql/ast';
import { parseBatch } from '../../../../emulators/sqlserver/tsql/parser';

const TABLE: TableInfo = {
  objectId: 42,
  database: 'shop',
  schema: 'dbo',
  name: 'orders',
  columns: [
    { name: 'id', type: { name: 'int' }, nullable: false },
    { name: 'name', type: { name: 'nvarchar', length: 50 }, nullable: true },
    { name: 'g', type: { name: 'uniqueidentifier' }, nullable: false },
    { name: 'at', type: { name: 'datetimeoffset', scale: 7 }, nullable: true },
    { name: 'notes', type: { name: 'ntext' }, nullable: true },
  ],
  uniques: [],
  foreignKeys: [],
  createdMs: 0,
};

function plan(text: string, variables: Record<string, Typed> = {}) {
  const catalog = new Catalog(['shop']);
  const env: PlanEnv = {
    ctx: { database: 'shop', catalog } as unknown as EvalContext,
    variables: new Map(Object.entries(variables)),
    resolve: (): Relation => ({
      database: 'shop',
      schema: 'dbo',
      name: 'orders',
      columns: TABLE.columns,
      table: TABLE,
    }),
    resolveChanges: () => {
      throw new Error('no CHANGETABLE in these tests');
    },
  };
  return planSelect(parseBatch(text)[0] as unknown as Select, env);
}

const nvarchar = (value: string): Typed => ({ type: { name: 'nvarchar', length: 4000 }, value });

describe('SELECT translation', () => {
  it('compares and orders strings on their collation keys, NULLs first', () => {
    const p = plan('SELECT name FROM dbo.orders WHERE name > @last ORDER BY name', {
      '@last': nvarchar('Straße'),
    });
    expect(p.query!.sql).toBe(
      'SELECT r0.c1 FROM t42 AS r0 WHERE (r0.k1 > $1) ORDER BY r0.k1 ASC NULLS FIRST',
    );
    expect(Buffer.from((p.query!.params.values[0] as { bytes: Uint8Array }).bytes)).toEqual(
      collationKey('Straße'),
    );
  });

  it('casts parameters in JavaScript and compares uniqueidentifiers in SQL Server order', () => {
    const p = plan('SELECT id FROM dbo.orders WHERE g > CAST(@k AS uniqueidentifier) ORDER BY g DESC', {
      '@k': nvarchar('6F9619FF-8B86-D011-B42D-00C04FC964FF'),
    });
    expect(p.query!.sql).toBe(
      'SELECT r0.c0 FROM t42 AS r0 WHERE (r0.c2 > $1) ORDER BY r0.c2 DESC NULLS LAST',
    );
    expect(Buffer.from((p.query!.params.values[0] as { bytes: Uint8Array }).bytes)).toEqual(
      guidSortKey(parseGuid('6F9619FF-8B86-D011-B42D-00C04FC964FF')!),
    );
  });

  it('reads a datetimeoffset from its two stored parts and compares it in UTC', () => {
    const p = plan("SELECT at FROM dbo.orders WHERE at >= '2024-01-01 00:00 +05:45'");
    expect(p.query!.sql).toBe('SELECT r0.c3, r0.o3 FROM t42 AS r0 WHERE (r0.c3 >= $1)');
    // 2024-01-01 00:00 at +05:45 is 2023-12-31 18:15 UTC, in 100 ns ticks.
    expect(p.query!.params.values[0]).toBe(
      BigInt(daysFromCivil(2024, 1, 1)) * 864_000_000_000n - 345n * 600_000_000n,
    );
  });

  it('pushes aggregates, paging and TOP into DuckDB; keeps select-list conversions in JavaScript', () => {
    expect(plan('SELECT COUNT_BIG(*) AS n, MIN(name) AS first FROM dbo.orders').query!.sql).toBe(
      'SELECT count(*), arg_min(r0.c1, r0.k1) FROM t42 AS r0',
    );
    const paged = plan(
      'SELECT CAST(id AS nvarchar(4000)) AS k0 FROM dbo.orders WHERE id > CAST(@k AS int) ORDER BY id OFFSET 5 ROWS FETCH NEXT 1 ROWS ONLY',
      {
        '@k': nvarchar('10'),
      },
    );
    expect(paged.query!.sql).toBe(
      'SELECT r0.c0 FROM t42 AS r0 WHERE (r0.c0 > $1) ORDER BY r0.c0 ASC NULLS FIRST LIMIT 1 OFFSET 5',
    );
    expect(paged.query!.params.values).toEqual([10]);
    expect(paged.outputs[0]!([17])).toBe('17');
    expect(paged.columns).toEqual([
      {
        name: 'k0',
        type: { name: 'nvarchar', length: 4000 },
        nullable: false,
        identity: false,
        tableName: undefined,
      },
    ]);
  });

  it('translates date parts and NULL replacement in row filters', () => {
    expect(plan('SELECT id FROM dbo.orders WHERE YEAR(at) = 2024').query!.sql).toBe(
      "SELECT r0.c0 FROM t42 AS r0 WHERE (CAST(year(DATE '0001-01-01' + CAST(CAST(floor((r0.c3 + CAST(r0.o3 AS BIGINT) * 600000000) / 864000000000) AS INTEGER) AS INTEGER)) AS INTEGER) = $1)",
    );
    expect(plan("SELECT id FROM dbo.orders WHERE ISNULL(name, N'') = N''").query!.sql).toBe(
      'SELECT r0.c0 FROM t42 AS r0 WHERE (coalesce(r0.k1, $1) = $2)',
    );
  });

  it('refuses what SQL Server refuses, and says what it does not translate', () => {
    const error = (text: string) => {
      try {
        plan(text);
      } catch (e) {
        if (e instanceof SqlError) return `${e.number} ${e.message}`;
      }
      return 'no error';
    };
    expect(error('SELECT id FROM dbo.orders ORDER BY notes')).toBe(
      '306 The text, ntext, and image data types cannot be compared or sorted, except when using IS NULL or LIKE operator.',
    );
    expect(error('SELECT name, COUNT(*) AS n FROM dbo.orders')).toBe(
      "8120 Column 'dbo.orders.name' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.",
    );
    expect(error("SELECT id FROM dbo.orders WHERE UPPER(name) = N'X'")).toBe(
      '50000 The SQL Server stand-in does not support UPPER() outside the select list.',
    );
  });
});
