/**
 * The worker's health, for container and systemd probes and for its own exit when Temporal is gone.
 *
 * The SDK does not stop a worker that cannot reach Temporal: its pollers retry forever and the worker
 * stays RUNNING, so a supervisor would never restart it. The watch asks Temporal (GetSystemInfo) every
 * few seconds through the worker's own connection; when no answer came for
 * worker.temporalLossExitSeconds it reports the loss once (the worker then exits with code 3).
 * GET /healthz answers 200 with a JSON status while the worker RUNs, both its pollers poll
 * (Worker.getStatus()) and Temporal answered the last probe; 503 with the same JSON otherwise.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { NativeConnection, WorkerStatus } from '@temporalio/worker';
import { unreachableReason } from './config/temporal-connection';

/** What the watch knows of Temporal. */
export interface TemporalContact {
  /** Whether the last probe was answered. */
  reachable: boolean;
  /** When Temporal last answered (or the worker connected), ms since the epoch. */
  lastContactAt: number;
  lastError?: string;
}

export interface HealthReport {
  healthy: boolean;
  body: {
    status: 'ok' | 'unhealthy';
    worker: WorkerStatus['runState'];
    pollers: { workflow: WorkerStatus['workflowPollerState']; activity: WorkerStatus['activityPollerState'] };
    temporal: { address: string; reachable: boolean; lastContactSecondsAgo: number; lastError?: string };
    activitiesInFlight: number;
  };
}

/** The probe's answer from the worker's status and the watch's contact; pure. */
export function healthReport(
  status: WorkerStatus,
  contact: TemporalContact,
  address: string,
  now: number,
): HealthReport {
  const healthy =
    status.runState === 'RUNNING' &&
    status.workflowPollerState === 'POLLING' &&
    status.activityPollerState === 'POLLING' &&
    contact.reachable;
  return {
    healthy,
    body: {
      status: healthy ? 'ok' : 'unhealthy',
      worker: status.runState,
      pollers: { workflow: status.workflowPollerState, activity: status.activityPollerState },
      temporal: {
        address,
        reachable: contact.reachable,
        lastContactSecondsAgo: Math.round((now - contact.lastContactAt) / 100) / 10,
        ...(contact.lastError ? { lastError: contact.lastError } : {}),
      },
      activitiesInFlight: status.numInFlightActivities,
    },
  };
}

/** Seconds between probes: often enough to see a loss well within the limit, at most every 5 s. */
export function probeIntervalMs(lossExitSeconds: number): number {
  return Math.min(5_000, Math.max(250, (lossExitSeconds * 1000) / 4));
}

export interface TemporalWatch {
  contact(): TemporalContact;
  stop(): void;
}

/**
 * Probes Temporal through `connection`; calls `onLost` once, with the line to log, when it has not
 * answered for `lossExitSeconds` (0: probes, never calls).
 */
export function watchTemporal(
  connection: NativeConnection,
  address: string,
  lossExitSeconds: number,
  onLost: (line: string) => void,
): TemporalWatch {
  const interval = probeIntervalMs(lossExitSeconds || 20);
  const contact: TemporalContact = { reachable: true, lastContactAt: Date.now() };
  let pendingSince: number | undefined;
  let lost = false;
  const ask = async () => {
    try {
      await connection.workflowService.getSystemInfo({});
      Object.assign(contact, { reachable: true, lastContactAt: Date.now(), lastError: undefined });
    } catch (err) {
      Object.assign(contact, { reachable: false, lastError: unreachableReason(err) });
    } finally {
      pendingSince = undefined;
    }
  };
  const tick = () => {
    const now = Date.now();
    // The SDK retries a refused call for about 10 s, whatever its deadline or abort signal: a probe
    // unanswered after one interval counts as unreachable while it goes on.
    if (pendingSince === undefined) {
      pendingSince = now;
      void ask();
    } else if (now - pendingSince >= interval) {
      contact.reachable = false;
      contact.lastError ??= `no answer within ${interval} ms`;
    }
    const silentMs = now - contact.lastContactAt;
    if (lost || lossExitSeconds <= 0 || silentMs < lossExitSeconds * 1000) return;
    lost = true;
    onLost(
      `Lost Temporal at ${address}: no answer for ${Math.round(silentMs / 1000)} s ` +
        `(worker.temporalLossExitSeconds: ${lossExitSeconds}; last error: ${contact.lastError}). ` +
        'Exiting with code 3 for the supervisor to restart the worker; its running batches are retried elsewhere.',
    );
  };
  const timer = setInterval(tick, interval);
  timer.unref();
  return { contact: () => ({ ...contact }), stop: () => clearInterval(timer) };
}

/** Splits `host:port` (`[::1]:8080` too) for node:http. */
export function splitBindAddress(bindAddress: string): { host: string; port: number } {
  const at = bindAddress.lastIndexOf(':');
  return { host: bindAddress.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(bindAddress.slice(at + 1)) };
}

/** GET /healthz (and /) with the report; anything else 404. Resolves once listening. */
export async function startHealthServer(bindAddress: string, report: () => HealthReport): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || !['/healthz', '/'].includes((req.url ?? '').split('?')[0]!)) {
      res.writeHead(404).end();
      return;
    }
    const { healthy, body } = report();
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  const { host, port } = splitBindAddress(bindAddress);
  server.listen(port, host);
  await once(server, 'listening'); // rejects with the 'error' of a port in use
  return server;
}
