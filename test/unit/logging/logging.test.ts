import { Writable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger, temporalLogger } from '../../../src/logging';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('worker logs', () => {
  it('show a failure with its type, message and stack, also when the Temporal SDK logs it', async () => {
    const { logger, lines } = capture();
    const failure = ApplicationFailure.nonRetryable('Value too long for column note', 'ValueTooLong');
    temporalLogger(logger).warn('Activity failed', { error: failure });
    logger.error({ err: new TypeError('boom') }, 'worker crashed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatchObject({
      msg: 'Activity failed',
      error: { type: 'ValueTooLong', message: 'Value too long for column note', nonRetryable: true },
    });
    expect((lines[0]!.error as { stack: string }).stack).toContain('ApplicationFailure');
    expect(lines[1]).toMatchObject({ msg: 'worker crashed', err: { type: 'TypeError', message: 'boom' } });
  });
});
