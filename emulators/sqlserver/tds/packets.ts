/**
 * TDS packets: the 8-byte header, messages assembled from packets up to the one marked end-of-message, and
 * responses cut into packets of the negotiated size.
 */
import type { Socket } from 'node:net';
import { BufferWriter } from './buffer-writer';

export const PACKET = {
  SQL_BATCH: 0x01,
  RPC_REQUEST: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

const STATUS_EOM = 0x01;
const STATUS_IGNORE = 0x02;
const STATUS_RESET_CONNECTION = 0x08;
const STATUS_RESET_CONNECTION_SKIP_TRAN = 0x10;
export const HEADER_LENGTH = 8;

export interface Message {
  type: number;
  payload: Buffer;
  /** The client gave up on this message while sending it; it must not be executed. */
  ignore: boolean;
  resetConnection: boolean;
}

/** Collects socket data into messages. The first byte of a TLS handshake (0x16) is reported, not parsed. */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private first: { type: number; status: number } | undefined;

  /** Feeds bytes; returns the messages they complete. */
  push(data: Buffer): Message[] {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const done: Message[] = [];
    while (this.pending.length >= HEADER_LENGTH) {
      const length = this.pending.readUInt16BE(2);
      if (length < HEADER_LENGTH) throw new Error(`invalid TDS packet length ${length}`);
      if (this.pending.length < length) break;
      const type = this.pending[0]!;
      const status = this.pending[1]!;
      this.parts.push(this.pending.subarray(HEADER_LENGTH, length));
      this.first ??= { type, status };
      this.pending = this.pending.subarray(length);
      if (status & STATUS_EOM) {
        done.push({
          type: this.first.type,
          payload: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts),
          ignore: (status & STATUS_IGNORE) !== 0,
          resetConnection:
            (this.first.status & (STATUS_RESET_CONNECTION | STATUS_RESET_CONNECTION_SKIP_TRAN)) !== 0,
        });
        this.parts = [];
        this.first = undefined;
      }
    }
    return done;
  }
}

/**
 * A response message being written: tokens go into `w`, whole packets leave as soon as they are full, and
 * `end()` sends the rest marked end-of-message.
 */
export class ResponseWriter {
  readonly w = new BufferWriter();
  private packetId = 1;

  constructor(
    private readonly socket: Socket,
    private packetSize: number,
    private readonly spid: number,
    private readonly type: number = PACKET.TABULAR_RESULT,
  ) {}

  setPacketSize(size: number): void {
    this.packetSize = size;
  }

  /** Bytes written by the socket but not yet taken by the kernel. */
  get backlog(): number {
    return this.socket.writableLength;
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  /**
   * Sends every full packet written so far. At least one byte stays behind, so that `end()` always has
   * a non-empty last packet to mark.
   */
  flushFull(): void {
    const payload = this.packetSize - HEADER_LENGTH;
    let offset = 0;
    while (this.w.pos - offset > payload) {
      this.sendPacket(this.w.buf.subarray(offset, offset + payload), false);
      offset += payload;
    }
    if (offset > 0) {
      this.w.buf.copy(this.w.buf, 0, offset, this.w.pos);
      this.w.pos -= offset;
    }
  }

  /** Sends everything written so far, not marked end-of-message: the message is being cut short. */
  sendPartial(): void {
    this.flushFull();
    if (this.w.pos > 0) this.sendPacket(this.w.buf.subarray(0, this.w.pos), false);
    this.w.pos = 0;
  }

  /** Sends everything written, the last packet marked end-of-message. */
  end(): void {
    this.flushFull();
    this.sendPacket(this.w.buf.subarray(0, this.w.pos), true);
    this.w.pos = 0;
    this.packetId = 1;
  }

  private sendPacket(body: Buffer, last: boolean): void {
    if (this.socket.destroyed) return;
    const packet = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
    packet[0] = this.type;
    packet[1] = last ? STATUS_EOM : 0;
    packet.writeUInt16BE(packet.length, 2);
    packet.writeUInt16BE(this.spid, 4);
    packet[6] = this.packetId;
    packet[7] = 0;
    body.copy(packet, HEADER_LENGTH);
    this.packetId = (this.packetId + 1) % 256;
    this.socket.write(packet);
  }
}
