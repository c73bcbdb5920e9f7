/**
 * Whether undo may drop a database, schema or stage: only one this run created and that holds nothing
 * the run did not put there, judged from what Snowflake shows at the time of the undo. Pure.
 *
 * A run cannot tell from CREATE ... IF NOT EXISTS whether it created the object, and another run or a
 * person may create it, or put things in it, between the run's analysis and its undo (two runs into two
 * schemas of one new database, started together). So the run marks what it creates with a COMMENT
 * naming it (createdByRunComment) and undo reads the comment and the contents back first.
 */
import type { TargetContainer } from '../../contracts/table';
import { createdByRunComment } from './statements';

export interface ContainerFacts {
  exists: boolean;
  /** The `comment` column of SHOW DATABASES / SCHEMAS / STAGES ('' when none). */
  comment: string;
  /** What it still holds once the run's own inner objects were dropped, e.g. `the table S.T`. */
  contents: string[];
}

export type DropVerdict = { drop: true } | { drop: false; absent?: true; why: string };

const LISTED = 3;

export function dropVerdict(facts: ContainerFacts, runTag: string | undefined): DropVerdict {
  if (!facts.exists) return { drop: false, absent: true, why: 'does not exist' };
  if (runTag === undefined)
    return { drop: false, why: 'kept: the run did not mark what it created (started by an older version)' };
  if (facts.comment !== createdByRunComment(runTag)) {
    const comment = facts.comment ? `its comment is '${facts.comment}'` : 'it has no comment';
    return { drop: false, why: `kept: this run did not create it (${comment})` };
  }
  if (facts.contents.length) {
    const more = facts.contents.length - LISTED;
    const listed = facts.contents.slice(0, LISTED).join(', ') + (more > 0 ? ` and ${more} more` : '');
    return { drop: false, why: `kept: it still holds ${listed}` };
  }
  return { drop: true };
}

/** The containers an undo of `outermost` considers, innermost first: a schema goes before its database. */
export function containersToUndo(outermost: TargetContainer): TargetContainer[] {
  const order: TargetContainer[] = ['stage', 'schema', 'database'];
  return order.slice(0, order.indexOf(outermost) + 1);
}

/**
 * Snowflake creates two schemas in every new database, INFORMATION_SCHEMA (which cannot be dropped) and an
 * empty PUBLIC; neither counts as something the database holds unless PUBLIC has objects of its own.
 * https://docs.snowflake.com/en/sql-reference/ddl-database and https://docs.snowflake.com/en/sql-reference/info-schema
 */
export const BUILT_IN_SCHEMAS = ['INFORMATION_SCHEMA', 'PUBLIC'] as const;
