import { hostname } from 'node:os';
import { version as packageVersion } from '../../package.json';

export interface WorkerDescription {
  hostname: string;
  pid: number;
  nodeVersion: string;
  migratorVersion: string;
}

export function createWorkerInfoActivities() {
  return {
    async describeWorker(): Promise<WorkerDescription> {
      return {
        hostname: hostname(),
        pid: process.pid,
        nodeVersion: process.version,
        migratorVersion: packageVersion,
      };
    },
  };
}

export type WorkerActivities = ReturnType<typeof createWorkerInfoActivities>;
