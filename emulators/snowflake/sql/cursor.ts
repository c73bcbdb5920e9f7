/** A read position over tokens, for the statements the stand-in parses itself (DDL, COPY, PUT...). */
import { syntaxErrorAt, type Token } from './lexer';
import { identifierOf, isIdentifierToken, readQualifiedName } from './identifiers';

export class Cursor {
  constructor(
    readonly tokens: Token[],
    public pos = 0,
    readonly sqlLength = 0,
  ) {}

  get done(): boolean {
    return this.pos >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw this.error();
    this.pos += 1;
    return token;
  }

  /** A syntax error at the current token (or at the end). */
  error(): Error {
    return syntaxErrorAt(this.tokens, this.pos, this.sqlLength);
  }

  isWord(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.value === value;
  }

  isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'op' && t.value === value;
  }

  /** Consumes the words if they all follow, in order. */
  accept(...words: string[]): boolean {
    if (!words.every((w, k) => this.isWord(w, k))) return false;
    this.pos += words.length;
    return true;
  }

  expect(...words: string[]): void {
    for (const w of words) {
      if (!this.isWord(w)) throw this.error();
      this.pos += 1;
    }
  }

  acceptOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.pos += 1;
    return true;
  }

  expectOp(value: string): void {
    if (!this.acceptOp(value)) throw this.error();
  }

  identifier(): string {
    const t = this.peek();
    if (!isIdentifierToken(t)) throw this.error();
    this.pos += 1;
    return identifierOf(t);
  }

  qualifiedName(): string[] {
    const name = readQualifiedName(this.tokens, this.pos);
    if (!name) throw this.error();
    this.pos = name.next;
    return name.parts;
  }

  string(): string {
    const t = this.peek();
    if (t?.kind !== 'string') throw this.error();
    this.pos += 1;
    return t.value;
  }

  /** `IF NOT EXISTS` / `IF EXISTS`. */
  acceptIfNotExists(): boolean {
    return this.accept('IF', 'NOT', 'EXISTS');
  }

  acceptIfExists(): boolean {
    return this.accept('IF', 'EXISTS');
  }

  /** Everything up to the end must have been read (a trailing `;` is allowed). */
  end(): void {
    this.acceptOp(';');
    if (!this.done) throw this.error();
  }

  /** Index of the `)` that closes the `(` at the current position. */
  matchingParen(): number {
    let depth = 0;
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k]!;
      if (t.kind === 'op' && t.value === '(') depth += 1;
      if (t.kind === 'op' && t.value === ')') {
        depth -= 1;
        if (depth === 0) return k;
      }
    }
    throw this.error();
  }
}
