/**
 * The hierarchyid methods the stand-in implements, on values held as their canonical path text
 * (types/hierarchyid.ts). The parser names a method call `.<method>` with the instance as first argument.
 */
import { SqlError } from '../errors';
import type { SqlType } from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';

interface MethodDef {
  args: [min: number, max: number];
  type(args: SqlType[]): SqlType;
  eval(args: Typed[]): SqlValue;
}

export const HIERARCHYID_METHODS: Record<string, MethodDef> = {
  /**
   * GetLevel(): "Returns an integer that represents the depth of the node this in the tree", smallint,
   * the root being level 0 (https://learn.microsoft.com/en-us/sql/t-sql/data-types/getlevel-database-engine).
   */
  '.getlevel': {
    args: [1, 1],
    type: ([target]) => {
      if (target!.name !== 'hierarchyid') throw new SqlError(258, `Cannot call methods on ${target!.name}.`);
      return { name: 'smallint' };
    },
    eval: ([node]) => (node!.value === null ? null : (node!.value as string).split('/').length - 2),
  },
};
