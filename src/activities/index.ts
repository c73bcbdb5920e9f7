import { createWorkerInfoActivities } from './worker-info';

/** All activities, wired to the dependencies the worker created once (driver pools, config). */
export function createActivities() {
  return { ...createWorkerInfoActivities() };
}

export type Activities = ReturnType<typeof createActivities>;
