/** The test harness's sqlcmd scripting variables and load deselection, as the sample-database tests use them. */
import { sqlcmdVariables, withoutLoads } from '../support/sample-databases';

describe('sqlcmdVariables', () => {
  it('drops :setvar lines and substitutes $(name) case-insensitively; a user edit replaces the value', () => {
    const script = [
      ' :setvar Path "C:\\Samples\\AdventureWorks\\"',
      ':setvar DatabaseName "AdventureWorks"',
      "IF ('$(databasename)' = '$' + '(DatabaseName)') PRINT 'not in SQLCMD mode'",
      "BULK INSERT t FROM '$(Path)a.csv'",
    ].join('\n');
    expect(sqlcmdVariables(script, { path: '/data/' })).toBe(
      [
        "IF ('AdventureWorks' = '$' + '(DatabaseName)') PRINT 'not in SQLCMD mode'",
        "BULK INSERT t FROM '/data/a.csv'",
      ].join('\n'),
    );
  });

  it('unquotes doubled quotes, clears a variable with a bare :setvar and stops at an undefined one', () => {
    expect(sqlcmdVariables(':setvar v "a ""b"""\nSELECT \'$(v)\'')).toBe('SELECT \'a "b"\'');
    expect(() => sqlcmdVariables(':setvar v 1\n:setvar v\nSELECT $(v)')).toThrow(
      "sqlcmd: 'v' scripting variable not defined.",
    );
  });
});

describe('withoutLoads', () => {
  it('removes the BULK INSERT statements of the tables named, and only those', () => {
    const script = [
      "BULK INSERT [Person].[Address] FROM 'x'\nWITH (\n    TABLOCK\n);",
      "BULK INSERT [Person].[AddressType] FROM 'y'\nWITH (TABLOCK);",
    ].join('\n');
    expect(withoutLoads(script, ['person.address'])).toBe(
      "\nBULK INSERT [Person].[AddressType] FROM 'y'\nWITH (TABLOCK);",
    );
  });
});
