/**
 * The bench's reading of Temporal histories (scripts/history-profile.ts): per step, the wait for a
 * worker and the run time, from the events' own times.
 */
import { temporal } from '@temporalio/proto';
import {
  childWorkflowIds,
  historyStart,
  profileHistory,
  totalsByStep,
} from '../../../scripts/history-profile';

const { EventType } = temporal.api.enums.v1;
type Event = temporal.api.history.v1.IHistoryEvent;

const BASE = 1_700_000_000;
const at = (ms: number) => ({ seconds: BASE + Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
let nextId = 1;
/** Built as the client decodes them (int64 fields as Long). */
const event = (
  ms: number,
  eventType: temporal.api.enums.v1.EventType,
  attributes: Record<string, unknown> = {},
): Event =>
  temporal.api.history.v1.HistoryEvent.fromObject({
    eventId: nextId++,
    eventTime: at(ms),
    eventType,
    ...attributes,
  });

function history(): Event[] {
  nextId = 1;
  return [
    event(0, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
    event(0, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), // 2
    event(30, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, {
      workflowTaskStartedEventAttributes: { scheduledEventId: 2 },
    }),
    event(130, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, {
      workflowTaskCompletedEventAttributes: { scheduledEventId: 2 },
    }),
    event(130, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
      activityTaskScheduledEventAttributes: { activityType: { name: 'copyBatch' } },
    }), // 5
    event(1_150, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, {
      activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 2 },
    }),
    event(1_400, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, {
      activityTaskCompletedEventAttributes: { scheduledEventId: 5 },
    }),
    event(1_400, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, {
      startChildWorkflowExecutionInitiatedEventAttributes: { workflowType: { name: 'migrateTable' } },
    }), // 8
    event(1_420, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, {
      childWorkflowExecutionStartedEventAttributes: {
        initiatedEventId: 8,
        workflowExecution: { workflowId: 'run.t0' },
      },
    }),
    event(1_500, EventType.EVENT_TYPE_TIMER_STARTED, { timerStartedEventAttributes: { timerId: '1' } }),
    event(2_500, EventType.EVENT_TYPE_TIMER_FIRED, { timerFiredEventAttributes: { timerId: '1' } }),
    event(3_000, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, {
      childWorkflowExecutionCompletedEventAttributes: { initiatedEventId: 8 },
    }),
  ];
}

describe('profileHistory', () => {
  it('gives each step its wait for a worker and its run time, from the first event', () => {
    const events = history();
    expect(
      profileHistory('run', events, historyStart(events)).map((s) => [s.step, s.at, s.queuedMs, s.runMs]),
    ).toEqual([
      ['workflow task', 0, 30, 100],
      ['activity copyBatch (2 attempts)', 130, 1_020, 250],
      ['child migrateTable', 1_400, 20, 1_580],
      ['timer', 1_500, 0, 1_000],
    ]);
  });

  it('names the children to read next, and sums by step, the costliest first', () => {
    const events = history();
    expect(childWorkflowIds(events)).toEqual(['run.t0']);
    const steps = profileHistory('run', events, historyStart(events));
    expect(totalsByStep([...steps, ...steps]).slice(0, 2)).toEqual([
      { step: 'child migrateTable', count: 2, queuedMs: 40, runMs: 3_160 },
      { step: 'activity copyBatch (2 attempts)', count: 2, queuedMs: 2_040, runMs: 500 },
    ]);
  });
});
