import type { WorkerStatus } from '@temporalio/worker';
import { healthReport, probeIntervalMs, splitBindAddress } from '../../src/worker-health';

const polling: WorkerStatus = {
  runState: 'RUNNING',
  workflowPollerState: 'POLLING',
  activityPollerState: 'POLLING',
  hasOutstandingWorkflowPoll: true,
  hasOutstandingActivityPoll: true,
  numInFlightWorkflowActivations: 0,
  numInFlightActivities: 2,
  numInFlightNonLocalActivities: 2,
  numInFlightLocalActivities: 0,
  numCachedWorkflows: 1,
  numHeartbeatingActivities: 2,
};
const NOW = 1_000_000;
const reached = { reachable: true, lastContactAt: NOW - 1_500 };

describe('healthReport', () => {
  it('is healthy while the worker runs, both pollers poll and Temporal answered the last probe', () => {
    expect(healthReport(polling, reached, 'temporal:7233', NOW)).toEqual({
      healthy: true,
      body: {
        status: 'ok',
        worker: 'RUNNING',
        pollers: { workflow: 'POLLING', activity: 'POLLING' },
        temporal: { address: 'temporal:7233', reachable: true, lastContactSecondsAgo: 1.5 },
        activitiesInFlight: 2,
      },
    });
  });

  it('is unhealthy, saying why, when Temporal does not answer, a poller failed or the worker stops', () => {
    const lost = { reachable: false, lastContactAt: NOW - 12_000, lastError: 'connection refused' };
    expect(healthReport(polling, lost, 'temporal:7233', NOW)).toMatchObject({
      healthy: false,
      body: {
        status: 'unhealthy',
        temporal: { reachable: false, lastContactSecondsAgo: 12, lastError: 'connection refused' },
      },
    });
    const failedPoller = { ...polling, activityPollerState: 'FAILED' } as const;
    expect(healthReport(failedPoller, reached, 'a:1', NOW).healthy).toBe(false);
    expect(healthReport({ ...polling, runState: 'STOPPING' }, reached, 'a:1', NOW).healthy).toBe(false);
  });
});

describe('the Temporal watch and the endpoint address', () => {
  it('probes four times within the loss limit, at most every 5 s and at least every 250 ms', () => {
    expect([300, 8, 3, 0.1].map(probeIntervalMs)).toEqual([5_000, 2_000, 750, 250]);
  });

  it('splits host:port, IPv6 in brackets too', () => {
    expect(splitBindAddress('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(splitBindAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
  });
});
