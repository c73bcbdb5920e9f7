/**
 * PUT, GET, LIST and REMOVE on internal stages. PUT and GET answer with a LOCAL_FS `stageInfo`: the
 * driver itself copies the file into (or out of) the stage's folder, compressing it on the way unless
 * AUTO_COMPRESS = FALSE.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { unsupported } from '../../errors';
import { Cursor } from '../../sql/cursor';
import { foldStageName } from '../../sql/identifiers';
import { scanStageReference, tokenize, type Token } from '../../sql/lexer';
import {
  listStagedFiles,
  md5OfFile,
  namedStageFolder,
  parseStageReference,
  stagePattern,
  tableStageFolder,
  userStageFolder,
  type StageFolder,
  type StageReference,
} from '../../stages';
import { requireStage, requireTable } from '../names';
import { fixed, STATEMENT_TYPE, text, type RowsResult, type TransferResult } from '../result';
import type { Session } from '../session';

export async function stageFolder(session: Session, root: string, ref: StageReference): Promise<StageFolder> {
  if (ref.kind === 'user') return userStageFolder(root, session.identity.user);
  if (ref.kind === 'table') {
    const table = await requireTable(session, ref.name, 'COPY');
    return tableStageFolder(root, table.id, table.name);
  }
  const stage = await requireStage(session, ref.name, 'STAGE');
  return namedStageFolder(root, stage.id, stage.name);
}

/** Reads a file URI at the start of `text`: 'file://...' (a literal) or file://... up to white space. */
function readFileUri(text: string): { uri: string; rest: string } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("'")) {
    const [token] = tokenize(trimmed);
    if (token?.kind !== 'string') throw unsupported('this file URI');
    return { uri: token.value, rest: trimmed.slice(token.end) };
  }
  const end = trimmed.search(/\s|$/);
  return { uri: trimmed.slice(0, end), rest: trimmed.slice(end) };
}

function localPath(uri: string): string {
  if (!/^file:\/\//i.test(uri)) throw unsupported(`PUT and GET of ${uri} (only file:// URIs)`);
  return uri.replace(/^file:\/\//i, '');
}

/** Reads a stage reference at the start of `text`: @stage/path or '@stage/path'. */
function readStage(session: Session, text: string): { ref: StageReference; rest: string } {
  const fold = (reference: string) =>
    session.params.QUOTED_IDENTIFIERS_IGNORE_CASE ? foldStageName(reference) : reference;
  const trimmed = text.trimStart();
  if (trimmed.startsWith("'")) {
    const [token] = tokenize(trimmed);
    if (token?.kind !== 'string' || !token.value.startsWith('@')) throw unsupported('this stage reference');
    return { ref: parseStageReference(fold(token.value)), rest: trimmed.slice(token.end) };
  }
  if (!trimmed.startsWith('@')) throw unsupported('a PUT or GET without a stage (only @stage locations)');
  const end = scanStageReference(trimmed, 1);
  return { ref: parseStageReference(fold(trimmed.slice(0, end))), rest: trimmed.slice(end) };
}

type OptionValue = string | boolean | number;

/** `NAME = value` pairs, names upper case; values are strings, numbers or TRUE/FALSE. */
function readOptions(tokens: Token[]): Map<string, OptionValue> {
  const c = new Cursor(tokens);
  const options = new Map<string, OptionValue>();
  while (!c.done && !c.isOp(';')) {
    const name = c.identifier();
    c.expectOp('=');
    const t = c.next();
    const value =
      t.kind === 'number'
        ? Number(t.value)
        : t.value === 'TRUE'
          ? true
          : t.value === 'FALSE'
            ? false
            : t.value;
    options.set(name, value);
  }
  return options;
}

const bool = (options: Map<string, OptionValue>, name: string, fallback: boolean) => {
  const v = options.get(name);
  return v === undefined ? fallback : v === true || String(v).toUpperCase() === 'TRUE';
};

export async function put(
  session: Session,
  root: string,
  sql: string,
  queryId: string,
): Promise<TransferResult> {
  const file = readFileUri(sql.trimStart().slice(3));
  const stage = readStage(session, file.rest);
  const options = readOptions(tokenize(stage.rest));
  const folder = await stageFolder(session, root, stage.ref);
  const directory =
    stage.ref.path.endsWith('/') || stage.ref.path === '' ? stage.ref.path : `${stage.ref.path}/`;
  const compression = String(options.get('SOURCE_COMPRESSION') ?? 'AUTO_DETECT').toLowerCase();
  return {
    kind: 'transfer',
    data: {
      command: 'UPLOAD',
      src_locations: [localPath(file.uri)],
      autoCompress: bool(options, 'AUTO_COMPRESS', true),
      // The driver has no entry for "none" (it would throw); auto_detect treats an uncompressed file the same.
      sourceCompression: compression === 'none' ? 'auto_detect' : compression,
      overwrite: bool(options, 'OVERWRITE', false),
      parallel: Number(options.get('PARALLEL') ?? 4),
      threshold: 200 * 1024 * 1024,
      stageInfo: localStageInfo(path.join(folder.dir, directory)),
      encryptionMaterial: null,
      kind: null,
      operation: 'Node',
      queryId,
    },
  };
}

export async function get(
  session: Session,
  root: string,
  sql: string,
  queryId: string,
): Promise<TransferResult> {
  const stage = readStage(session, sql.trimStart().slice(3));
  const file = readFileUri(stage.rest);
  const options = readOptions(tokenize(file.rest));
  const folder = await stageFolder(session, root, stage.ref);
  const pattern = options.has('PATTERN') ? stagePattern(String(options.get('PATTERN'))) : undefined;
  const files = await listStagedFiles(folder, stage.ref.path, pattern);
  // Files are named from the folder the stage path points into, as GET reports them.
  const base = stage.ref.path.slice(0, stage.ref.path.lastIndexOf('/') + 1);
  return {
    kind: 'transfer',
    data: {
      command: 'DOWNLOAD',
      src_locations: files.map((f) => f.relative.slice(base.length)),
      localLocation: localPath(file.uri),
      parallel: Number(options.get('PARALLEL') ?? 10),
      stageInfo: localStageInfo(path.join(folder.dir, base)),
      encryptionMaterial: null,
      presignedUrls: [],
      kind: null,
      operation: 'Node',
      queryId,
    },
  };
}

function localStageInfo(dir: string): Record<string, unknown> {
  return {
    locationType: 'LOCAL_FS',
    location: dir.endsWith(path.sep) ? dir : dir + path.sep,
    path: '',
    region: null,
    storageAccount: null,
    isClientSideEncrypted: false,
    creds: {},
    presignedUrl: null,
    endPoint: null,
  };
}

/** LIST @stage[/path] [PATTERN = '...'] and REMOVE @stage[/path] [PATTERN = '...']. */
export async function listOrRemove(session: Session, root: string, sql: string): Promise<RowsResult> {
  const trimmed = sql.trimStart();
  const verb = /^[A-Za-z]+/.exec(trimmed)![0].toUpperCase();
  const stage = readStage(session, trimmed.slice(verb.length));
  const options = readOptions(tokenize(stage.rest));
  const folder = await stageFolder(session, root, stage.ref);
  const pattern = options.has('PATTERN') ? stagePattern(String(options.get('PATTERN'))) : undefined;
  const files = await listStagedFiles(folder, stage.ref.path, pattern);
  if (verb === 'LIST' || verb === 'LS') {
    const rows = await Promise.all(
      files.map(async (f) => [
        folder.display(f.relative),
        BigInt(f.size),
        await md5OfFile(f.absolute),
        f.modified.toUTCString(),
      ]),
    );
    return {
      kind: 'rows',
      columns: [text('name'), fixed('size'), text('md5'), text('last_modified')],
      rows,
      statementTypeId: STATEMENT_TYPE.SCL,
    };
  }
  for (const f of files) await fs.rm(f.absolute, { force: true });
  return {
    kind: 'rows',
    columns: [text('name'), text('result')],
    rows: files.map((f) => [folder.display(f.relative), 'removed']),
    statementTypeId: STATEMENT_TYPE.SCL,
  };
}
