import { containersToUndo, dropVerdict } from '../../../src/sql/snowflake/ownership';
import {
  createDatabase,
  createdByRunComment,
  createSchema,
  createStage,
} from '../../../src/sql/snowflake/statements';

const ours = createdByRunComment('abc123');

describe('what undo may drop', () => {
  it('marks what a run creates with a comment naming the run', () => {
    expect(createDatabase('NEW_DB', 'abc123')).toBe(
      `CREATE DATABASE IF NOT EXISTS "NEW_DB" COMMENT = 'created by sqlserver-snowflake-migrator run abc123'`,
    );
    expect(createSchema('NEW_DB', 'S', 'abc123')).toMatch(
      /^CREATE SCHEMA IF NOT EXISTS "NEW_DB"\."S" COMMENT = '/,
    );
    expect(createStage('NEW_DB', 'S', 'ST', 'abc123')).toMatch(
      /^CREATE STAGE IF NOT EXISTS "NEW_DB"\."S"\."ST" COMMENT = '/,
    );
    expect(createDatabase('NEW_DB')).toBe('CREATE DATABASE IF NOT EXISTS "NEW_DB"');
  });

  it('drops only a container with this run’s comment that holds nothing else', () => {
    expect(dropVerdict({ exists: true, comment: ours, contents: [] }, 'abc123')).toEqual({ drop: true });
    expect(
      dropVerdict({ exists: true, comment: createdByRunComment('zzz999'), contents: [] }, 'abc123'),
    ).toEqual({
      drop: false,
      why: "kept: this run did not create it (its comment is 'created by sqlserver-snowflake-migrator run zzz999')",
    });
    expect(dropVerdict({ exists: true, comment: '', contents: [] }, 'abc123')).toEqual({
      drop: false,
      why: 'kept: this run did not create it (it has no comment)',
    });
    expect(dropVerdict({ exists: true, comment: ours, contents: [] }, undefined)).toEqual({
      drop: false,
      why: 'kept: the run did not mark what it created (started by an older version)',
    });
    expect(dropVerdict({ exists: false, comment: '', contents: [] }, 'abc123')).toEqual({
      drop: false,
      absent: true,
      why: 'does not exist',
    });
  });

  it('names what a container still holds, the first three and how many more', () => {
    const contents = [
      'the schema D.A',
      'the schema D.B',
      'the table D.PUBLIC.T',
      'the stage D.PUBLIC.S',
      'x',
    ];
    expect(dropVerdict({ exists: true, comment: ours, contents }, 'abc123')).toEqual({
      drop: false,
      why: 'kept: it still holds the schema D.A, the schema D.B, the table D.PUBLIC.T and 2 more',
    });
  });

  it('undoes inner containers first', () => {
    expect(containersToUndo('database')).toEqual(['stage', 'schema', 'database']);
    expect(containersToUndo('schema')).toEqual(['stage', 'schema']);
    expect(containersToUndo('stage')).toEqual(['stage']);
  });
});
