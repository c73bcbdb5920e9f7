/**
 * XML schema collections as AdventureWorks' instawdb.sql declares them, catalog-only: the collection is
 * kept and listed, a typed xml column holds xml like an untyped one (not validated against the schemas).
 * https://learn.microsoft.com/en-us/sql/t-sql/statements/create-xml-schema-collection-transact-sql
 */
import type sql from 'mssql';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { connect, failure, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
let pool: sql.ConnectionPool;

const XSD = (ns: string) =>
  `'<?xml version="1.0" encoding="UTF-8"?><xsd:schema targetNamespace="${ns}" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:element name="r" type="xsd:string" /></xsd:schema>'`;

beforeAll(async () => {
  emulator = await startEmulator();
  pool = await connect(emulator, { pool: { max: 1 } });
  await pool.request().batch('CREATE SCHEMA [Person] AUTHORIZATION [dbo];');
  await pool.request().batch(`CREATE XML SCHEMA COLLECTION [Person].[ContactInfo] AS ${XSD('urn:one')};`);
  await pool.request().batch(`ALTER XML SCHEMA COLLECTION [Person].[ContactInfo] ADD ${XSD('urn:two')};`);
});

afterAll(async () => {
  await pool?.close();
  await emulator?.close();
});

describe('XML schema collections', () => {
  it('are listed in sys.xml_schema_collections under their schema', async () => {
    expect(
      await query(
        pool,
        'SELECT x.name, s.name AS s, x.principal_id FROM sys.xml_schema_collections x JOIN sys.schemas s ON s.schema_id = x.schema_id',
      ),
    ).toEqual([{ name: 'ContactInfo', s: 'Person', principal_id: null }]);
  });

  it('type xml columns, which store and return documents as untyped xml does', async () => {
    await pool.request().batch(`CREATE TABLE [Person].[Person] (
      id int NOT NULL,
      [AdditionalContactInfo] [xml]([Person].[ContactInfo]) NULL,
      [Demographics] [xml](DOCUMENT [Person].[ContactInfo]) NULL)`);
    await pool.request().batch(`INSERT INTO [Person].[Person] VALUES (1, N'<r xmlns="urn:one">a</r>', NULL)`);
    expect(
      await query(pool, 'SELECT id, AdditionalContactInfo, Demographics FROM [Person].[Person]'),
    ).toEqual([{ id: 1, AdditionalContactInfo: '<r xmlns="urn:one">a</r>', Demographics: null }]);
    expect(
      await query(
        pool,
        "SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'Person' AND COLUMN_NAME = 'Demographics'",
      ),
    ).toEqual([{ DATA_TYPE: 'xml' }]);
  });

  it('refuse what their pages do not document: a collection that does not exist, a DROP while in use', async () => {
    const missing = await failure(pool.request().batch('CREATE TABLE dbo.t (x xml(dbo.nothing))'));
    expect([missing.number, missing.message]).toEqual([
      50000,
      'The SQL Server stand-in does not support typed xml naming an XML schema collection that does not exist (dbo.nothing).',
    ]);
    const inUse = await failure(pool.request().batch('DROP XML SCHEMA COLLECTION [Person].[ContactInfo]'));
    expect(inUse.number).toBe(50000);
    await pool
      .request()
      .batch('DROP TABLE [Person].[Person]; DROP XML SCHEMA COLLECTION [Person].[ContactInfo]');
    expect(await query(pool, 'SELECT name FROM sys.xml_schema_collections')).toEqual([]);
  });
});
