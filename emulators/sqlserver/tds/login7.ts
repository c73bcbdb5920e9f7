/** LOGIN7: the fields of the fixed part and the strings it points to (MS-TDS 2.2.6.4). */

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  language: string;
  database: string;
  /** Integrated (SSPI) authentication was requested. */
  integratedSecurity: boolean;
}

function readString(payload: Buffer, fieldOffset: number): string {
  const offset = payload.readUInt16LE(fieldOffset);
  const chars = payload.readUInt16LE(fieldOffset + 2);
  return payload.toString('utf16le', offset, offset + chars * 2);
}

/** The password travels with each byte's nibbles swapped and XORed with 0xA5. */
export function decodePassword(bytes: Buffer): string {
  const plain = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! ^ 0xa5;
    plain[i] = ((b << 4) | (b >> 4)) & 0xff;
  }
  return plain.toString('utf16le');
}

export function parseLogin7(payload: Buffer): Login7 {
  const passwordOffset = payload.readUInt16LE(44);
  const passwordChars = payload.readUInt16LE(46);
  return {
    tdsVersion: payload.readUInt32LE(4),
    packetSize: payload.readUInt32LE(8),
    integratedSecurity: (payload[25]! & 0x80) !== 0,
    hostName: readString(payload, 36),
    userName: readString(payload, 40),
    password: decodePassword(payload.subarray(passwordOffset, passwordOffset + passwordChars * 2)),
    appName: readString(payload, 48),
    serverName: readString(payload, 52),
    libraryName: readString(payload, 60),
    language: readString(payload, 64),
    database: readString(payload, 68),
  };
}
