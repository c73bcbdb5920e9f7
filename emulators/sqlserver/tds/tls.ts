/**
 * TLS as SQL Server speaks it, on the server side of one connection.
 *
 * TDS 7.x: encryption is negotiated in PRELOGIN, then the TLS handshake travels inside TDS PRELOGIN
 * packets (0x12), one message of handshake records answering each of the client's, and once it is done
 * TLS records flow on the socket as they are, carrying TDS packets (MS-TDS 2.2.6.5 PRELOGIN:
 * https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/60f56408-0188-4cd5-8b90-25c6f2423868).
 * TDS 8.0 (`encrypt: 'strict'`): the TLS handshake comes first on the raw socket, before any TDS message
 * ("TDS 8.0": https://learn.microsoft.com/en-us/sql/relational-databases/security/networking/tds-8).
 *
 * The channel is a Node TLS server socket over a Duplex of its own, so the same TLS session can first be
 * wrapped in PRELOGIN packets and then run bare.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls';

/** A certificate (chain) and its private key, PEM. */
export interface TlsCredentials {
  cert: string | Buffer;
  key: string | Buffer;
}

/** PRELOGIN's B_FENCRYPTION values (MS-TDS 2.2.6.5). */
export const ENCRYPT = { OFF: 0x00, ON: 0x01, NOT_SUP: 0x02, REQ: 0x03 } as const;

/**
 * What is encrypted: everything, only the LOGIN7 message ("encrypt login packet only", a client that
 * offers ENCRYPT_OFF to a server with a certificate: "unless either the client or the server requests
 * encryption, the channel will not be encrypted beyond the login packet",
 * http://blogs.msdn.com/b/dataaccess/archive/2005/08/05/448401.aspx), or nothing; `refuse` ends the connection after the
 * answer, as MS-TDS 2.2.6.5's table does for a client that cannot encrypt meeting a server that requires it.
 */
export type Encryption = 'full' | 'login' | 'none' | 'refuse';

/**
 * The server's PRELOGIN answer to the client's ENCRYPTION option, by MS-TDS 2.2.6.5's table. Without a
 * certificate the stand-in answers ENCRYPT_NOT_SUP whatever the client asked (clients such as tedious
 * then go on unencrypted, or give up). `forceEncryption` is SQL Server's Force Encryption setting
 * ("Configure SQL Server Database Engine for encrypting connections":
 * https://learn.microsoft.com/en-us/sql/database-engine/configure-windows/configure-sql-server-encryption).
 */
export function negotiateEncryption(
  client: number,
  server: { certificate: boolean; forceEncryption: boolean },
): { answer: number; encryption: Encryption } {
  if (!server.certificate) return { answer: ENCRYPT.NOT_SUP, encryption: 'none' };
  if (client === ENCRYPT.ON || client === ENCRYPT.REQ) return { answer: ENCRYPT.ON, encryption: 'full' };
  if (server.forceEncryption) {
    return { answer: ENCRYPT.REQ, encryption: client === ENCRYPT.OFF ? 'full' : 'refuse' };
  }
  return client === ENCRYPT.OFF
    ? { answer: ENCRYPT.OFF, encryption: 'login' }
    : { answer: ENCRYPT.NOT_SUP, encryption: 'none' };
}

/** Secure contexts for both framings, made once per server. */
export interface TlsContexts {
  /**
   * TDS 7.x: TLS 1.2 at most, since SQL Server 2022 speaks TLS 1.3 only with TDS 8.0
   * (https://learn.microsoft.com/en-us/sql/relational-databases/security/networking/tds-8-and-tls-1-3).
   */
  prelogin: SecureContext;
  strict: SecureContext;
}

export function tlsContexts(credentials: TlsCredentials): TlsContexts {
  const { cert, key } = credentials;
  return {
    prelogin: createSecureContext({ cert, key, maxVersion: 'TLSv1.2' }),
    strict: createSecureContext({ cert, key }),
  };
}

export class TlsChannel {
  /** The decrypted side: TDS messages are read from and written to it once `secure` has fired. */
  readonly cleartext: TLSSocket;
  /** Records go to and come from the socket as they are (strict, or after the PRELOGIN handshake). */
  private bare: boolean;
  /** Login-only encryption is over: the socket carries plain TDS again and the channel is silent. */
  private detached = false;
  /** Handshake records waiting to leave as one PRELOGIN message. */
  private wrapped: Buffer[] = [];
  private flushScheduled = false;
  /** What TLS reads records from and writes them to: the socket, directly or through PRELOGIN packets. */
  private readonly carrier: Duplex;

  /** `sendPrelogin` writes one PRELOGIN message (packet type 0x12) on the socket. */
  constructor(
    private readonly socket: Socket,
    contexts: TlsContexts,
    framing: 'prelogin' | 'strict',
    private readonly sendPrelogin: (payload: Buffer) => void,
  ) {
    this.bare = framing === 'strict';
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const channel = this;
    this.carrier = new Duplex({
      read() {
        if (socket.isPaused()) socket.resume();
      },
      write(chunk: Buffer, _encoding, callback) {
        channel.send(chunk, callback);
      },
      final(callback) {
        if (!channel.detached) socket.end();
        callback();
      },
    });
    this.cleartext = new TLSSocket(this.carrier as unknown as Socket, {
      isServer: true,
      secureContext: framing === 'strict' ? contexts.strict : contexts.prelogin,
      // A TDS 8.0 client names the protocol by ALPN.
      ...(framing === 'strict' ? { ALPNProtocols: ['tds/8.0'] } : {}),
    });
    this.cleartext.once('secure', () => {
      // The server's last handshake flight still leaves wrapped; whatever follows is bare TLS.
      setImmediate(() => {
        this.flush();
        this.bare = true;
      });
    });
  }

  /** Whether bytes from the socket are TLS records for this channel (not TDS packets). */
  get receivesBare(): boolean {
    return this.bare && !this.detached;
  }

  /** TLS records from the socket (strict, or after the PRELOGIN handshake). */
  receive(data: Buffer): void {
    if (!this.carrier.push(data)) this.socket.pause();
  }

  /** The payload of a PRELOGIN message during the TDS 7.x handshake: TLS records. */
  handshake(payload: Buffer): void {
    this.carrier.push(payload);
  }

  /** Ends login-only encryption: the socket carries plain TDS from here on. */
  detach(): void {
    this.detached = true;
    this.cleartext.removeAllListeners('data');
  }

  destroy(): void {
    this.detached = true;
    this.cleartext.destroy();
  }

  private send(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.detached || this.socket.destroyed) return callback();
    if (this.bare) {
      this.socket.write(chunk, () => callback());
      return;
    }
    this.wrapped.push(chunk);
    callback();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Everything TLS writes in reply to one client message is one answering message.
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    if (this.wrapped.length === 0) return;
    const payload = Buffer.concat(this.wrapped);
    this.wrapped = [];
    this.sendPrelogin(payload);
  }
}
