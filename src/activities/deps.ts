import type { TableLabels } from '../metrics/definitions';
import type { TargetConnection } from '../snowflake/connection';
import type { SourceConnection } from '../sqlserver/pool';
import type { TableShapes } from './table-shapes';

/** What the worker creates once and every activity shares. */
export interface ActivityDeps {
  source: SourceConnection;
  target: TargetConnection;
  shapes: TableShapes;
  /** Folder for batch files on their way to the stage. */
  workDir: string;
  /** Folder the run reports are written to. */
  reportsDir: string;
  /** Bounds the `table` label of the worker's metrics. */
  tableLabels: TableLabels;
}
