/**
 * hierarchyid's binary form read as [MS-SSCLRT] specifies it, checked against values whose path or level
 * is published, never against this decoder's own output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hierarchyIdFromBinary } from '../../../../emulators/sqlserver/types/hierarchyid-binary';
import { describeWithSamples, SAMPLES_DIR } from '../../../support/sample-databases';

const path = (hex: string) => hierarchyIdFromBinary(Buffer.from(hex, 'hex'));
const level = (hex: string) => path(hex).match(/\//g)!.length - 1;

describe('hierarchyid binary form', () => {
  it("decodes [MS-SSCLRT] 3.2's examples and the root", () => {
    // https://learn.microsoft.com/en-us/openspecs/sql_server_protocols/ms-ssclrt/eed8aa55-6eb3-4962-acd4-633e3cfe9242
    expect(path('58')).toBe('/1/'); // 01011000
    expect(path('59FB0540')).toBe('/1/-2.18/'); // 01011001 11111011 00000101 01000000
    expect(path('')).toBe('/'); // the root: zero bytes
  });

  it('decodes published values: 0x5AC0 is /1/1/', () => {
    // SELECT CAST(0x5AC0 AS hierarchyid).ToString() returns /1/1/ (https://www.cnblogs.com/zcm123/p/5053314.html);
    // hierarchyid::Parse('/1/1/') is 0x5AC0 (same page).
    expect(path('5AC0')).toBe('/1/1/');
    // 01 10 1 by the same table as 0x58: the second child of the root.
    expect(path('68')).toBe('/2/');
  });

  it("gives AdventureWorks' HumanResources.Employee nodes their published levels, in depth-first order", () => {
    // OrgNode and OrgLevel of BusinessEntityID 1-18, as SQL Server returns them in "Microsoft SQL Server
    // 2012 Bible", HierarchyID (https://www.oreilly.com/library/view/microsoft-sql-server/9781118282175/c13_level1_1.xhtml).
    const published: [string, number][] = [
      ['', 0],
      ['58', 1],
      ['5AC0', 2],
      ['5AD6', 3],
      ['5ADA', 3],
      ['5ADE', 3],
      ['5AE1', 3],
      ['5AE158', 4],
      ['5AE168', 4],
      ['5AE178', 4],
      ['5AE3', 3],
      ['5AE358', 4],
      ['5AE368', 4],
      ['5AE5', 3],
      ['5AE7', 3],
      ['68', 1],
      ['6AC0', 2],
      ['6B40', 2],
    ];
    expect(published.map(([hex]) => level(hex))).toEqual(published.map(([, l]) => l));
    // What the decoder reads from them: one level deeper exactly where the published level grows, each
    // node under the one before it, siblings counting up, as BusinessEntityID follows depth-first order.
    expect(published.map(([hex]) => path(hex))).toEqual([
      '/',
      '/1/',
      '/1/1/',
      '/1/1/1/',
      '/1/1/2/',
      '/1/1/3/',
      '/1/1/4/',
      '/1/1/4/1/',
      '/1/1/4/2/',
      '/1/1/4/3/',
      '/1/1/5/',
      '/1/1/5/1/',
      '/1/1/5/2/',
      '/1/1/6/',
      '/1/1/7/',
      '/2/',
      '/2/1/',
      '/2/2/',
    ]);
  });

  it('refuses bits that are no encoding', () => {
    expect(() => path('FF')).toThrow(
      'The SQL Server stand-in does not support a hierarchyid binary value that is not a valid encoding (0xFF).',
    );
    expect(() => path('5800')).toThrow(/not a valid encoding \(0x5800\)/); // 8 zero bits: more than padding
  });
});

describeWithSamples("hierarchyid binary form against Microsoft's AdventureWorks data files", () => {
  const file = (name: string) =>
    gunzipSync(readFileSync(join(SAMPLES_DIR, 'adventureworks', name))).toString('utf8');

  it("gives every Employee.csv node the OrganizationLevel Microsoft's export wrote beside it", () => {
    // Fields: BusinessEntityID, NationalIDNumber, LoginID, OrganizationNode (hex), OrganizationLevel, ...
    const rows = file('Employee.csv.gz')
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((f) => f[3]);
    expect(rows).toHaveLength(289);
    expect(rows.filter((f) => level(f[3]!) !== Number(f[4]))).toEqual([]);
  });

  it('gives every Document.csv node its DocumentLevel, the root written as a lone NUL', () => {
    const rows = file('Document.csv.gz')
      .split('&|\r\n')
      .filter((r) => r)
      .map((r) => r.split('+|'));
    expect(rows).toHaveLength(12);
    expect(
      rows.map((f) => [level(f[0] === '\u0000' ? '' : f[0]!), Number(f[1])]).filter(([a, b]) => a !== b),
    ).toEqual([]);
  });
});
