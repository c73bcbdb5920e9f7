/**
 * Local temporary tables (`#t`): each session keeps them in a schema of its own in `tempdb`, so two
 * sessions' `#t` never meet, and drops them when it ends. Global ones (`##t`) are not implemented.
 */
import { notSupported } from '../errors';
import type { ObjectName } from '../tsql/ast';
import type { Catalog } from './catalog';

const TEMPDB = 'tempdb';

const isObjectName = (node: object): node is ObjectName =>
  !('kind' in node) &&
  Array.isArray((node as ObjectName).parts) &&
  typeof (node as ObjectName).text === 'string';

export class TempTables {
  private readonly schema: string;

  constructor(
    private readonly catalog: Catalog,
    spid: number,
  ) {
    this.schema = `#${spid}`;
  }

  /** `#t`, `tempdb..#t` or `tempdb.dbo.#t` as this session's table; other names as they are. */
  resolve(name: ObjectName): ObjectName {
    const last = name.parts[name.parts.length - 1] ?? '';
    if (!last.startsWith('#')) return name;
    if (last.startsWith('##')) throw notSupported('global temporary tables (##)');
    return { parts: [TEMPDB, this.schema, last], text: name.text };
  }

  /** Points every table name in parsed statements at this session's temporary tables. */
  rewrite(node: unknown): void {
    if (Array.isArray(node)) {
      for (const item of node) this.rewrite(item);
    } else if (node !== null && typeof node === 'object') {
      if (isObjectName(node)) node.parts = this.resolve(node).parts;
      else for (const value of Object.values(node)) this.rewrite(value);
    }
  }

  /** tempdb and the session's schema, made when its first temporary table is. */
  prepare(name: ObjectName): void {
    if (name.parts[0] !== TEMPDB || name.parts[1] !== this.schema) return;
    if (!this.catalog.database(TEMPDB)) this.catalog.addDatabase(TEMPDB);
    if (!this.catalog.schema(TEMPDB, this.schema)) this.catalog.addSchema(TEMPDB, this.schema);
  }

  /** The session's temporary tables, to drop when it ends. */
  names(): ObjectName[] {
    return this.catalog
      .tablesOf(TEMPDB)
      .filter((t) => t.schema === this.schema)
      .map((t) => ({ parts: [TEMPDB, this.schema, t.name], text: t.name }));
  }
}
