/**
 * A table's `filter` is T-SQL text the migrator places inside `WHERE (...)`. It is checked here, before
 * anything is sent, to be exactly one predicate: it must stay inside those parentheses (no unbalanced
 * `)` that would close them), contain no statement separator, comment or batch separator, and name no
 * statement that could write, execute or reach another server. Pure: a small lexer, no driver.
 *
 * Parameterising the filter would not help (it is SQL, not a value); this check is what keeps every
 * query the migrator sends a single read.
 */

/**
 * Words that begin or belong to statements other than a read, or reach outside the query: none of them
 * has a place in a row predicate. `SELECT` is allowed for subqueries (`id IN (SELECT ...)`), which only
 * read; `INTO` (SELECT ... INTO creates a table) and `NEXT` (NEXT VALUE FOR advances a sequence) are not.
 */
const FORBIDDEN_WORDS = new Set([
  'ADD',
  'ALTER',
  'BACKUP',
  'BEGIN',
  'BULK',
  'CHECKPOINT',
  'COMMIT',
  'CREATE',
  'DBCC',
  'DEALLOCATE',
  'DECLARE',
  'DELETE',
  'DENY',
  'DISABLE',
  'DROP',
  'ENABLE',
  'END',
  'EXEC',
  'EXECUTE',
  'FETCH',
  'GO',
  'GOTO',
  'GRANT',
  'INSERT',
  'INTO',
  'KILL',
  'MERGE',
  'NEXT',
  'OPEN',
  'OPENDATASOURCE',
  'OPENQUERY',
  'OPENROWSET',
  'OPENXML',
  'PRINT',
  'RAISERROR',
  'READTEXT',
  'RECONFIGURE',
  'RESTORE',
  'RETURN',
  'REVERT',
  'REVOKE',
  'ROLLBACK',
  'SAVE',
  'SET',
  'SETUSER',
  'SHUTDOWN',
  'THROW',
  'TRUNCATE',
  'UPDATE',
  'UPDATETEXT',
  'USE',
  'WAITFOR',
  'WHILE',
  'WRITETEXT',
]);

/** What is wrong with a filter (for the message), or undefined when it is one predicate. */
export function filterProblem(filter: string): string | undefined {
  if (filter.trim() === '') return 'it is empty';
  const opens: number[] = [];
  let i = 0;
  const at = (position: number) => `at character ${position + 1}`;
  while (i < filter.length) {
    const c = filter[i]!;
    const next = filter[i + 1];
    if (c === "'" || ((c === 'N' || c === 'n') && next === "'")) {
      const start = i;
      i = skipQuoted(filter, c === "'" ? i : i + 1, "'");
      if (i < 0) return `the string literal ${at(start)} is not closed`;
    } else if (c === '[' || c === '"') {
      const start = i;
      i = skipQuoted(filter, i, c === '[' ? ']' : '"');
      if (i < 0) return `the quoted name ${at(start)} is not closed`;
    } else if (c === ']') {
      return `the "]" ${at(i)} closes no quoted name`;
    } else if (c === ';') {
      return `it contains a statement separator ";" ${at(i)}`;
    } else if (c === '-' && next === '-') {
      return `it contains a comment "--" ${at(i)}`;
    } else if ((c === '/' && next === '*') || (c === '*' && next === '/')) {
      return `it contains a comment "${c}${next}" ${at(i)}`;
    } else if (c === '(') {
      opens.push(i);
      i += 1;
    } else if (c === ')') {
      if (opens.pop() === undefined) return `the ")" ${at(i)} closes a parenthesis the filter did not open`;
      i += 1;
    } else if (/[\p{L}_@#]/u.test(c)) {
      const word = /^[\p{L}_@#][\p{L}\p{N}_@#$]*/u.exec(filter.slice(i))![0];
      if (FORBIDDEN_WORDS.has(word.toUpperCase()))
        return `it contains the keyword ${word.toUpperCase()} ${at(i)}: a filter is a condition on the table's rows, not a statement`;
      i += word.length;
    } else {
      i += 1;
    }
  }
  if (opens.length) return `the "(" ${at(opens[opens.length - 1]!)} is not closed`;
  return undefined;
}

/** Index just past the closing quote of the quoted text opening at `start` (doubled closers escape), or -1. */
function skipQuoted(text: string, start: number, close: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === close) {
      if (text[i + 1] !== close) return i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return -1;
}

/** The whole message for a filter that is not one predicate (naming the table), or undefined. */
export function invalidFilterMessage(table: string, filter: string): string | undefined {
  const problem = filterProblem(filter);
  return problem && `the filter of ${table} is not a single T-SQL condition: ${problem}`;
}
