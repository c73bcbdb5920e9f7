/**
 * XML schema collections, catalog-only: `CREATE XML SCHEMA COLLECTION [schema.]name AS 'xsd'`
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/create-xml-schema-collection-transact-sql),
 * `ALTER XML SCHEMA COLLECTION name ADD 'xsd'`
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-xml-schema-collection-transact-sql) and
 * `DROP XML SCHEMA COLLECTION name`, listed in sys.xml_schema_collections
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-xml-schema-collections-transact-sql).
 * A typed column, `xml([CONTENT | DOCUMENT] collection)`
 * (https://learn.microsoft.com/en-us/sql/t-sql/xml/xml-transact-sql), must name a collection of the
 * database and holds xml as an untyped column does: the stand-in has no XSD validator, so documents are
 * not validated against the collection's schemas (nor the XSD itself checked), where SQL Server would
 * refuse an invalid one. What SQL Server answers for a missing collection, a second one of the same name,
 * or a DROP while a column uses it is not documented on these pages: refused (50000).
 */
import { notSupported } from '../errors';
import type { ObjectName, StatementBody, TypedXmlName } from '../tsql/ast';
import { convert } from '../types/convert';
import { Binder } from './binder';
import { type Catalog, sameName } from './catalog';
import type { DdlContext, Undo } from './ddl';
import { evaluateConstant } from './evaluate';

export interface XmlSchemaCollection {
  id: number;
  schema: string;
  name: string;
  /** The XSD texts, as CREATE and each ALTER ... ADD gave them. */
  schemas: string[];
  created: string;
  modified: string;
}

function find(catalog: Catalog, database: string, schema: string, name: string) {
  return catalog
    .database(database)
    ?.xmlSchemaCollections?.find((c) => sameName(c.schema, schema) && sameName(c.name, name));
}

/** The collection a typed xml column names (its schema, dbo if none), in the table's database. */
export function xmlCollectionOf(
  catalog: Catalog,
  database: string,
  typed: TypedXmlName,
): XmlSchemaCollection {
  const parts = typed.xmlCollection.parts;
  const found = find(catalog, database, parts.length >= 2 ? parts[parts.length - 2]! : 'dbo', parts.at(-1)!);
  if (!found)
    throw notSupported(
      `typed xml naming an XML schema collection that does not exist (${typed.xmlCollection.text})`,
    );
  return found;
}

function xsdText(
  expr: Extract<StatementBody, { kind: 'createXmlSchemaCollection' }>['xsd'],
  ctx: DdlContext,
) {
  const b = new Binder(ctx.env, false).value(expr);
  const value = b.k === 'const' ? b.value : evaluateConstant(b, ctx.env.ctx);
  if (value === null) throw notSupported('an XML schema collection from NULL');
  return String(convert(value, b.type, { name: 'nvarchar', length: -1 }));
}

function qualified(name: ObjectName, ctx: DdlContext) {
  const q = ctx.db.qualify(name, ctx.database);
  const database = ctx.db.catalog.requireDatabase(q.database);
  const schema = ctx.db.catalog.schema(database.name, q.schema);
  if (!schema) throw notSupported(`an XML schema collection in a schema that does not exist (${q.schema})`);
  return { database, schema: schema.name, name: q.name };
}

export async function createXmlSchemaCollection(
  s: Extract<StatementBody, { kind: 'createXmlSchemaCollection' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const { catalog } = ctx.db;
  const q = qualified(s.name, ctx);
  if (find(catalog, q.database.name, q.schema, q.name))
    throw notSupported(`a second XML schema collection named ${s.name.text}`);
  const now = new Date().toISOString();
  const collection: XmlSchemaCollection = {
    id: catalog.newObjectId(),
    schema: q.schema,
    name: q.name,
    schemas: [xsdText(s.xsd, ctx)],
    created: now,
    modified: now,
  };
  (q.database.xmlSchemaCollections ??= []).push(collection);
  catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    q.database.xmlSchemaCollections = q.database.xmlSchemaCollections?.filter((c) => c !== collection);
  };
}

export async function alterXmlSchemaCollection(
  s: Extract<StatementBody, { kind: 'alterXmlSchemaCollection' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const q = qualified(s.name, ctx);
  const collection = find(ctx.db.catalog, q.database.name, q.schema, q.name);
  if (!collection)
    throw notSupported(`ALTER of an XML schema collection that does not exist (${s.name.text})`);
  const before = { schemas: collection.schemas, modified: collection.modified };
  collection.schemas = [...collection.schemas, xsdText(s.xsd, ctx)];
  collection.modified = new Date().toISOString();
  ctx.db.catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return () => Object.assign(collection, before);
}

export async function dropXmlSchemaCollection(
  s: Extract<StatementBody, { kind: 'dropXmlSchemaCollection' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const { catalog } = ctx.db;
  const q = qualified(s.name, ctx);
  const collection = find(catalog, q.database.name, q.schema, q.name);
  if (!collection)
    throw notSupported(`DROP of an XML schema collection that does not exist (${s.name.text})`);
  const used = catalog
    .tablesOf(q.database.name)
    .some((t) => t.columns.some((c) => c.xmlCollectionId === collection.id));
  if (used) throw notSupported(`DROP of an XML schema collection that a column uses (${s.name.text})`);
  const all = q.database.xmlSchemaCollections!;
  q.database.xmlSchemaCollections = all.filter((c) => c !== collection);
  catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return () => {
    q.database.xmlSchemaCollections = all;
  };
}
