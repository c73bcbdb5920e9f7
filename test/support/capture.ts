/** A writable stream that keeps what a command writes, as a test reads stdout or stderr. */
import { Writable } from 'node:stream';

export function capture(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}
