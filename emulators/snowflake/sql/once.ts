/**
 * `body` over `value` computed once per row, as a lambda's parameter. DuckDB computes a repeated
 * subexpression once only where its optimizer sees the repetition, never inside a CASE branch, and the
 * checksum query's NVL2 puts every value in one: there a TIMESTAMP_TZ value took 4× the CPU. `name`
 * must differ from the names of the lambdas `value` and `body` are nested in.
 */
export const once = (value: string, name: string, body: (ref: string) => string) =>
  `list_transform([${value}], lambda ${name}: ${body(name)})[1]`;
