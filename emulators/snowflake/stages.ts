/**
 * Internal stages as folders on the local disk (the driver's LOCAL_FS transfer path copies files into
 * them for PUT and out of them for GET). Named stages live under `named/<id>`, the user stage `@~`
 * under `user/<hex of the user name>`, table stages `@%t` under `table/<id>`; inside, a file's path is
 * its path in the stage.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { unsupported } from './errors';
import { tokenize } from './sql/lexer';
import { readQualifiedName, stageNameEnd as nameEnd } from './sql/identifiers';

export type StageReference =
  | { kind: 'user'; path: string }
  | { kind: 'table'; name: string[]; path: string }
  | { kind: 'named'; name: string[]; path: string };

/** Reads `@~/p`, `@%t/p`, `@db.sch.%t/p`, `@db.sch.stage/p` (name parts may be quoted). */
export function parseStageReference(text: string): StageReference {
  const body = text.startsWith('@') ? text.slice(1) : text;
  if (body === '~' || body.startsWith('~/')) return { kind: 'user', path: cleanPath(body.slice(2)) };
  const slash = nameEnd(body);
  // A table stage marks its table's name with `%`, after the database and schema when they are given.
  const marked = /^((?:[^%./]+\.|"[^"]*"\.)*)%/.exec(body.slice(0, slash));
  const table = marked !== null;
  const nameText = marked ? marked[1]! + body.slice(marked[0].length, slash) : body.slice(0, slash);
  const tokens = tokenize(nameText);
  const name = readQualifiedName(tokens, 0);
  if (!name || name.next !== tokens.length) throw unsupported(`stage reference ${text}`);
  const stagePath = cleanPath(body.slice(slash + 1));
  return table
    ? { kind: 'table', name: name.parts, path: stagePath }
    : { kind: 'named', name: name.parts, path: stagePath };
}

/** A path inside a stage: forward slashes, no `..`, no leading slash. */
function cleanPath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw unsupported(`stage path with '..' (${p})`);
  return parts.join('/') + (p.endsWith('/') && parts.length > 0 ? '/' : '');
}

export interface StageFolder {
  /** Absolute folder of the stage. */
  dir: string;
  /** How LIST and COPY name a file of this stage. */
  display(relative: string): string;
}

export function namedStageFolder(root: string, stageId: number, stageName: string): StageFolder {
  return {
    dir: path.join(root, 'named', String(stageId)),
    display: (rel) => `${stageName.toLowerCase()}/${rel}`,
  };
}

export function userStageFolder(root: string, user: string): StageFolder {
  return { dir: path.join(root, 'user', Buffer.from(user).toString('hex')), display: (rel) => rel };
}

export function tableStageFolder(root: string, tableId: number, tableName: string): StageFolder {
  return {
    dir: path.join(root, 'table', String(tableId)),
    display: (rel) => `${tableName.toLowerCase()}/${rel}`,
  };
}

export interface StagedFile {
  /** Path inside the stage, e.g. run-3f2a/CUSTOMERS/b000017-a2.csv.gz. */
  relative: string;
  absolute: string;
  size: number;
  modified: Date;
}

/** Files whose path in the stage starts with `prefix` (as Snowflake matches stage paths) and match `pattern`. */
export async function listStagedFiles(
  folder: StageFolder,
  prefix: string,
  pattern?: RegExp,
): Promise<StagedFile[]> {
  const files: StagedFile[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const relative = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(absolute, relative);
      else if (entry.isFile() && relative.startsWith(prefix) && (!pattern || pattern.test(relative))) {
        const stat = await fs.stat(absolute).catch(vanished);
        if (stat) files.push({ relative, absolute, size: stat.size, modified: stat.mtime });
      }
    }
  };
  await walk(folder.dir, '');
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** undefined for a file that was removed meanwhile (a concurrent REMOVE or PURGE); other errors rethrown. */
function vanished(err: unknown): undefined {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw err;
}

export interface StageSnapshot {
  /** The listed files still there when the snapshot was taken, readable until `release`. */
  files: StagedFile[];
  release(): Promise<void>;
}

/**
 * Freezes listed files for a COPY: Snowflake loads what it listed even if a concurrent REMOVE or
 * PURGE deletes it meanwhile, and simply never sees a file deleted before it looked. Each file is
 * hard-linked into a private folder beside the stage folder (not inside it, where LIST would see it),
 * so a removal of the original no longer affects the read; a file already gone is left out.
 */
export async function snapshotStagedFiles(folder: StageFolder, listed: StagedFile[]): Promise<StageSnapshot> {
  const dir = `${folder.dir}.copy-${randomUUID()}`;
  await fs.mkdir(dir, { recursive: true });
  const files: StagedFile[] = [];
  for (const [i, file] of listed.entries()) {
    const frozen = path.join(dir, String(i));
    const linked = await fs.link(file.absolute, frozen).then(() => true, vanished);
    if (linked) files.push({ ...file, absolute: frozen });
  }
  return { files, release: () => fs.rm(dir, { recursive: true, force: true }) };
}

export async function md5OfFile(file: string): Promise<string> {
  return createHash('md5')
    .update(await fs.readFile(file))
    .digest('hex');
}

/** Snowflake's PATTERN must match the whole path. */
export function stagePattern(regex: string): RegExp {
  return new RegExp(`^(?:${regex})$`, 's');
}
