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
  /** The FEDAUTH feature extension, when the client logs in with a federated authentication token. */
  fedAuth?: FedAuthFeature;
}

/**
 * The FEDAUTH FeatureExt (FeatureId 0x02) of LOGIN7, MS-TDS 2.2.6.4
 * (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/773a62b6-ee89-4c02-9e5e-344882630aac):
 * one byte with fFedAuthEcho in bit 0 and bFedAuthLibrary in bits 1-7, then, for the security token
 * library (0x01), the token's length (DWORD) and the token (UTF-16LE).
 */
export interface FedAuthFeature {
  echo: boolean;
  /** 0x01 security token; 0x02 ADAL (the server then sends FEDAUTHINFO and the client a FEDAUTH message). */
  library: number;
  token?: string;
}

export const FEDAUTH_LIBRARY = { SECURITY_TOKEN: 0x01, ADAL: 0x02 } as const;
const FEATURE = { FEDAUTH: 0x02, TERMINATOR: 0xff } as const;
/** OptionFlags3's fExtension: ibExtension points to the offset of the FeatureExt block. */
const F_EXTENSION = 0x10;

function readFedAuth(payload: Buffer): FedAuthFeature | undefined {
  if ((payload[27]! & F_EXTENSION) === 0) return undefined;
  const pointer = payload.readUInt16LE(56);
  let at = payload.readUInt32LE(pointer);
  while (at < payload.length && payload[at] !== FEATURE.TERMINATOR) {
    const id = payload[at]!;
    const length = payload.readUInt32LE(at + 1);
    const data = payload.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if (id !== FEATURE.FEDAUTH) continue;
    const library = data[0]! >> 1;
    const feature: FedAuthFeature = { echo: (data[0]! & 1) === 1, library };
    if (library === FEDAUTH_LIBRARY.SECURITY_TOKEN) {
      const tokenLength = data.readUInt32LE(1);
      feature.token = data.toString('utf16le', 5, 5 + tokenLength);
    }
    return feature;
  }
  return undefined;
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
    fedAuth: readFedAuth(payload),
  };
}
