/** The QUERY_TAG of an activity's Snowflake statements: its run, its kind, and what it works on. */
import { Context } from '@temporalio/activity';
import { queryTag } from '../snowflake/session-parameters';

export function activityQueryTag(details: Record<string, string | number | undefined>): string {
  const { info } = Context.current();
  return queryTag({ run: info.workflowExecution?.workflowId, step: info.activityType, ...details });
}
