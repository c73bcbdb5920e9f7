/**
 * PRELOGIN (MS-TDS 2.2.6.5,
 * https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/60f56408-0188-4cd5-8b90-25c6f2423868):
 * the client's ENCRYPTION option, and the server's answer.
 */
import { ENCRYPT } from './tls';

const OPTION = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
  TERMINATOR: 0xff,
};

/** The client's ENCRYPTION option (ENCRYPT_NOT_SUP when it sends none, as it then cannot encrypt). */
export function clientEncryption(payload: Buffer): number {
  for (let at = 0; at + 5 <= payload.length && payload[at] !== OPTION.TERMINATOR; at += 5) {
    if (payload[at] !== OPTION.ENCRYPTION) continue;
    const offset = payload.readUInt16BE(at + 1);
    if (payload.readUInt16BE(at + 3) >= 1 && offset < payload.length) return payload[offset]!;
  }
  return ENCRYPT.NOT_SUP;
}

/**
 * The answer: VERSION, ENCRYPTION, INSTOPT, THREADID and MARS. FreeTDS falls back to TDS 7.1 when MARS is
 * missing, so every option is there.
 */
export function buildPreloginResponse(
  version: [major: number, minor: number, build: number],
  encryption: number,
): Buffer {
  const versionData = Buffer.alloc(6);
  versionData[0] = version[0];
  versionData[1] = version[1];
  versionData.writeUInt16BE(version[2], 2);
  const options: [number, Buffer][] = [
    [OPTION.VERSION, versionData],
    [OPTION.ENCRYPTION, Buffer.from([encryption])],
    [OPTION.INSTOPT, Buffer.from([0])],
    [OPTION.THREADID, Buffer.alloc(4)],
    [OPTION.MARS, Buffer.from([0])],
  ];
  const headerLength = options.length * 5 + 1;
  const out = Buffer.alloc(headerLength + options.reduce((n, [, d]) => n + d.length, 0));
  let header = 0;
  let data = headerLength;
  for (const [token, bytes] of options) {
    out[header] = token;
    out.writeUInt16BE(data, header + 1);
    out.writeUInt16BE(bytes.length, header + 3);
    bytes.copy(out, data);
    header += 5;
    data += bytes.length;
  }
  out[header] = OPTION.TERMINATOR;
  return out;
}
