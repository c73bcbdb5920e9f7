/**
 * PRELOGIN: the server's answer, whatever the client asked. The stand-in never encrypts: it answers
 * ENCRYPT_NOT_SUP, which `tedious` accepts unless told `encrypt: 'strict'`.
 */
const ENCRYPT_NOT_SUP = 0x02;

const OPTION = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
  TERMINATOR: 0xff,
};

/**
 * The answer: VERSION, ENCRYPTION, INSTOPT, THREADID and MARS. FreeTDS falls back to TDS 7.1 when MARS is
 * missing, so every option is there.
 */
export function buildPreloginResponse(version: [major: number, minor: number, build: number]): Buffer {
  const versionData = Buffer.alloc(6);
  versionData[0] = version[0];
  versionData[1] = version[1];
  versionData.writeUInt16BE(version[2], 2);
  const options: [number, Buffer][] = [
    [OPTION.VERSION, versionData],
    [OPTION.ENCRYPTION, Buffer.from([ENCRYPT_NOT_SUP])],
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
