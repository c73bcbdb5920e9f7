/** Builds SourceColumn values for pure tests, as INFORMATION_SCHEMA would describe them. */
import type { SourceColumn } from '../../src/contracts/table';

export function column(name: string, dataType: string, extra: Partial<SourceColumn> = {}): SourceColumn {
  return {
    name,
    ordinal: 1,
    dataType,
    charMaxLength: null,
    numericPrecision: null,
    numericScale: null,
    datetimePrecision: null,
    nullable: true,
    isIdentity: false,
    isComputed: false,
    ...extra,
  };
}
