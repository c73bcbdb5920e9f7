/**
 * Snowflake queries and DML to DuckDB SQL. Pure: table names resolve through `env.relation` and
 * binds through `env.bind`.
 *
 * The translator walks tokens with just enough structure to matter: set operations, WITH, the
 * clauses of a SELECT, table references in FROM/JOIN, function calls, casts. Along the way it
 *  - resolves table names (one to three parts) to the DuckDB relations that hold them,
 *  - quotes every identifier exactly (DuckDB compares identifiers case-insensitively, Snowflake does
 *    not; an identifier that matches a known column only when case is ignored is refused with 000904),
 *  - names the result columns as Snowflake does (unquoted aliases in upper case),
 *  - maps functions and casts (sql/functions.ts), refusing what it does not know.
 */
import { insertCountMismatch, invalidIdentifier, unsupported } from '../errors';
import { readType, storageType, structTag, type SnowflakeType } from '../types';
import { translateFunction, isConstantFunction, type FunctionContext } from './functions';
import { identifierOf, isIdentifierToken, quoteName, readQualifiedName, stringLiteral } from './identifiers';
import { syntaxErrorAt, type Token } from './lexer';

export interface RelationColumn {
  name: string;
  type?: SnowflakeType;
}

export interface Relation {
  /** DuckDB SQL naming the relation in FROM: a table or a parenthesized query. */
  sql: string;
  columns: RelationColumn[];
}

export interface TranslateEnv extends FunctionContext {
  /** Resolves a table name; throws when it does not exist. */
  relation(parts: string[]): Relation;
  /** SQL for the value bound at a 0-based position. */
  bind(index: number): string;
  /** SQL for a stored literal of a type (DATE '...', TIMESTAMP '...'), computed by the caller. */
  typedLiteral(type: SnowflakeType, text: string): string;
  /** False while names are only being collected (relations are not resolved yet). */
  checkIdentifiers: boolean;
}

/** Words that are SQL syntax, not names. */
const KEYWORDS = new Set(
  `ALL AND ANY AS ASC BETWEEN BY CASE CROSS DESC DISTINCT ELSE END ESCAPE EXCEPT EXISTS FALSE FIRST
   FOLLOWING FROM FULL GROUP HAVING ILIKE IN INNER INTERSECT INTERVAL INTO IS JOIN LAST LEFT LIKE LIMIT
   MINUS NATURAL NOT NULL NULLS OFFSET ON OR ORDER OUTER OVER PARTITION PRECEDING QUALIFY RANGE RIGHT ROW
   ROWS SELECT SET SOME THEN TRUE UNBOUNDED UNION USING VALUES WHEN WHERE WITH CURRENT RLIKE REGEXP
   LATERAL TABLE DEFAULT BY FOR`.split(/\s+/),
);
/** Keywords that are also function names when a parenthesis follows. */
const FUNCTION_KEYWORDS = new Set(['LEFT', 'RIGHT']);
const JOIN_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'NATURAL']);
const SET_OPERATORS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const CLAUSES = [
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'WINDOW',
];
const TYPED_LITERALS = new Set([
  'DATE',
  'TIME',
  'TIMESTAMP',
  'TIMESTAMP_NTZ',
  'TIMESTAMP_LTZ',
  'TIMESTAMP_TZ',
]);

export type MergeAction = 'INSERT' | 'UPDATE' | 'DELETE';

export interface MergeTranslation {
  /** DuckDB's MERGE, answering one row per changed row with its action. */
  sql: string;
  /** The kinds of clause the statement has: Snowflake's answer has a count column for each. */
  actions: Set<MergeAction>;
  /** A query with a row when some target row joins several source rows. */
  repeatedMatch: string;
}

export class Translator {
  private readonly match: number[];
  private readonly ctes = new Set<string>();
  /** Names a query may reference: relation columns, aliases, relation names. */
  private readonly known = new Set<string>();
  private readonly knownFolded = new Set<string>();
  /** Declared types of the columns in scope by name; null when two relations disagree. */
  private readonly columnTypes = new Map<string, SnowflakeType | null>();
  private bindCount = 0;
  /** Names a subquery gives two of its columns: see markRepeatedNames. */
  private readonly ambiguous = new Set<string>();

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly env: TranslateEnv,
  ) {
    this.match = matchParens(tokens, source.length);
  }

  private word(i: number, value?: string): boolean {
    const t = this.tokens[i];
    return t?.kind === 'word' && (value === undefined || t.value === value);
  }

  private op(i: number, value: string): boolean {
    const t = this.tokens[i];
    return t?.kind === 'op' && t.value === value;
  }

  private fail(i: number): Error {
    return syntaxErrorAt(this.tokens, i, this.source.length);
  }

  private remember(name: string): void {
    this.known.add(name);
    this.knownFolded.add(name.toUpperCase());
  }

  private rememberRelation(name: string, relation: Relation): void {
    this.remember(name);
    for (const column of relation.columns) {
      this.remember(column.name);
      const seen = this.columnTypes.get(column.name);
      const type = column.type ?? null;
      this.columnTypes.set(
        column.name,
        seen === undefined || JSON.stringify(seen) === JSON.stringify(type) ? type : null,
      );
    }
  }

  /** The declared type of an argument that is a bare column reference, when it is known. */
  private argumentType(start: number, end: number): SnowflakeType | undefined {
    const chain = readQualifiedName(this.tokens, start);
    if (!chain || chain.next !== end) return undefined;
    return this.columnTypes.get(chain.parts[chain.parts.length - 1]!) ?? undefined;
  }

  /** Refuses an identifier that only matches a known name when case is ignored. */
  private checkIdentifier(name: string): void {
    if (this.ambiguous.has(name)) throw unsupported(`a reference to ${name}, which a subquery names twice`);
    if (this.env.checkIdentifiers && !this.known.has(name) && this.knownFolded.has(name.toUpperCase()))
      throw invalidIdentifier(quoteName(name));
  }

  /** Index of the first token at paren depth 0 in [start, end) satisfying `test`, or `end`. */
  private findTop(start: number, end: number, test: (i: number) => boolean): number {
    for (let i = start; i < end; i++) {
      if (this.op(i, '(')) {
        i = this.match[i]!;
        continue;
      }
      if (test(i)) return i;
    }
    return end;
  }

  private splitTop(start: number, end: number, separator = ','): [number, number][] {
    const parts: [number, number][] = [];
    let from = start;
    for (;;) {
      const at = this.findTop(from, end, (i) => this.op(i, separator));
      parts.push([from, at]);
      if (at >= end) return parts;
      from = at + 1;
    }
  }

  private closing(open: number, end: number): number {
    const close = this.match[open];
    if (close === undefined || close >= end) throw this.fail(open);
    return close;
  }

  // ---- queries -------------------------------------------------------------------------------

  query(start: number, end: number, top: boolean): string {
    let i = start;
    const out: string[] = [];
    if (this.word(i, 'WITH')) {
      out.push('WITH');
      i += 1;
      if (this.word(i, 'RECURSIVE')) throw unsupported('WITH RECURSIVE');
      for (;;) {
        if (!isIdentifierToken(this.tokens[i])) throw this.fail(i);
        const name = identifierOf(this.tokens[i]!);
        this.ctes.add(name);
        this.remember(name);
        i += 1;
        let columns = '';
        if (this.op(i, '(')) {
          const close = this.closing(i, end);
          const names = this.splitTop(i + 1, close).map(([a, b]) => {
            if (b !== a + 1 || !isIdentifierToken(this.tokens[a])) throw this.fail(a);
            const column = identifierOf(this.tokens[a]!);
            this.remember(column);
            return quoteName(column);
          });
          columns = `(${names.join(', ')})`;
          i = close + 1;
        }
        if (!this.word(i, 'AS') || !this.op(i + 1, '(')) throw this.fail(i);
        const close = this.closing(i + 1, end);
        out.push(`${quoteName(name)}${columns} AS (${this.query(i + 2, close, false)})`);
        i = close + 1;
        if (!this.op(i, ',')) break;
        out.push(',');
        i += 1;
      }
    }
    let branchStart = i;
    let first = true;
    for (;;) {
      const setOp = this.findTop(
        branchStart,
        end,
        (k) => this.word(k) && SET_OPERATORS.has(this.tokens[k]!.value),
      );
      out.push(this.branch(branchStart, setOp, top && first));
      first = false;
      if (setOp >= end) break;
      const keyword = this.tokens[setOp]!.value;
      out.push(keyword === 'MINUS' ? 'EXCEPT' : keyword);
      branchStart = setOp + 1;
      if (this.word(branchStart, 'ALL') || this.word(branchStart, 'DISTINCT')) {
        out.push(this.tokens[branchStart]!.value);
        branchStart += 1;
      }
    }
    return out.join(' ');
  }

  private branch(start: number, end: number, top: boolean): string {
    if (this.op(start, '(') && this.match[start] === end - 1)
      return `(${this.query(start + 1, end - 1, top)})`;
    if (this.op(start, '(')) {
      // A parenthesized query followed by ORDER BY or LIMIT that apply to it.
      const close = this.closing(start, end);
      return `(${this.query(start + 1, close, top)}) ${this.expr(close + 1, end)}`;
    }
    if (!this.word(start, 'SELECT')) throw this.fail(start);
    return this.select(start, end, top);
  }

  private select(start: number, end: number, top: boolean): string {
    let i = start + 1;
    const head = ['SELECT'];
    if (this.word(i, 'DISTINCT') || this.word(i, 'ALL')) head.push(this.tokens[i++]!.value);
    if (this.word(i, 'TOP')) throw unsupported('SELECT TOP n (use LIMIT)');
    const positions = new Map<string, number>();
    this.findTop(i, end, (k) => {
      const t = this.tokens[k]!;
      if (t.kind === 'word' && CLAUSES.includes(t.value) && !positions.has(t.value))
        positions.set(t.value, k);
      return false;
    });
    const clauseStarts = [...positions.values()].sort((a, b) => a - b);
    const clauseEnd = (from: number) => clauseStarts.find((k) => k > from) ?? end;
    const listEnd = clauseStarts[0] ?? end;

    // FROM first, so the select list can be checked against the columns it brings.
    const from = positions.get('FROM');
    const fromSql = from === undefined ? '' : `FROM ${this.from(from + 1, clauseEnd(from))}`;
    const items = this.splitTop(i, listEnd).map(([a, b]) => this.selectItem(a, b, top));
    if (!top) this.markRepeatedNames(items);
    const list = items.map(({ expr, name }) => (name === undefined ? expr : `${expr} AS ${quoteName(name)}`));
    const parts = [head.join(' '), list.join(', '), fromSql];
    for (const clause of ['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET']) {
      const at = positions.get(clause);
      if (at === undefined) continue;
      const by = clause === 'GROUP' || clause === 'ORDER' ? 2 : 1;
      if (by === 2 && !this.word(at + 1, 'BY')) throw this.fail(at + 1);
      parts.push(`${clause}${by === 2 ? ' BY' : ''} ${this.expr(at + by, clauseEnd(at))}`);
    }
    if (positions.has('FETCH') || positions.has('WINDOW')) throw unsupported('FETCH and WINDOW clauses');
    return parts.filter(Boolean).join(' ');
  }

  /**
   * A subquery naming two columns alike: Snowflake keeps both names, DuckDB renames the second (KEY_1, which
   * may clash with a real KEY_1). Each repeat gets a private name instead, which the answer's column names
   * drop again (snowflakeColumnName). A reference to such a name is ambiguous: refused.
   */
  private markRepeatedNames(items: { name?: string }[]): void {
    const seen = new Map<string, number>();
    for (const item of items) {
      if (item.name === undefined) continue;
      const n = seen.get(item.name) ?? 0;
      seen.set(item.name, n + 1);
      if (n === 0) continue;
      this.ambiguous.add(item.name);
      item.name = `${item.name}${REPEAT_MARK}${n}`;
    }
  }

  /** A select-list item in DuckDB SQL, with the name it gives its column when it names one. */
  private selectItem(start: number, end: number, top: boolean): { expr: string; name?: string } {
    if (start >= end) throw this.fail(start);
    const last = this.tokens[end - 1]!;
    const prev = this.tokens[end - 2];
    let alias: string | undefined;
    let exprEnd = end;
    if (end - start >= 3 && this.word(end - 2, 'AS') && isIdentifierToken(last)) {
      alias = identifierOf(last);
      exprEnd = end - 2;
    } else if (
      end - start >= 2 &&
      isIdentifierToken(last) &&
      !(last.kind === 'word' && KEYWORDS.has(last.value)) &&
      prev !== undefined &&
      (prev.kind === 'string' ||
        prev.kind === 'number' ||
        prev.kind === 'quoted' ||
        (prev.kind === 'word' && !KEYWORDS.has(prev.value)) ||
        (prev.kind === 'op' && prev.value === ')'))
    ) {
      alias = identifierOf(last);
      exprEnd = end - 1;
    }
    if (alias !== undefined) this.remember(alias);
    const sql = this.expr(start, exprEnd);
    const star = this.op(exprEnd - 1, '*') && (exprEnd - 1 === start || this.op(exprEnd - 2, '.'));
    if (star || (!top && alias === undefined)) return { expr: sql };
    return { expr: sql, name: alias ?? this.outputName(start, exprEnd) };
  }

  /** Snowflake names an unaliased column by the column it reads, else by the expression's text. */
  private outputName(start: number, end: number): string {
    const chain = readQualifiedName(this.tokens, start);
    if (chain && chain.next === end) return chain.parts[chain.parts.length - 1]!;
    let text = '';
    for (let k = start; k < end; k++) {
      const t = this.tokens[k]!;
      if (k > start) text += this.source.slice(this.tokens[k - 1]!.end, t.start);
      text += t.kind === 'word' ? t.value : t.text;
    }
    return text;
  }

  private from(start: number, end: number): string {
    const out: string[] = [];
    let i = start;
    let expectRelation = true;
    while (i < end) {
      if (expectRelation) {
        if (this.op(i, '(')) {
          const close = this.closing(i, end);
          const inner = this.word(i + 1, 'VALUES')
            ? this.expr(i + 1, close)
            : this.query(i + 1, close, false);
          out.push(`(${inner})`);
          i = close + 1;
          i = this.relationAlias(i, end, out, undefined);
        } else if (this.word(i, 'VALUES')) {
          const values = this.valuesTable(i + 1, end);
          i = this.relationAlias(values.next, end, out, { relation: values.relation, name: 'VALUES' });
        } else if (this.isGenerator(i)) {
          const close = this.closing(i + 1, end);
          out.push(this.generator(i + 4, this.closing(i + 3, close)));
          i = this.relationAlias(close + 1, end, out, undefined);
        } else if (this.isFlatten(i)) {
          // TABLE(FLATTEN(...)) or LATERAL FLATTEN(...)
          const call = this.word(i, 'TABLE') ? i + 2 : i + 1;
          const close = this.closing(call + 1, end);
          const relation = this.flatten(call + 2, close);
          const next = this.word(i, 'TABLE') ? this.closing(i + 1, end) + 1 : close + 1;
          i = this.relationAlias(next, end, out, { relation, name: 'FLATTEN' });
        } else if (this.word(i, 'LATERAL') || this.word(i, 'TABLE')) {
          throw unsupported(`${this.tokens[i]!.value} in FROM`);
        } else {
          const name = readQualifiedName(this.tokens, i);
          if (!name) throw this.fail(i);
          const parts = name.parts;
          const relation =
            parts.length === 1 && this.ctes.has(parts[0]!)
              ? { sql: quoteName(parts[0]!), columns: [] }
              : this.env.relation(parts);
          i = this.relationAlias(name.next, end, out, { relation, name: parts[parts.length - 1]! });
        }
        expectRelation = false;
        continue;
      }
      if (this.op(i, ',')) {
        out.push(',');
        i += 1;
        expectRelation = true;
      } else if (this.word(i) && JOIN_WORDS.has(this.tokens[i]!.value)) {
        while (this.word(i) && JOIN_WORDS.has(this.tokens[i]!.value)) out.push(this.tokens[i++]!.value);
        if (out[out.length - 1] !== 'JOIN') throw this.fail(i);
        expectRelation = true;
      } else if (this.word(i, 'ON')) {
        const stop = this.findTop(
          i + 1,
          end,
          (k) => this.op(k, ',') || (this.word(k) && JOIN_WORDS.has(this.tokens[k]!.value)),
        );
        out.push('ON', this.expr(i + 1, stop));
        i = stop;
      } else if (this.word(i, 'USING') && this.op(i + 1, '(')) {
        const close = this.closing(i + 1, end);
        out.push('USING', `(${this.expr(i + 2, close)})`);
        i = close + 1;
      } else {
        throw this.fail(i);
      }
    }
    return out.join(' ');
  }

  /** `FROM VALUES (...), (...)`: a table whose columns are named COLUMN1, COLUMN2, ... as in Snowflake. */
  private valuesTable(start: number, end: number): { relation: Relation; next: number } {
    const rows: string[] = [];
    let i = start;
    for (;;) {
      if (!this.op(i, '(')) throw this.fail(i);
      const close = this.closing(i, end);
      rows.push(`(${this.expr(i + 1, close)})`);
      i = close + 1;
      if (!(this.op(i, ',') && this.op(i + 1, '('))) break;
      i += 1;
    }
    const width = this.splitTop(start + 1, this.closing(start, end)).length;
    const columns = Array.from({ length: width }, (_, k) => ({ name: `COLUMN${k + 1}` }));
    const names = columns.map((c) => quoteName(c.name)).join(', ');
    return {
      relation: { sql: `(SELECT * FROM (VALUES ${rows.join(', ')}) AS v(${names}))`, columns },
      next: i,
    };
  }

  /** `TABLE(FLATTEN(...))` or `LATERAL FLATTEN(...)`. */
  private isFlatten(i: number): boolean {
    if (this.word(i, 'LATERAL')) return this.word(i + 1, 'FLATTEN') && this.op(i + 2, '(');
    return this.word(i, 'TABLE') && this.op(i + 1, '(') && this.word(i + 2, 'FLATTEN') && this.op(i + 3, '(');
  }

  /**
   * FLATTEN([INPUT =>] expr): a row per member of the object or array, with Snowflake's columns SEQ, KEY,
   * PATH, INDEX, VALUE and THIS. Its other arguments (PATH, OUTER, RECURSIVE, MODE) and an input that
   * reads a column of another relation (lateral, where SEQ would number the input rows) are refused.
   */
  private flatten(start: number, end: number): Relation {
    const args = this.splitTop(start, end);
    if (args.length !== 1) throw unsupported('FLATTEN with arguments other than INPUT');
    const b = args[0]![1];
    let a = args[0]![0];
    if (this.op(a + 1, '=>')) {
      if (!this.word(a, 'INPUT')) throw unsupported(`FLATTEN with ${this.tokens[a]!.value}`);
      a += 2;
    }
    for (let k = a; k < b; k++) {
      const t = this.tokens[k]!;
      const call = this.op(k + 1, '(') || isConstantFunction(t.value);
      if (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.value) && !call))
        throw unsupported('FLATTEN of a column (LATERAL)');
    }
    const value = structTag({ kind: 'VARIANT' })!;
    const sql =
      `(SELECT 1 AS "SEQ", e."key" AS "KEY", e."path" AS "PATH", e."index" AS "INDEX", ` +
      `struct_pack(${value} := e."value") AS "VALUE", this AS "THIS" ` +
      `FROM (SELECT this, unnest(sf_variant_entries(this)) AS e FROM (SELECT ${this.expr(a, b)} AS this)))`;
    const variant: SnowflakeType = { kind: 'VARIANT' };
    return {
      sql,
      columns: [
        { name: 'SEQ' },
        { name: 'KEY' },
        { name: 'PATH' },
        { name: 'INDEX' },
        { name: 'VALUE', type: variant },
        { name: 'THIS' },
      ],
    };
  }

  /**
   * The path after `:` (or a `[` that follows a value): names, kept in the case written, and `[n]` or
   * `['name']` steps, as Snowflake reads `v:a.b[0]`.
   */
  private path(i: number, end: number): { path: (string | number)[]; next: number } {
    const path: (string | number)[] = [];
    const name = (k: number): string => {
      const t = this.tokens[k];
      if (k >= end || (t?.kind !== 'word' && t?.kind !== 'quoted')) throw this.fail(k);
      return t.kind === 'word' ? t.text : t.value;
    };
    if (this.op(i, ':')) {
      path.push(name(i + 1));
      i += 2;
    }
    for (;;) {
      if (this.op(i, '.')) {
        path.push(name(i + 1));
        i += 2;
      } else if (this.op(i, '[') && this.op(i + 2, ']')) {
        const t = this.tokens[i + 1]!;
        if (t.kind === 'number' && /^\d+$/.test(t.value)) path.push(Number(t.value));
        else if (t.kind === 'string') path.push(t.value);
        else throw unsupported('a computed index in a semi-structured path');
        i += 3;
      } else {
        return { path, next: i };
      }
    }
  }

  /** `TABLE(GENERATOR(...))`. */
  private isGenerator(i: number): boolean {
    return (
      this.word(i, 'TABLE') && this.op(i + 1, '(') && this.word(i + 2, 'GENERATOR') && this.op(i + 3, '(')
    );
  }

  /**
   * GENERATOR(ROWCOUNT => n): n rows for SEQ4(), RANDOM() and the like to fill. TIMELIMIT (rows for a
   * span of time) has no equivalent and is refused.
   */
  private generator(start: number, end: number): string {
    const count = this.tokens[start + 2];
    if (!this.word(start, 'ROWCOUNT') || !this.op(start + 1, '=>') || start + 3 !== end) {
      throw unsupported('GENERATOR other than GENERATOR(ROWCOUNT => <integer>)');
    }
    if (count?.kind !== 'number' || !/^\d+$/.test(count.value)) throw this.fail(start + 2);
    return `range(${count.value})`;
  }

  /** `[AS] alias` at `i`, if there is one. */
  private aliasAt(i: number, end: number): { alias: string; next: number } | undefined {
    if (this.word(i, 'AS')) {
      if (!isIdentifierToken(this.tokens[i + 1])) throw this.fail(i + 1);
      return { alias: identifierOf(this.tokens[i + 1]!), next: i + 2 };
    }
    const t = this.tokens[i];
    if (i < end && isIdentifierToken(t) && !(t!.kind === 'word' && KEYWORDS.has(t!.value)))
      return { alias: identifierOf(t!), next: i + 1 };
    return undefined;
  }

  /** Reads `[AS] alias [(columns)]`; a table without an alias is named by its last name part. */
  private relationAlias(
    i: number,
    end: number,
    out: string[],
    table: { relation: Relation; name: string } | undefined,
  ): number {
    const named = this.aliasAt(i, end);
    let alias = named?.alias;
    if (named) i = named.next;
    if (table) {
      alias ??= table.name;
      this.rememberRelation(alias, table.relation);
      out.push(`${table.relation.sql} AS ${quoteName(alias)}`);
    } else if (alias !== undefined) {
      this.remember(alias);
      out.push(`AS ${quoteName(alias)}`);
    }
    if (this.op(i, '(')) {
      const close = this.closing(i, end);
      out.push(`(${this.expr(i + 1, close)})`);
      for (let k = i + 1; k < close; k++)
        if (isIdentifierToken(this.tokens[k])) this.remember(identifierOf(this.tokens[k]!));
      i = close + 1;
    }
    return i;
  }

  // ---- DML -----------------------------------------------------------------------------------

  /** Reads the target of DELETE FROM / UPDATE at `i`: its relation, alias and the SQL naming it. */
  private target(i: number, end: number): { relation: Relation; sql: string; alias: string; next: number } {
    const name = readQualifiedName(this.tokens, i);
    if (!name) throw this.fail(i);
    const relation = this.env.relation(name.parts);
    const out: string[] = [];
    const table = { relation, name: name.parts[name.parts.length - 1]! };
    const alias = this.aliasAt(name.next, end)?.alias ?? table.name;
    const next = this.relationAlias(name.next, end, out, table);
    return { relation, sql: out.join(' '), alias, next };
  }

  /** DELETE FROM t [AS a] [USING ...] [WHERE ...] */
  delete(end: number): string {
    if (!this.word(0, 'DELETE') || !this.word(1, 'FROM')) throw this.fail(1);
    const target = this.target(2, end);
    const where = this.findTop(target.next, end, (k) => this.word(k, 'WHERE'));
    const out = [`DELETE FROM ${target.sql}`];
    if (this.word(target.next, 'USING')) out.push(`USING ${this.from(target.next + 1, where)}`);
    else if (target.next !== where) throw this.fail(target.next);
    if (where < end) out.push(`WHERE ${this.expr(where + 1, end)}`);
    return out.join(' ');
  }

  /** UPDATE t [AS a] SET c = e, ... [FROM ...] [WHERE ...]; each value becomes the column's type. */
  update(end: number): string {
    const target = this.target(1, end);
    if (!this.word(target.next, 'SET')) throw this.fail(target.next);
    const from = this.findTop(target.next, end, (k) => this.word(k, 'FROM'));
    const where = this.findTop(target.next, end, (k) => this.word(k, 'WHERE'));
    const setEnd = Math.min(from, where);
    const assignments = this.splitTop(target.next + 1, setEnd).map(([a, b]) => {
      if (!isIdentifierToken(this.tokens[a]) || !this.op(a + 1, '=')) throw this.fail(a);
      const name = identifierOf(this.tokens[a]!);
      const column = target.relation.columns.find((c) => c.name === name);
      if (this.env.checkIdentifiers && !column) throw invalidIdentifier(quoteName(name));
      const value = this.expr(a + 2, b);
      return `${quoteName(name)} = ${column?.type ? this.convert(value, column.type) : value}`;
    });
    const out = [`UPDATE ${target.sql} SET ${assignments.join(', ')}`];
    if (from < end) out.push(`FROM ${this.from(from + 1, where)}`);
    if (where < end) out.push(`WHERE ${this.expr(where + 1, end)}`);
    return out.join(' ');
  }

  /**
   * MERGE INTO t [AS a] USING source [AS b] ON cond, then WHEN MATCHED [AND cond] THEN UPDATE SET ... |
   * DELETE and WHEN NOT MATCHED [AND cond] THEN INSERT [(columns)] VALUES (...), as DuckDB's MERGE that
   * returns each row's action. Values become their column's type; columns an INSERT leaves out get
   * `defaultSql`. Also gives the query that finds a target row joined by several source rows.
   */
  merge(end: number, defaultSql: (column: RelationColumn) => string): MergeTranslation {
    if (!this.word(0, 'MERGE') || !this.word(1, 'INTO')) throw this.fail(1);
    const target = this.target(2, end);
    if (!this.word(target.next, 'USING')) throw this.fail(target.next);
    const on = this.findTop(target.next + 1, end, (k) => this.word(k, 'ON'));
    const source = this.from(target.next + 1, on);
    const firstWhen = this.findTop(on + 1, end, (k) => this.word(k, 'WHEN'));
    if (on >= end || firstWhen >= end) throw this.fail(Math.min(on, end));
    const condition = this.expr(on + 1, firstWhen);
    const columnOf = (a: number): RelationColumn => {
      if (!isIdentifierToken(this.tokens[a])) throw this.fail(a);
      const name = identifierOf(this.tokens[a]!);
      const column = target.relation.columns.find((c) => c.name === name);
      if (this.env.checkIdentifiers && !column) throw invalidIdentifier(quoteName(name));
      return column ?? { name };
    };
    const typed = (value: string, column: RelationColumn) =>
      column.type ? this.convert(value, column.type) : value;
    const clauses: string[] = [];
    const actions = new Set<MergeAction>();
    for (let i = firstWhen; i < end;) {
      const next = this.findTop(i + 1, end, (k) => this.word(k, 'WHEN'));
      const matched = this.word(i + 1, 'MATCHED');
      if (!matched && !(this.word(i + 1, 'NOT') && this.word(i + 2, 'MATCHED'))) throw this.fail(i + 1);
      const after = i + (matched ? 2 : 3);
      const then = this.findTop(after, next, (k) => this.word(k, 'THEN'));
      if (then >= next) throw this.fail(next);
      let clause = matched ? 'WHEN MATCHED' : 'WHEN NOT MATCHED';
      if (this.word(after, 'AND')) clause += ` AND ${this.expr(after + 1, then)}`;
      else if (after !== then) throw this.fail(after);
      const action = then + 1;
      if (matched && this.word(action, 'DELETE') && action + 1 === next) {
        clauses.push(`${clause} THEN DELETE`);
        actions.add('DELETE');
      } else if (matched && this.word(action, 'UPDATE') && this.word(action + 1, 'SET')) {
        const sets = this.splitTop(action + 2, next).map(([a, b]) => {
          if (!this.op(a + 1, '=')) throw this.fail(a + 1);
          const column = columnOf(a);
          return `${quoteName(column.name)} = ${typed(this.expr(a + 2, b), column)}`;
        });
        clauses.push(`${clause} THEN UPDATE SET ${sets.join(', ')}`);
        actions.add('UPDATE');
      } else if (!matched && this.word(action, 'INSERT')) {
        let k = action + 1;
        let columns = target.relation.columns;
        if (this.op(k, '(')) {
          const close = this.closing(k, next);
          columns = this.splitTop(k + 1, close).map(([a]) => columnOf(a));
          k = close + 1;
        }
        if (!this.word(k, 'VALUES') || !this.op(k + 1, '(') || this.closing(k + 1, next) + 1 !== next)
          throw this.fail(k);
        const values = this.splitTop(k + 2, this.closing(k + 1, next)).map(([a, b]) => this.expr(a, b));
        // Only the second pass knows the target's columns.
        if (this.env.checkIdentifiers && values.length !== columns.length)
          throw insertCountMismatch(columns.length, values.length);
        const all = target.relation.columns.map((c) => {
          const at = columns.findIndex((given) => given.name === c.name);
          return at < 0 ? defaultSql(c) : typed(values[at]!, c);
        });
        const names = target.relation.columns.map((c) => quoteName(c.name));
        clauses.push(`${clause} THEN INSERT (${names.join(', ')}) VALUES (${all.join(', ')})`);
        actions.add('INSERT');
      } else {
        throw unsupported(
          `MERGE clause ${this.source.slice(this.tokens[i]!.start, this.tokens[next - 1]!.end)}`,
        );
      }
      i = next;
    }
    return {
      actions,
      sql: `MERGE INTO ${target.sql} USING ${source} ON ${condition} ${clauses.join(' ')} RETURNING merge_action`,
      repeatedMatch: `SELECT 1 FROM ${target.sql} JOIN ${source} ON ${condition} GROUP BY ${quoteName(target.alias)}.rowid HAVING count(*) > 1 LIMIT 1`,
    };
  }

  // ---- expressions ---------------------------------------------------------------------------

  expr(start: number, end: number): string {
    const out: string[] = [];
    let i = start;
    while (i < end) {
      const t = this.tokens[i]!;
      if (t.kind === 'op') {
        if (t.value === '(') {
          const close = this.closing(i, end);
          const isQuery = this.word(i + 1, 'SELECT') || this.word(i + 1, 'WITH');
          out.push(`(${isQuery ? this.query(i + 1, close, false) : this.expr(i + 1, close)})`);
          i = close + 1;
        } else if (t.value === '::') {
          const operand = out.pop();
          const parsed = readType(this.tokens, i + 1, this.env.timestampMapping);
          if (operand === undefined || !parsed) throw this.fail(i + 1);
          out.push(this.convert(operand, parsed.type));
          i = parsed.next;
        } else if (t.value === '/') {
          throw unsupported('the division operator (DuckDB and Snowflake type quotients differently)');
        } else if ((t.value === ':' || t.value === '[') && this.endsValue(i - 1, start)) {
          const { path, next } = this.path(i, end);
          out.push(`sf_variant_at(${out.pop()!}, ${stringLiteral(JSON.stringify(path))})`);
          i = next;
        } else if (t.value === ':' || t.value === '[' || t.value === '->' || t.value === '=>') {
          throw unsupported(`the ${t.value} operator`);
        } else {
          out.push(t.value === '!=' ? '<>' : t.value);
          i += 1;
        }
        continue;
      }
      if (t.kind === 'string') {
        out.push(stringLiteral(t.value));
        i += 1;
      } else if (t.kind === 'number') {
        out.push(t.value);
        i += 1;
      } else if (t.kind === 'bind') {
        out.push(this.env.bind(t.value === '' ? this.bindCount++ : Number(t.value) - 1));
        i += 1;
      } else if (t.kind === 'stage') {
        throw unsupported('stage references in queries');
      } else if (
        t.kind === 'word' &&
        this.op(i + 1, '(') &&
        (!KEYWORDS.has(t.value) || FUNCTION_KEYWORDS.has(t.value))
      ) {
        const close = this.closing(i + 1, end);
        out.push(this.call(t.value, i + 2, close));
        i = close + 1;
      } else if (t.kind === 'word' && TYPED_LITERALS.has(t.value) && this.tokens[i + 1]?.kind === 'string') {
        const parsed = readType(this.tokens, i, this.env.timestampMapping)!;
        out.push(this.env.typedLiteral(parsed.type, this.tokens[i + 1]!.value));
        i += 2;
      } else if (t.kind === 'word' && isConstantFunction(t.value) && !this.op(i + 1, '.')) {
        out.push(translateFunction(t.value, [], this.env));
        i += 1;
      } else if (t.kind === 'word' && KEYWORDS.has(t.value)) {
        out.push(t.value);
        i += 1;
      } else {
        const chain = readQualifiedName(this.tokens, i)!;
        const star = this.op(chain.next, '.') && this.op(chain.next + 1, '*');
        const parts = chain.parts.slice(-2);
        if (star) {
          out.push(`${quoteName(chain.parts[chain.parts.length - 1]!)}.*`);
          i = chain.next + 2;
          continue;
        }
        for (const part of parts) this.checkIdentifier(part);
        out.push(parts.map(quoteName).join('.'));
        i = chain.next;
      }
    }
    return out.join(' ');
  }

  private call(name: string, start: number, end: number): string {
    if (name === 'CAST' || name === 'TRY_CAST') {
      if (name === 'TRY_CAST') throw unsupported('TRY_CAST');
      const as = this.findTop(start, end, (k) => this.word(k, 'AS'));
      const parsed = readType(this.tokens, as + 1, this.env.timestampMapping);
      if (as >= end || !parsed || parsed.next !== end) throw this.fail(as + 1);
      return this.convert(this.expr(start, as), parsed.type);
    }
    if (start === end) return translateFunction(name, [], this.env);
    if (name === 'COUNT' && this.op(start, '*') && end === start + 1) return 'count(*)';
    let distinct = '';
    if (this.word(start, 'DISTINCT')) {
      distinct = 'DISTINCT ';
      start += 1;
    }
    const spans = this.splitTop(start, end);
    const args = spans.map(([a, b]) => this.expr(a, b));
    const types = spans.map(([a, b]) => this.argumentType(a, b));
    const sql = translateFunction(name, args, this.env, types);
    return distinct ? sql.replace('(', `(${distinct}`) : sql;
  }

  /** Whether token `k` (not before `start`) ends a value that a path may follow: a name, `)` or `]`. */
  private endsValue(k: number, start: number): boolean {
    const t = this.tokens[k];
    if (k < start || !t) return false;
    if (t.kind === 'quoted') return true;
    if (t.kind === 'word') return !KEYWORDS.has(t.value);
    return t.kind === 'op' && (t.value === ')' || t.value === ']');
  }

  /** `value::type` and CAST(value AS type). */
  convert(sql: string, type: SnowflakeType): string {
    if (sql === 'NULL') return `CAST(NULL AS ${storageType(type)})`;
    return coercion(sql, type, this.env.context);
  }
}

/** Marks the private name of a repeated subquery column (a private-use character no name holds). */
const REPEAT_MARK = '\uE000';

/** The name Snowflake gives a result column that DuckDB names `duckName`. */
export const snowflakeColumnName = (duckName: string): string =>
  duckName.includes(REPEAT_MARK) ? duckName.slice(0, duckName.indexOf(REPEAT_MARK)) : duckName;

/** SQL that turns any value into the stored form of `type` (DuckDB's CAST for numbers, sf_* functions otherwise). */
export function coercion(sql: string, type: SnowflakeType, context: string): string {
  switch (type.kind) {
    case 'NUMBER':
      return `CAST(${sql} AS DECIMAL(${type.precision},${type.scale}))`;
    case 'FLOAT':
      return `CAST(${sql} AS DOUBLE)`;
    case 'TEXT':
      return `sf_to_text(${sql}, CAST(NULL AS VARCHAR), ${type.length}, ${context})`;
    case 'BINARY':
      return `sf_to_binary(${sql}, CAST(NULL AS VARCHAR), ${context})`;
    case 'BOOLEAN':
      return `sf_to_boolean(${sql}, ${context})`;
    case 'DATE':
      return `sf_to_date(${sql}, ${context})`;
    default:
      return `sf_to_${structTag(type)!.slice(3)}(${sql}, ${context})`;
  }
}

/** For each `(`, the index of its `)`. */
function matchParens(tokens: Token[], sqlLength: number): number[] {
  const match: number[] = [];
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'op') return;
    if (t.value === '(') stack.push(i);
    if (t.value === ')') {
      const open = stack.pop();
      if (open === undefined) throw syntaxErrorAt(tokens, i, sqlLength);
      match[open] = i;
    }
  });
  if (stack.length > 0) throw syntaxErrorAt(tokens, tokens.length, sqlLength);
  return match;
}
