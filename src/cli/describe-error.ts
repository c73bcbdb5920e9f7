/** One readable line (and a hint) for an error met by the CLI while talking to the databases. */
import { hintFor } from '../contracts/errors';
import { classifySnowflakeError } from '../snowflake/errors';
import { classifySqlServerError } from '../sqlserver/errors';

export function describeError(err: unknown, side: 'source' | 'target'): string {
  const known = side === 'source' ? classifySqlServerError(err) : classifySnowflakeError(err);
  const message = known?.message ?? (err as Error)?.message ?? String(err);
  const hint = hintFor(known?.type);
  return hint ? `${message}\n    What to do: ${hint}` : message;
}
