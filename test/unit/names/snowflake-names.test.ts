import { resolveIdentifier } from '../../../src/names/snowflake-names';
import { targetTableName } from '../../../src/names/target-names';

describe("Snowflake's identifier rule", () => {
  it.each([
    ['steve_mcp', 'STEVE_MCP'],
    ['Orders_v2', 'ORDERS_V2'],
    ['_x$1', '_X$1'],
    ['"Mixed"', 'Mixed'],
    ['"lower"', 'lower'],
    ['"say ""hi"""', 'say "hi"'],
    ['with space', 'with space'],
    ['Straße', 'Straße'],
    ['1abc', '1abc'],
    ['"', '"'],
  ])('%s names %s', (written, resolved) => {
    expect(resolveIdentifier(written)).toBe(resolved);
  });

  it("applies to a table entry's target, and the default stays derived from the source", () => {
    const source = { schema: 'dbo', table: 'order lines' };
    expect(targetTableName(source, 'orders_v2')).toBe('ORDERS_V2');
    expect(targetTableName(source, '"orders_v2"')).toBe('orders_v2');
    expect(targetTableName(source)).toBe('order lines');
    expect(targetTableName({ schema: 'dbo', table: 'orders' })).toBe('ORDERS');
  });
});
