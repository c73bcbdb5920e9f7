/** The installed command's name (package.json `bin`), used in the hints the CLI prints. */
export const COMMAND = 'sqlserver-snowflake-migrator';

/** A follow-up command for a run, with the connection flag the user gave (so it reaches the same server). */
export function followUp(verb: string, workflowId: string, flags: { config?: string }): string {
  return `${COMMAND} ${verb} ${workflowId}${flags.config ? ` --config ${flags.config}` : ''}`;
}
