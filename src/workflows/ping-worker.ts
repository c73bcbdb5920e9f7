import { proxyActivities } from '@temporalio/workflow';
import type { WorkerActivities } from '../activities/worker-info';

const { describeWorker } = proxyActivities<WorkerActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * A round trip through the task queue: proves that a worker polls it and can run activities.
 * `client check` starts it before a real run so a missing worker is reported up front.
 */
export async function pingWorker(
  message: string,
): Promise<{ echo: string; worker: Awaited<ReturnType<typeof describeWorker>> }> {
  const worker = await describeWorker();
  return { echo: message, worker };
}
