import {
  formatGuid,
  guidFromSortKey,
  guidSortKey,
  parseGuid,
} from '../../../../emulators/sqlserver/types/guid';
import { GUIDS_IN_SQL_SERVER_ORDER } from '../../../support/guid-order';

describe('uniqueidentifier', () => {
  it('keeps the wire byte order (first three groups little-endian) and prints upper case', () => {
    const bytes = parseGuid('6f9619ff-8b86-d011-b42d-00c04fc964ff')!;
    expect(bytes.toString('hex')).toBe('ff19966f868b11d0b42d00c04fc964ff');
    expect(formatGuid(bytes)).toBe('6F9619FF-8B86-D011-B42D-00C04FC964FF');
  });

  it('reads braces and, like SQL Server, ignores what follows the 36th character', () => {
    expect(formatGuid(parseGuid('{6F9619FF-8B86-D011-B42D-00C04FC964FF}')!)).toBe(
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    );
    expect(formatGuid(parseGuid('6F9619FF-8B86-D011-B42D-00C04FC964FFxyz')!)).toBe(
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    );
    expect(parseGuid('not-a-guid')).toBeUndefined();
  });

  it('sorts as SQL Server does, not as text', () => {
    const shuffled = [...GUIDS_IN_SQL_SERVER_ORDER].reverse();
    const sorted = shuffled.sort((a, b) =>
      Buffer.compare(guidSortKey(parseGuid(a)!), guidSortKey(parseGuid(b)!)),
    );
    expect(sorted).toEqual(GUIDS_IN_SQL_SERVER_ORDER);
  });

  it('turns sort keys back into the same bytes', () => {
    const bytes = parseGuid('01234567-89AB-CDEF-0123-456789ABCDEF')!;
    expect(guidFromSortKey(guidSortKey(bytes))).toEqual(bytes);
  });
});
