/**
 * Where a run's wall time goes, read from Temporal histories (pure: unit-tested in
 * test/unit/history-profile.test.ts). Every history event carries the time the server recorded it
 * (https://docs.temporal.io/references/events), so for each activity: scheduled → started is the time its
 * task waited for a worker to poll it, started → completed/failed the time the worker ran it; for each
 * workflow task the same two (a workflow task is the worker replaying/advancing the workflow code);
 * timers and child workflows from their start to their end. Gaps between one step's end and the next
 * step's schedule are the workflow's own bookkeeping.
 */
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

export interface ProfileStep {
  /** Which history: the run, or a table's child. */
  workflow: string;
  /** `activity analyzeTable`, `workflow task`, `timer`, `child migrateTable`. */
  step: string;
  /** Milliseconds from the first event of the first history given. */
  at: number;
  /** Scheduled (or initiated) → started: waiting for a worker. */
  queuedMs: number;
  /** Started → closed: running. */
  runMs: number;
}

function eventMs(event: HistoryEvent): number {
  const time = event.eventTime;
  if (!time) throw new Error(`history event ${String(event.eventId)} has no time`);
  return Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}

/** The history's first event time, the origin of `at` when several histories are profiled together. */
export function historyStart(events: HistoryEvent[]): number {
  return events.length ? eventMs(events[0]!) : 0;
}

/**
 * One row per activity, workflow task, timer and child workflow of a history, in the order they were
 * scheduled. An activity retried appears once, from its schedule to its last attempt's end (`attempts`
 * in the step name when more than one).
 */
export function profileHistory(workflow: string, events: HistoryEvent[], origin: number): ProfileStep[] {
  const byId = new Map<string, HistoryEvent>();
  for (const event of events) byId.set(String(event.eventId), event);
  const open = new Map<string, { step: string; scheduled: number; started?: number }>();
  const steps: ProfileStep[] = [];
  const close = (scheduledEventId: unknown, closed: HistoryEvent) => {
    const key = String(scheduledEventId);
    const entry = open.get(key);
    if (!entry) return;
    open.delete(key);
    const started = entry.started ?? entry.scheduled;
    steps.push({
      workflow,
      step: entry.step,
      at: entry.scheduled - origin,
      queuedMs: started - entry.scheduled,
      runMs: eventMs(closed) - started,
    });
  };
  const start = (scheduledEventId: unknown, started: HistoryEvent) => {
    const entry = open.get(String(scheduledEventId));
    if (entry) entry.started = eventMs(started);
  };
  for (const event of events) {
    const id = String(event.eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        open.set(id, { step: 'workflow task', scheduled: eventMs(event) });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        start(event.workflowTaskStartedEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        close(event.workflowTaskCompletedEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        close(event.workflowTaskFailedEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        close(event.workflowTaskTimedOutEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        open.set(id, {
          step: `activity ${event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?'}`,
          scheduled: eventMs(event),
        });
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attributes = event.activityTaskStartedEventAttributes;
        start(attributes?.scheduledEventId, event);
        const entry = open.get(String(attributes?.scheduledEventId));
        if (entry && (attributes?.attempt ?? 1) > 1) entry.step += ` (${attributes!.attempt} attempts)`;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        close(event.activityTaskCompletedEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        close(event.activityTaskFailedEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        close(event.activityTaskTimedOutEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        close(event.activityTaskCanceledEventAttributes?.scheduledEventId, event);
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED:
        open.set(`timer ${event.timerStartedEventAttributes?.timerId}`, {
          step: 'timer',
          scheduled: eventMs(event),
        });
        break;
      case EventType.EVENT_TYPE_TIMER_FIRED:
        close(`timer ${event.timerFiredEventAttributes?.timerId}`, event);
        break;
      case EventType.EVENT_TYPE_TIMER_CANCELED:
        close(`timer ${event.timerCanceledEventAttributes?.timerId}`, event);
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        open.set(id, {
          step: `child ${event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? '?'}`,
          scheduled: eventMs(event),
        });
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
        start(event.childWorkflowExecutionStartedEventAttributes?.initiatedEventId, event);
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
        close(event.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId, event);
        break;
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
        close(event.childWorkflowExecutionFailedEventAttributes?.initiatedEventId, event);
        break;
    }
  }
  return steps.sort((a, b) => a.at - b.at);
}

/** The child workflows a history started: their ids, to fetch their histories in turn. */
export function childWorkflowIds(events: HistoryEvent[]): string[] {
  return events.flatMap((event) => {
    const id = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    return id ? [id] : [];
  });
}

/** Totals by step name (activity type, workflow task, timer): count, queued ms, running ms. */
export function totalsByStep(
  steps: ProfileStep[],
): { step: string; count: number; queuedMs: number; runMs: number }[] {
  const totals = new Map<string, { step: string; count: number; queuedMs: number; runMs: number }>();
  for (const s of steps) {
    const total = totals.get(s.step) ?? { step: s.step, count: 0, queuedMs: 0, runMs: 0 };
    total.count += 1;
    total.queuedMs += s.queuedMs;
    total.runMs += s.runMs;
    totals.set(s.step, total);
  }
  return [...totals.values()].sort((a, b) => b.queuedMs + b.runMs - (a.queuedMs + a.runMs));
}
