import { renderDiscovery, formatBytes, type TableDiscovery } from '../../../src/cli/discover';
import { renderColumns } from '../../../src/cli/fidelity-view';
import { tableFidelity } from '../../../src/mapping/fidelity';
import { columnVerdict } from '../../../src/mapping/type-map';
import { column } from '../../support/columns';

const CI = 'SQL_Latin1_General_CP1_CI_AS';
const COLLATION = `case-insensitive collation ${CI} -> case-sensitive comparisons in Snowflake`;
const FLOAT_CHECKED =
  'content check: 17 significant digits, bit-exact where Snowflake rounds them correctly and keeps the sign of -0 (undocumented; the calibration probe checks both before a run)';
const TODO =
  'Exclude the column (excludeColumns in the table entry), or convert it in a view or computed column.';

describe('columnVerdict (from the type mapping)', () => {
  it.each([
    ['int', {}, { verdict: 'exact', targetType: 'NUMBER(10,0)' }],
    [
      'decimal',
      { numericPrecision: 38, numericScale: 10 },
      { verdict: 'exact', targetType: 'NUMBER(38,10)' },
    ],
    ['datetime2', { datetimePrecision: 7 }, { verdict: 'exact', targetType: 'TIMESTAMP_NTZ(7)' }],
    [
      'varchar',
      { charMaxLength: 20, collation: 'Latin1_General_100_CS_AS' },
      { verdict: 'exact', targetType: 'VARCHAR(20)' },
    ],
    [
      'datetimeoffset',
      { datetimePrecision: 3 },
      {
        verdict: 'converted',
        targetType: 'TIMESTAMP_TZ(3)',
        how: ['datetimeoffset -> TIMESTAMP_TZ: each value keeps its instant and its UTC offset'],
      },
    ],
    [
      'uniqueidentifier',
      {},
      {
        verdict: 'converted',
        targetType: 'VARCHAR(36)',
        how: [
          "uniqueidentifier -> VARCHAR(36), SQL Server's upper-case text: sorts as text, not in SQL Server's order",
        ],
      },
    ],
    [
      'money',
      {},
      {
        verdict: 'converted',
        targetType: 'NUMBER(19,4)',
        how: ['money -> NUMBER(19,4): the same values, exact to 4 decimals'],
      },
    ],
    [
      'nchar',
      { charMaxLength: 3, collation: CI },
      {
        verdict: 'converted',
        targetType: 'VARCHAR(3)',
        how: [
          'fixed length: the spaces SQL Server pads values with are kept, and count in comparisons',
          COLLATION,
        ],
      },
    ],
    [
      'nvarchar',
      { charMaxLength: -1, collation: CI },
      {
        verdict: 'converted',
        targetType: 'VARCHAR',
        how: [COLLATION, "a value over 16 MB (Snowflake's limit) stops the run"],
      },
    ],
    ['float', {}, { verdict: 'exact', targetType: 'FLOAT', checked: FLOAT_CHECKED }],
    [
      'real',
      {},
      {
        verdict: 'converted',
        targetType: 'FLOAT',
        how: ['4-byte real -> 8-byte FLOAT: the same values, widened exactly'],
        checked: FLOAT_CHECKED,
      },
    ],
    [
      'geography',
      {},
      {
        verdict: 'converted',
        targetType: 'GEOGRAPHY',
        how: [
          'geography -> GEOGRAPHY: coordinates kept to 14 decimal places; a value with another SRID than 4326, Z or M coordinates, or circular arcs stops the run',
        ],
        checked:
          'content check: coordinates rounded to 14 decimal places, as Snowflake documents it stores them (the calibration probe checks that it rounds them to the same doubles)',
      },
    ],
    ['my_clr_type', {}, { verdict: 'refused', why: 'the migrator has no exact mapping for it', todo: TODO }],
  ] as const)('%s %j', (type, facts, verdict) => {
    expect(columnVerdict(column('c', type, facts))).toEqual(verdict);
  });
});

describe('tableFidelity and the discover text', () => {
  const metadataColumns = { isMigrated: 'IS_MIGRATED', migratedAt: 'MIGRATED_AT' };
  const columns = [
    column('id', 'int', { nullable: false, isIdentity: true }),
    column('name', 'nvarchar', { charMaxLength: 50, collation: CI }),
    column('extra', 'my_clr_type'),
    column('total', 'decimal', { numericPrecision: 9, numericScale: 2, isComputed: true }),
    column('secret', 'varbinary', { charMaxLength: 16 }),
  ];
  const fidelity = tableFidelity({
    tableName: 'dbo.parcels',
    catalog: {
      columns,
      primaryKey: ['id'],
      defaults: [
        { column: 'name', definition: "('')" },
        { column: 'secret', definition: '(0x00)' },
      ],
      identity: { column: 'id', seed: '1', increment: '1' },
    },
    declarations: {
      constraints: [
        { name: 'CK_parcels_total', type: 'CHECK' },
        { name: 'FK_parcels_owner', type: 'FOREIGN KEY' },
        { name: 'UQ_parcels_name', type: 'UNIQUE' },
        { name: 'UQ_parcels_secret', type: 'UNIQUE' },
      ],
      indexes: [{ name: 'IX_parcels_name', type: 'NONCLUSTERED', unique: false }],
    },
    uniqueKeys: [
      { name: 'UQ_parcels_name', columns: ['name'] },
      { name: 'UQ_parcels_secret', columns: ['name', 'secret'] },
    ],
    excludeColumns: ['SECRET'],
    metadataColumns,
  });

  it('gives the key, a verdict per column and what is not carried', () => {
    expect(fidelity.key).toEqual({ columns: ['id'], from: 'primary key' });
    expect(fidelity.columns.map((c) => [c.name, c.verdict])).toEqual([
      ['id', 'exact'],
      ['name', 'converted'],
      ['extra', 'refused'],
      ['total', 'exact'],
      ['secret', 'excluded'],
    ]);
    expect(fidelity.problem).toBeUndefined();
  });

  it('reports a table-level problem instead of throwing', () => {
    const wrongKey = tableFidelity({
      tableName: 'dbo.parcels',
      catalog: {
        columns,
        primaryKey: [],
        defaults: [],
        identity: { column: 'id', seed: '1', increment: '1' },
      },
      declarations: { constraints: [], indexes: [] },
      uniqueKeys: [],
      keyColumns: ['nope'],
      metadataColumns,
    });
    expect(wrongKey.key).toBeNull();
    expect(wrongKey.notCarried.find((n) => n.kind === 'identity')?.detail).toBe(
      'not created: the column is not copied',
    );
    expect(wrongKey.problem).toBe(
      'keyColumns of dbo.parcels names the column "nope", which dbo.parcels does not have.',
    );
  });

  it('renders one aligned block per table', () => {
    const discovery: TableDiscovery = {
      source: 'dbo.parcels',
      target: 'STEVE_MCP.DATA_MIGRATION.PARCELS',
      rows: 12_345,
      rowCount: 'estimate',
      size: { bytes: 1_572_864 },
      ...fidelity,
    };
    expect(renderDiscovery(discovery)).toBe(
      [
        '',
        'dbo.parcels -> STEVE_MCP.DATA_MIGRATION.PARCELS',
        '  rows  about 12,345 (catalog estimate)',
        '  size  1.5 MB',
        '  key   (id), from the primary key',
        '',
        '  column  SQL Server     Snowflake     verdict',
        '  id      int            NUMBER(10,0)  exact',
        `  name    nvarchar(50)   VARCHAR(50)   converted: ${COLLATION}`,
        '  extra   my_clr_type    -             refused: the migrator has no exact mapping for it',
        `                                         what to do: ${TODO}`,
        '  total   decimal(9,2)   NUMBER(9,2)   exact',
        '  secret  varbinary(16)  -             excluded: left out by excludeColumns',
        '  not carried to Snowflake:',
        '    primary key (id)                     declared in Snowflake, which does not enforce it',
        '    check constraint CK_parcels_total    not created in Snowflake',
        "    foreign key FK_parcels_owner         declared in Snowflake, which does not enforce it, at the run's end if the run publishes the table it references",
        '    unique constraint UQ_parcels_name    declared in Snowflake, which does not enforce it',
        '    unique constraint UQ_parcels_secret  not created in Snowflake: not all of its columns are copied',
        '    index IX_parcels_name                nonclustered: Snowflake has no indexes',
        "    default name ('')                    declared in Snowflake as DEFAULT ''",
        '    default secret (0x00)                not created: the copied values are kept, new rows get no default',
        '    identity id (seed 1, increment 1)    declared in Snowflake as DEFAULT <sequence>.NEXTVAL, continuing after the highest copied value (mode follow: the highest at cutover)',
        '    computed column total                its values are copied, not its formula',
        '',
      ].join('\n'),
    );
  });

  it('says a default exists when the login may not see its definition, rather than nothing', () => {
    const hidden = tableFidelity({
      tableName: 'dbo.parcels',
      catalog: { columns, primaryKey: ['id'], defaults: [{ column: 'name', definition: null }] },
      declarations: { constraints: [], indexes: [] },
      uniqueKeys: [],
      metadataColumns,
    });
    expect(hidden.notCarried.filter((n) => n.kind === 'default')).toEqual([
      {
        kind: 'default',
        name: 'name',
        detail: 'default not visible (VIEW DEFINITION missing); not created either way',
      },
    ]);
  });

  it('shows under a float or real column what its content check proves', () => {
    const reports = [
      { name: 'ratio', sourceType: 'float', ...columnVerdict(column('ratio', 'float')) },
      { name: 'kg', sourceType: 'real', ...columnVerdict(column('kg', 'real')) },
    ];
    expect(renderColumns(reports)).toEqual([
      '  column  SQL Server  Snowflake  verdict',
      '  ratio   float       FLOAT      exact',
      `${' '.repeat(35)}${FLOAT_CHECKED}`,
      '  kg      real        FLOAT      converted: 4-byte real -> 8-byte FLOAT: the same values, widened exactly',
      `${' '.repeat(44)}${FLOAT_CHECKED}`,
    ]);
  });

  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1536, '1.5 KB'],
    [8192 * 1000, '7.8 MB'],
    [50 * 1024 ** 3, '50 GB'],
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
