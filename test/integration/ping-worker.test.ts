import { temporal } from '@temporalio/proto';
import { createWorkerInfoActivities } from '../../src/activities/worker-info';
import { pingWorker } from '../../src/workflows';
import { connectClient, uniqueTaskQueue, withWorker } from '../support/temporal';
import { loadRecordedHistories, maybeRecordHistory, replayOrThrow } from '../support/replay';

describe('pingWorker on the real Temporal dev server', () => {
  it('runs the workflow and its activity through a worker, and its history replays', async () => {
    const { client, close } = await connectClient();
    try {
      const taskQueue = uniqueTaskQueue('ping');
      const workflowId = `ping-${taskQueue}`;
      const result = await withWorker({ taskQueue, activities: createWorkerInfoActivities() }, () =>
        client.workflow.execute(pingWorker, { taskQueue, workflowId, args: ['hello'] }),
      );
      expect(result.echo).toBe('hello');
      expect(result.worker.pid).toBe(process.pid);

      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const completed = (history.events ?? []).filter(
        (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
      );
      expect(completed).toHaveLength(1);
      await expect(replayOrThrow([{ workflowId, history }])).resolves.toBe(1);
      maybeRecordHistory('ping-worker', history);
    } finally {
      await close();
    }
  });

  it('replays every recorded history in test/fixtures/histories with the current workflow code', async () => {
    const recorded = loadRecordedHistories();
    expect(recorded.length).toBeGreaterThan(0);
    await expect(replayOrThrow(recorded)).resolves.toBe(recorded.length);
  });
});
