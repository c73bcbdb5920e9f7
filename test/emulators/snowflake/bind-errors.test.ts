/** Placeholders without bound values answer 002049 as Snowflake does, in INSERT ... VALUES as elsewhere. */
import { useEmulator } from './driver';

const target = useEmulator((client) => client.exec('CREATE TABLE WRONG_BINDS (A VARCHAR, B NUMBER)'));

describe('placeholders without values', () => {
  it.each([
    ['an empty binds array', []],
    ['no binds at all', undefined],
    ['fewer values than placeholders', ['only one']],
  ])('INSERT ... VALUES (:1, :2) with %s is 002049', async (_, binds) => {
    await expect(
      target.client.exec('INSERT INTO WRONG_BINDS VALUES (:1, :2)', binds as unknown[] | undefined),
    ).rejects.toMatchObject({ code: '002049', sqlState: '42601' });
  });

  it('a SELECT with an unset placeholder is 002049 too', async () => {
    await expect(target.client.exec('SELECT ? AS X', [])).rejects.toMatchObject({ code: '002049' });
  });

  it('more values than placeholders are ignored, as Snowflake ignores them', async () => {
    await target.client.exec('INSERT INTO WRONG_BINDS VALUES (:1, :2)', ['a', 1, 2]);
    expect(await target.client.exec('SELECT COUNT(*) AS N FROM WRONG_BINDS')).toEqual([{ N: 1 }]);
  });
});
