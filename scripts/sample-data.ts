/**
 * The sample source database: dbo.customers and dbo.orders as a shop would have them, with the values
 * migrators get wrong (money, decimal(38,10), datetimeoffset with odd offsets, datetime2 ticks, unicode
 * beyond the BMP, quotes and newlines, empty strings beside NULLs, GUIDs, binary). Deterministic: the
 * same counts give the same rows, so tests can compare exactly. Used by the demo, tests and benchmark.
 */

export const SAMPLE_SCHEMA_SQL = `
CREATE TABLE dbo.customers (
  customer_id int IDENTITY(1,1) NOT NULL,
  customer_guid uniqueidentifier NOT NULL,
  email nvarchar(320) NOT NULL,
  full_name nvarchar(200) NOT NULL,
  country char(2) NOT NULL,
  city nvarchar(100) NULL,
  credit_limit money NULL,
  loyalty_points int NULL,
  is_active bit NOT NULL,
  signup_date date NOT NULL,
  created_at datetime2(7) NOT NULL,
  last_login datetime NULL,
  notes nvarchar(max) NULL,
  CONSTRAINT PK_customers PRIMARY KEY (customer_id)
);
GO
CREATE TABLE dbo.orders (
  order_id bigint NOT NULL PRIMARY KEY,
  customer_id int NOT NULL,
  order_number varchar(20) NOT NULL,
  ordered_at datetimeoffset(7) NOT NULL,
  shipped_on date NULL,
  delivery_window time(3) NULL,
  status nvarchar(20) NOT NULL,
  subtotal money NOT NULL,
  discount_rate decimal(5,4) NULL,
  tax decimal(38,10) NULL,
  total_weight_kg real NULL,
  fx_rate float NULL,
  comment nvarchar(400) NULL,
  tracking_code varbinary(16) NULL,
  is_gift bit NULL,
  CONSTRAINT FK_orders_customers FOREIGN KEY (customer_id) REFERENCES dbo.customers (customer_id)
);
`;

export const CUSTOMER_COLUMNS = [
  'customer_id',
  'customer_guid',
  'email',
  'full_name',
  'country',
  'city',
  'credit_limit',
  'loyalty_points',
  'is_active',
  'signup_date',
  'created_at',
  'last_login',
  'notes',
];

export const ORDER_COLUMNS = [
  'order_id',
  'customer_id',
  'order_number',
  'ordered_at',
  'shipped_on',
  'delivery_window',
  'status',
  'subtotal',
  'discount_rate',
  'tax',
  'total_weight_kg',
  'fx_rate',
  'comment',
  'tracking_code',
  'is_gift',
];

/** mulberry32: a tiny seeded PRNG, so the sample is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Zoë',
  'Łukasz',
  'Ana-María',
  'Søren',
  'Aiko',
  'José',
  'Fatima',
  'Noël',
  'Ólafur',
  'Chloé',
  'John',
  "O'Brien",
];
const LAST = ['Müller', 'Żółć', 'Núñez', 'Åberg', '山田', 'Smith', 'Dubois', 'Ivanova', 'Kowalski', 'García'];
const CITIES = [
  'Zürich',
  'Kraków',
  'São Paulo',
  'København',
  '東京',
  'Reykjavík',
  'Montréal',
  'New York',
  null,
];
const COUNTRIES = ['CH', 'PL', 'BR', 'DK', 'JP', 'IS', 'CA', 'US'];
const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'];
const OFFSETS = ['+00:00', '+05:45', '-08:00', '+09:30', '-03:30', '+14:00', '-12:00', '+01:00'];
const COMMENTS = [
  null,
  '',
  'Leave at the door, please',
  'Gift wrap "deluxe", no card',
  'Line one\nline two, with a comma',
  'Emoji beyond the BMP: 😀 🎁 𝄞',
  'Backslash \\N is text, not NULL',
  "It's fine",
  '   padded   ',
];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function guid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16))
    .join('')
    .toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function date(random: () => number, fromYear = 2015, years = 10): string {
  const day = new Date(Date.UTC(fromYear, 0, 1) + Math.floor(random() * years * 365) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

function time(random: () => number, digits: number): string {
  const fraction = digits ? `.${String(Math.floor(random() * 10 ** digits)).padStart(digits, '0')}` : '';
  return `${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}${fraction}`;
}

function money(random: () => number, max: number): string {
  return (Math.floor(random() * max * 10_000) / 10_000).toFixed(4);
}

/** A datetime value on SQL Server's 1/300 s grid, as style 121 prints it. */
function datetimeValue(random: () => number): string {
  const ticks = Math.floor(random() * 300);
  const ms = [0, 3, 7][ticks % 3]! + Math.floor(ticks / 3) * 10;
  return `${date(random, 2020, 5)} ${time(random, 0)}.${pad(ms, 3)}`;
}

export function* customerRows(count: number, seed = 1): Generator<unknown[]> {
  const random = seededRandom(seed);
  for (let id = 1; id <= count; id += 1) {
    const name = `${pick(random, FIRST)} ${pick(random, LAST)}`;
    yield [
      id,
      guid(random),
      `customer${id}@example.com`,
      name,
      pick(random, COUNTRIES),
      pick(random, CITIES),
      random() < 0.1 ? null : money(random, 50_000),
      random() < 0.2 ? null : Math.floor(random() * 100_000),
      random() < 0.8,
      date(random),
      `${date(random, 2015, 10)} ${time(random, 7)}`,
      random() < 0.3 ? null : datetimeValue(random),
      random() < 0.5
        ? null
        : random() < 0.05
          ? ''
          : `Customer note ${id}: ${pick(random, COMMENTS) ?? 'none'}`,
    ];
  }
}

export function* orderRows(count: number, customers: number, seed = 2): Generator<unknown[]> {
  const random = seededRandom(seed);
  for (let id = 1; id <= count; id += 1) {
    const tracking =
      random() < 0.3
        ? null
        : Buffer.from(
            Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256)),
          );
    const tax =
      random() < 0.2
        ? null
        : `${random() < 0.5 ? '-' : ''}${Math.floor(random() * 1e12)}.${String(Math.floor(random() * 1e10)).padStart(10, '0')}`;
    yield [
      1_000_000_000 + id,
      1 + Math.floor(random() * customers),
      `ORD-${String(id).padStart(10, '0')}`,
      `${date(random, 2018, 7)} ${time(random, 7)} ${pick(random, OFFSETS)}`,
      random() < 0.4 ? null : date(random, 2018, 7),
      random() < 0.5 ? null : time(random, 3),
      pick(random, STATUSES),
      money(random, 10_000),
      random() < 0.6 ? null : (Math.floor(random() * 10_000) / 10_000).toFixed(4),
      tax,
      random() < 0.3 ? null : Math.fround(random() * 50),
      random() < 0.3 ? null : random() * 2,
      pick(random, COMMENTS),
      tracking,
      random() < 0.5 ? null : random() < 0.5,
    ];
  }
}

/** Anything with the stand-in's bulkInsert (or a real loader with the same shape). */
export interface BulkLoader {
  exec(script: string): Promise<void>;
  bulkInsert(table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number>;
}

export async function seedSampleData(
  target: BulkLoader,
  counts: { customers: number; orders: number },
): Promise<void> {
  await target.exec(SAMPLE_SCHEMA_SQL);
  await target.bulkInsert('dbo.customers', CUSTOMER_COLUMNS, customerRows(counts.customers));
  await target.bulkInsert('dbo.orders', ORDER_COLUMNS, orderRows(counts.orders, counts.customers));
}
