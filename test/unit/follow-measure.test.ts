import { secondsBehindWriter, windowFigures, writerRange } from '../../scripts/follow-measure';

describe('writerRange', () => {
  it('walks the keys in order, distinct from one tick to the next, and starts over at the first key', () => {
    expect([0, 1, 2, 3, 4].map((tick) => writerRange(tick, 100, 350))).toEqual([
      [1, 100],
      [101, 200],
      [201, 300],
      [1, 100],
      [101, 200],
    ]);
  });

  it('changes every key each tick when a tick asks for more keys than the table has', () => {
    expect(writerRange(5, 500, 200)).toEqual([1, 200]);
  });
});

describe('secondsBehindWriter', () => {
  const writes = [
    { at: 1_000, version: 10n },
    { at: 2_000, version: 11n },
    { at: 3_500, version: 12n },
  ];

  it('counts from the commit of the oldest write the target has not applied', () => {
    expect(secondsBehindWriter(writes, 10n, 5_000)).toBe(3);
    expect(secondsBehindWriter(writes, 9n, 5_000)).toBe(4);
  });

  it('is 0 once every write is applied', () => {
    expect(secondsBehindWriter(writes, 12n, 5_000)).toBe(0);
  });
});

describe('windowFigures', () => {
  it('gives the applied rate over the window, and the mean and worst of both lags', () => {
    const writes = [
      { at: 0, version: 1n },
      { at: 1_000, version: 2n },
      { at: 2_000, version: 3n },
    ];
    const figures = windowFigures(
      [
        { at: 2_000, changesApplied: 100, appliedVersion: 1n, lastRoundFrom: 1_000 },
        { at: 4_000, changesApplied: 1_100, appliedVersion: 3n, lastRoundFrom: 3_000 },
        { at: 6_000, changesApplied: 2_100, appliedVersion: 3n },
      ],
      writes,
    );
    expect(figures).toEqual({
      appliedPerSecond: 500,
      // The sample without a finished round's start does not count for the run's own lag.
      reportedLag: { mean: 1, max: 1 },
      // At 2 s, 1 s behind the write of 1 s (version 2, not applied yet); then nothing is pending.
      writerLag: { mean: 1 / 3, max: 1 },
    });
  });

  it('refuses a window of one sample', () => {
    expect(() => windowFigures([{ at: 0, changesApplied: 0, appliedVersion: 0n }], [])).toThrow(
      'a window needs two samples at least',
    );
  });
});
