/** The @params argument of sp_executesql: `@k0 nvarchar(4000), @skip bigint OUTPUT`. */
import { syntaxError } from '../errors';
import { resolveType, type SqlType } from '../types/sql-type';
import { tokenize } from '../tsql/lexer';

export interface Declaration {
  name: string;
  type: SqlType;
  output: boolean;
}

export function parseDeclarations(text: string): Declaration[] {
  const tokens = tokenize(text);
  const declarations: Declaration[] = [];
  let i = 0;
  const peek = (): (typeof tokens)[number] => tokens[i]!;
  while (peek().kind !== 'eof') {
    const name = tokens[i++]!;
    if (name.kind !== 'variable') throw syntaxError(name.text);
    if (peek().kind === 'word' && peek().text.toLowerCase() === 'as') i++;
    const typeName = tokens[i++]!;
    if (typeName.kind !== 'word') throw syntaxError(typeName.text);
    const args: (number | 'max')[] = [];
    if (peek().text === '(') {
      i++;
      while (peek().text !== ')') {
        const a = tokens[i++]!;
        if (a.kind === 'eof') throw syntaxError(a.text);
        if (a.text === ',') continue;
        args.push(a.text.toLowerCase() === 'max' ? 'max' : Number(a.text));
      }
      i++;
    }
    let output = false;
    if (peek().kind === 'word' && /^(output|out)$/i.test(peek().text)) {
      output = true;
      i++;
    }
    declarations.push({ name: name.text, type: resolveType(typeName.text, args), output });
    if (peek().text === ',') i++;
    else if (peek().kind !== 'eof') throw syntaxError(peek().text);
  }
  return declarations;
}
