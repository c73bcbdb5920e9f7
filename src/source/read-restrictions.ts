/**
 * Masked columns and row-level security: what makes the source login read other data than the table
 * holds. Dynamic data masking shows a login without UNMASK masked values
 * (https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking), and a security
 * policy's filter predicate silently hides rows from every reader it filters
 * (https://learn.microsoft.com/sql/relational-databases/security/row-level-security). The copy and the
 * validation read through the same login, so both would agree on the wrong data and the run would
 * succeed: the table is refused before any DDL unless its config entry opts in
 * (`allowMaskedOrFiltered`), and then the report says what was copied. Pure.
 */
import { MigrationError } from '../contracts/errors';
import type { ColumnReport } from '../mapping/fidelity';

export interface ReadRestrictions {
  /** Whether the login holds UNMASK on the database (sysadmin, db_owner and CONTROL include it). */
  unmask: boolean;
  /** The table's masked columns (whatever the login holds), with their masking functions. */
  maskedColumns: { column: string; maskingFunction: string }[];
  /** Why the masked columns could not be read, and what to do; then they are unknown, not none. */
  masksUnknown?: Unknown;
  /** Enabled security policies with a filter predicate on the table. */
  filters: { policy: string; predicate: string }[];
  /** Why the security policies could not be read, and what to do; then they are unknown, not none. */
  filtersUnknown?: Unknown;
}

export interface Unknown {
  why: string;
  todo: string;
}

const OPT_IN = 'allowMaskedOrFiltered: true';

/**
 * A view has no masks or policies of its own: those of the tables it reads apply to what it returns,
 * and the catalog does not say which those are, so they are unknown (masks only matter without UNMASK).
 */
export function viewRestrictions(viewName: string, unmask: boolean): ReadRestrictions {
  const unknown = {
    why: `${viewName} is a view, and the masks and security policies of the tables it reads are not followed`,
    todo: 'Migrate the tables it reads instead',
  };
  return {
    unmask,
    maskedColumns: [],
    filters: [],
    ...(unmask ? {} : { masksUnknown: unknown }),
    filtersUnknown: unknown,
  };
}

/** Masked columns the login reads masked, among the columns the run copies. */
export function maskedForLogin(
  r: ReadRestrictions,
  excludeColumns: string[] = [],
): ReadRestrictions['maskedColumns'] {
  if (r.unmask) return [];
  const excluded = new Set(excludeColumns.map((c) => c.toLowerCase()));
  return r.maskedColumns.filter((m) => !excluded.has(m.column.toLowerCase()));
}

/** One sentence per restriction on what the login reads of the table, with what to do; empty: none. */
export function restrictionFindings(
  tableName: string,
  r: ReadRestrictions,
  excludeColumns: string[] = [],
): string[] {
  const findings: string[] = [];
  const masked = maskedForLogin(r, excludeColumns);
  if (masked.length > 0) {
    findings.push(
      `${tableName} has masked columns the source login cannot unmask: ${masked
        .map((m) => `${m.column} (${m.maskingFunction})`)
        .join(
          ', ',
        )}; it would read the masks (xxxx, 0, 1900-01-01) instead of the values, and validation would read the same masks. ` +
        `Grant the login UNMASK on the database (GRANT UNMASK TO <user>), or exclude the columns, or set ${OPT_IN} on the table's entry in migration.tables to copy the masked values.`,
    );
  }
  if (r.masksUnknown !== undefined) {
    findings.push(
      `Cannot tell whether ${tableName} has masked columns: ${r.masksUnknown.why}. ` +
        `${r.masksUnknown.todo}, or set ${OPT_IN} on the table's entry in migration.tables.`,
    );
  }
  for (const f of r.filters) {
    findings.push(
      `${tableName} is filtered by the security policy ${f.policy} (${f.predicate}): its predicate decides which rows each login reads, the migrator cannot tell whether the source login reads them all, and validation would count the same rows. ` +
        `Use a login the predicate lets read every row (or have the policy disabled for the run: ALTER SECURITY POLICY ${f.policy} WITH (STATE = OFF)), and set ${OPT_IN} on the table's entry in migration.tables to go on; the report then says so.`,
    );
  }
  if (r.filtersUnknown !== undefined) {
    findings.push(
      `Cannot tell whether a security policy filters ${tableName}: ${r.filtersUnknown.why}. ` +
        `${r.filtersUnknown.todo}, or set ${OPT_IN} on the table's entry in migration.tables.`,
    );
  }
  return findings;
}

/**
 * Before any DDL: refuses the table (non-retryable) when the login would read masked or filtered data,
 * or returns the warnings the report states when the table opted in.
 */
export function checkReadRestrictions(
  tableName: string,
  r: ReadRestrictions,
  options: { excludeColumns?: string[]; allowMaskedOrFiltered?: boolean },
): string[] {
  const findings = restrictionFindings(tableName, r, options.excludeColumns);
  if (findings.length === 0) return [];
  if (!options.allowMaskedOrFiltered) throw new MigrationError('SourceReadRestricted', findings.join(' '));
  return [
    `${tableName} was copied as the source login reads it (${OPT_IN}), which may not be the table's data: ${findings.join(' ')}`,
  ];
}

/**
 * discover and plan: masked columns the login cannot unmask as column verdicts, the rest (policies,
 * what could not be read) as the table's problems, or its warnings under the opt-in.
 */
export function restrictionView(
  tableName: string,
  r: ReadRestrictions,
  columns: ColumnReport[],
  allowMaskedOrFiltered: boolean,
): { columns: ColumnReport[]; problems: string[]; warnings: string[] } {
  const tableLevel = restrictionFindings(tableName, { ...r, maskedColumns: [] });
  return {
    columns: maskVerdicts(columns, r, allowMaskedOrFiltered),
    problems: allowMaskedOrFiltered ? [] : tableLevel,
    warnings: allowMaskedOrFiltered ? tableLevel.map((f) => `${OPT_IN}: ${f}`) : [],
  };
}

/** A masked column the login cannot unmask is refused, or converted under the opt-in. */
function maskVerdicts(
  columns: ColumnReport[],
  r: ReadRestrictions,
  allowMaskedOrFiltered: boolean,
): ColumnReport[] {
  const masked = new Map(maskedForLogin(r).map((m) => [m.column.toLowerCase(), m.maskingFunction]));
  return columns.map((c): ColumnReport => {
    const fn = masked.get(c.name.toLowerCase());
    if (fn === undefined || c.verdict === 'excluded' || c.verdict === 'refused') return c;
    const what = `masked with ${fn} and the login lacks UNMASK: the masks are copied, not the values`;
    if (allowMaskedOrFiltered) {
      return {
        name: c.name,
        sourceType: c.sourceType,
        verdict: 'converted',
        targetType: c.targetType,
        how: [`${what} (${OPT_IN})`, ...(c.verdict === 'converted' ? c.how : [])],
      };
    }
    return {
      name: c.name,
      sourceType: c.sourceType,
      verdict: 'refused',
      why: what,
      todo: `grant the login UNMASK (GRANT UNMASK TO <user>), exclude the column, or set ${OPT_IN} on the table's entry`,
    };
  });
}
