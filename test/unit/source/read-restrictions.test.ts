import { MigrationError, hintFor } from '../../../src/contracts/errors';
import type { ColumnReport } from '../../../src/mapping/fidelity';
import {
  checkReadRestrictions,
  restrictionFindings,
  restrictionView,
  viewRestrictions,
  type ReadRestrictions,
} from '../../../src/source/read-restrictions';
import {
  FILTER_PREDICATES_QUERY,
  MASKED_COLUMNS_QUERY,
  READ_PERMISSIONS_QUERY,
} from '../../../src/sql/sqlserver/catalog-queries';

const none: ReadRestrictions = { unmask: false, maskedColumns: [], filters: [] };
const masked: ReadRestrictions = {
  unmask: false,
  maskedColumns: [
    { column: 'email', maskingFunction: 'email()' },
    { column: 'salary', maskingFunction: 'default()' },
  ],
  filters: [],
};
const filtered: ReadRestrictions = {
  unmask: true,
  maskedColumns: [],
  filters: [{ policy: 'dbo.region_filter', predicate: '[dbo].[east_only]([region])' }],
};

const MASKED_MESSAGE =
  'dbo.people has masked columns the source login cannot unmask: email (email()), salary (default()); it would read the masks (xxxx, 0, 1900-01-01) instead of the values, and validation would read the same masks. ' +
  "Grant the login UNMASK on the database (GRANT UNMASK TO <user>), or exclude the columns, or set allowMaskedOrFiltered: true on the table's entry in migration.tables to copy the masked values.";

describe('read restrictions: masked columns and security policies', () => {
  it('nothing masked or filtered: no finding, the run goes on without a warning', () => {
    expect(restrictionFindings('dbo.people', none)).toEqual([]);
    expect(checkReadRestrictions('dbo.people', none, {})).toEqual([]);
  });

  it('masked columns matter only without UNMASK and when copied', () => {
    expect(restrictionFindings('dbo.people', masked)).toEqual([MASKED_MESSAGE]);
    expect(restrictionFindings('dbo.people', { ...masked, unmask: true })).toEqual([]);
    expect(restrictionFindings('dbo.people', masked, ['EMAIL', 'salary'])).toEqual([]);
  });

  it('refuses the table with a non-retryable SourceReadRestricted error and what to do', () => {
    let error: unknown;
    try {
      checkReadRestrictions('dbo.people', masked, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ type: 'SourceReadRestricted', message: MASKED_MESSAGE });
    expect(hintFor('SourceReadRestricted')).toContain(
      'Masked columns: grant the login UNMASK (or exclude them). A security policy: use a login its predicate lets read every row',
    );
  });

  it('a filter predicate is named with its policy; the opt-in turns the refusal into the warning the report shows', () => {
    const finding =
      'dbo.sales is filtered by the security policy dbo.region_filter ([dbo].[east_only]([region])): its predicate decides which rows each login reads, the migrator cannot tell whether the source login reads them all, and validation would count the same rows. ' +
      "Use a login the predicate lets read every row (or have the policy disabled for the run: ALTER SECURITY POLICY dbo.region_filter WITH (STATE = OFF)), and set allowMaskedOrFiltered: true on the table's entry in migration.tables to go on; the report then says so.";
    expect(() => checkReadRestrictions('dbo.sales', filtered, {})).toThrow(finding);
    expect(checkReadRestrictions('dbo.sales', filtered, { allowMaskedOrFiltered: true })).toEqual([
      `dbo.sales was copied as the source login reads it (allowMaskedOrFiltered: true), which may not be the table's data: ${finding}`,
    ]);
  });

  it('policies the login may not read are unknown, not none', () => {
    const unknown = {
      ...none,
      filtersUnknown: {
        why: 'the login lacks VIEW DEFINITION',
        todo: 'Grant the login VIEW DEFINITION on the database',
      },
    };
    expect(restrictionFindings('dbo.sales', unknown)).toEqual([
      'Cannot tell whether a security policy filters dbo.sales: the login lacks VIEW DEFINITION. ' +
        "Grant the login VIEW DEFINITION on the database, or set allowMaskedOrFiltered: true on the table's entry in migration.tables.",
    ]);
    expect(() => checkReadRestrictions('dbo.sales', unknown, {})).toThrow(MigrationError);
  });

  it('a view: the masks and policies of the tables it reads are unknown, the masks only without UNMASK', () => {
    const why =
      'dbo.v is a view, and the masks and security policies of the tables it reads are not followed';
    const tail =
      "Migrate the tables it reads instead, or set allowMaskedOrFiltered: true on the table's entry in migration.tables.";
    expect(restrictionFindings('dbo.v', viewRestrictions('dbo.v', false))).toEqual([
      `Cannot tell whether dbo.v has masked columns: ${why}. ${tail}`,
      `Cannot tell whether a security policy filters dbo.v: ${why}. ${tail}`,
    ]);
    expect(restrictionFindings('dbo.v', viewRestrictions('dbo.v', true))).toEqual([
      `Cannot tell whether a security policy filters dbo.v: ${why}. ${tail}`,
    ]);
  });

  it('discover and plan: a masked column is refused, or converted under the opt-in; a policy is a table problem', () => {
    const columns: ColumnReport[] = [
      { name: 'id', sourceType: 'int', verdict: 'exact', targetType: 'NUMBER(10,0)' },
      {
        name: 'email',
        sourceType: 'varchar(100)',
        verdict: 'converted',
        targetType: 'VARCHAR(100)',
        how: ['x'],
      },
      { name: 'salary', sourceType: 'int', verdict: 'excluded', why: 'left out by excludeColumns' },
    ];
    const both = { ...masked, filters: filtered.filters };
    const refused = restrictionView('dbo.people', both, columns, false);
    expect(refused.columns[0]).toBe(columns[0]);
    expect(refused.columns[1]).toEqual({
      name: 'email',
      sourceType: 'varchar(100)',
      verdict: 'refused',
      why: 'masked with email() and the login lacks UNMASK: the masks are copied, not the values',
      todo: "grant the login UNMASK (GRANT UNMASK TO <user>), exclude the column, or set allowMaskedOrFiltered: true on the table's entry",
    });
    expect(refused.columns[2]).toBe(columns[2]);
    expect(refused.problems).toHaveLength(1);
    expect(refused.problems[0]).toMatch(/^dbo\.people is filtered by the security policy dbo\.region_filter/);
    expect(refused.warnings).toEqual([]);

    const allowed = restrictionView('dbo.people', both, columns, true);
    expect(allowed.columns[1]).toMatchObject({
      verdict: 'converted',
      how: [
        'masked with email() and the login lacks UNMASK: the masks are copied, not the values (allowMaskedOrFiltered: true)',
        'x',
      ],
    });
    expect(allowed.problems).toEqual([]);
    expect(allowed.warnings[0]).toMatch(/^allowMaskedOrFiltered: true: dbo\.people is filtered/);
  });

  it('reads the catalog with database-level permissions, masked columns and enabled filter predicates only', () => {
    expect(READ_PERMISSIONS_QUERY).toBe(
      "SELECT HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'UNMASK') AS [unmask], HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DEFINITION') AS [view_definition], HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'ALTER ANY SECURITY POLICY') AS [alter_any_security_policy]",
    );
    expect(MASKED_COLUMNS_QUERY).toContain('FROM sys.masked_columns AS c');
    expect(MASKED_COLUMNS_QUERY).toContain('c.is_masked = 1');
    expect(FILTER_PREDICATES_QUERY).toContain('p.is_enabled = 1 AND sp.predicate_type = 0');
  });
});
