/**
 * SQL Server Browser for the stand-in: the SQL Server Resolution Protocol (MC-SQLR) over UDP, answering
 * CLNT_UCAST_EX (0x02, every instance; what tedious sends) and CLNT_UCAST_INST (0x04, one instance by
 * name) with SVR_RESP: 0x05, the data's length (USHORT, little-endian), then
 * `ServerName;<name>;InstanceName;<name>;IsClustered;No;Version;<version>;tcp;<port>;;`
 * (https://learn.microsoft.com/en-us/openspecs/windows_protocols/mc-sqlr/4eea5b65-a848-4deb-99ca-280ebd4e3dc8).
 * A request for another instance, and any other request, gets no answer, as the server "immediately
 * sends an SVR_RESP" only for a request that is "valid and understood" and an instance that is available.
 * Real servers listen on UDP 1434; a test chooses its port (tedious' instanceLookup takes one).
 */
import { createSocket, type Socket } from 'node:dgram';

export interface BrowserInstance {
  serverName: string;
  instanceName: string;
  version: string;
  tcpPort: number;
}

const CLNT_UCAST_EX = 0x02;
const CLNT_UCAST_INST = 0x04;
const SVR_RESP = 0x05;

export function browserResponse(instance: BrowserInstance): Buffer {
  const data = Buffer.from(
    `ServerName;${instance.serverName};InstanceName;${instance.instanceName};IsClustered;No;Version;${instance.version};tcp;${instance.tcpPort};;`,
    'ascii',
  );
  const header = Buffer.from([SVR_RESP, 0, 0]);
  header.writeUInt16LE(data.length, 1);
  return Buffer.concat([header, data]);
}

/** The answer to one request, or undefined for none. */
export function answerBrowserRequest(request: Buffer, instance: BrowserInstance): Buffer | undefined {
  if (request.length === 1 && request[0] === CLNT_UCAST_EX) return browserResponse(instance);
  if (request[0] === CLNT_UCAST_INST && request.length > 1) {
    const end = request.indexOf(0, 1);
    const asked = request.toString('latin1', 1, end === -1 ? request.length : end);
    if (asked.toUpperCase() === instance.instanceName.toUpperCase()) return browserResponse(instance);
  }
  return undefined;
}

export async function startBrowser(host: string, port: number, instance: BrowserInstance): Promise<Socket> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (request, from) => {
    const answer = answerBrowserRequest(request, instance);
    if (answer) socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}
