/**
 * Names SQL Server knows but the stand-in does not implement. Using one is valid T-SQL, so it is refused
 * with 50000 ("does not support"), while a name SQL Server does not know either keeps SQL Server's own
 * error (195 unknown function, 137 undeclared variable, 208 unknown object, 2812 unknown procedure).
 */
const words = (text: string): Set<string> =>
  new Set(
    text
      .trim()
      .split(/\s+/)
      .map((w) => w.toLowerCase()),
  );

const FUNCTIONS = words(`
  abs acos app_name ascii asin atan atn2 avg binary_checksum cast ceiling change_tracking_is_column_in_mask
  char checksum checksum_agg
  choose col_length col_name columnproperty concat_ws connectionproperty context_info cos cot
  count_big current_request_id current_timestamp current_user cursor_status databasepropertyex
  datalength date_bucket dateadd datediff datediff_big datefromparts datename datepart
  datetime2fromparts datetimefromparts datetimeoffsetfromparts datetrunc day db_id db_name degrees
  dense_rank difference eomonth error_line error_message error_number error_procedure error_severity
  error_state exp first_value floor format formatmessage fulltextserviceproperty get_filestream_transaction_context
  getansinull getdate getutcdate greatest grouping grouping_id has_dbaccess has_perms_by_name
  host_id host_name ident_current ident_incr ident_seed identity indexkey_property indexproperty
  is_member is_rolemember is_srvrolemember isdate isjson isnull isnumeric json_modify json_object
  json_array json_query json_value lag last_value lead least left len log log10 lower ltrim max min
  month nchar newsequentialid ntile object_definition object_id object_name object_schema_name
  objectproperty objectpropertyex original_login parsename parse patindex percent_rank percentile_cont
  percentile_disc pi power quotename radians rand rank replace replicate reverse right round
  row_number rowcount_big rtrim schema_id schema_name scope_identity session_context session_user
  sessionproperty sign sin smalldatetimefromparts soundex space sqrt square stats_date stdev stdevp
  str string_agg string_escape string_split stuff substring sum suser_id suser_name suser_sid
  suser_sname switchoffset sysdatetime sysdatetimeoffset system_user sysutcdatetime tan
  timefromparts todatetimeoffset translate trim try_convert try_parse typeproperty type_id type_name
  unicode upper user_id user_name var varp xact_state year
`);

const GLOBALS = words(`
  @@connections @@cpu_busy @@cursor_rows @@dbts @@def_sortorder_id @@error @@fetch_status @@idle
  @@io_busy @@langid @@lock_timeout @@max_connections @@microsoftversion @@nestlevel @@pack_received
  @@pack_sent @@packet_errors @@procid @@remserver @@servicename @@timeticks @@total_errors
  @@total_read @@total_write
`);

const PROCEDURES = words(`
  sp_prepare sp_execute sp_prepexec sp_unprepare sp_prepexecrpc sp_cursor sp_cursoropen
  sp_cursorprepare sp_cursorexecute sp_cursorprepexec sp_cursorunprepare sp_cursorfetch
  sp_cursoroption sp_cursorclose sp_help sp_helptext sp_helpindex sp_helpdb sp_who sp_who2 sp_columns
  sp_tables sp_databases sp_describe_first_result_set sp_describe_undeclared_parameters sp_rename
  sp_getapplock sp_releaseapplock sp_set_session_context sp_spaceused sp_configure sp_lock
  sp_addextendedproperty sp_pkeys sp_fkeys sp_server_info sp_datatype_info sp_special_columns
  sp_sproc_columns sp_stored_procedures sp_statistics sp_table_privileges sp_column_privileges
  sp_flush_ct_internal_table_on_demand
`);

/** System views of the `sys` schema beyond the ones the stand-in has (dynamic management views too). */
const SYS_VIEWS = words(`
  all_columns all_objects all_views allocation_units assemblies
  configurations database_files database_principals default_constraints extended_properties
  foreign_key_columns foreign_keys fulltext_indexes identity_columns index_columns indexes
  key_constraints messages parameters partitions procedures server_principals servers sql_modules
  sql_logins stats synonyms syscolumns syscomments sysindexes syslanguages sysprocesses
  sysusers system_objects system_views table_types triggers types user_token views
`);

export const isBuiltInFunction = (name: string): boolean => FUNCTIONS.has(name.toLowerCase());
export const isGlobalVariable = (name: string): boolean => GLOBALS.has(name.toLowerCase());
export const isSystemProcedure = (name: string): boolean => PROCEDURES.has(name.toLowerCase());

export function isSystemView(schema: string, name: string): boolean {
  const s = schema.toLowerCase();
  const n = name.toLowerCase();
  return s === 'sys' && (n.startsWith('dm_') || SYS_VIEWS.has(n));
}
