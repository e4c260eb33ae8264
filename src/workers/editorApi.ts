/**
 * The part of the worker API the editor panel uses (engineApi.ts includes it): the student's files on the
 * laptop (`lab.fs`: /home/student and /tmp, as the laptop's shells see them), a command run in a fresh
 * headless laptop shell (the Apply button's `kubectl apply -f FILE`), and the JSON Schema of a kind for
 * the YAML editor, from the apiserver's OpenAPI (the engine's ../engine/apiserver/openapi/jsonSchema.ts);
 * and the editor host through which a terminal session's `vi`/`nano` reach the UI (`editorHost`).
 *
 * Every argument is checked; a file error is worded as a shell words it (`/home/student/x: No such file or
 * directory`, `…: Is a directory`); writing outside /home/student and /tmp is `Permission denied`, as it
 * is for the student on a real laptop.
 */
import { jsonSchemaFor as buildJsonSchema, type JsonSchema } from '../engine/apiserver/openapi/jsonSchema.ts';
import type { Lab } from '../engine/cluster/lab.ts';
import type { EditorHost, EditRequest } from '../engine/shell/commands/editor.ts';
import { FsError, normalizePath } from '../engine/shell/fs.ts';

/** A file of the lab, as the editor's file list shows it. */
export interface LabFileEntry {
  path: string;
  size: number;
}

/** What a command printed and its exit status. */
export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * What a laptop session's `vi`/`nano` send the UI's edit callback: a file to show (answered with the saved
 * text, or undefined for "quit without saving"), or — by the same id — the news that the command stopped
 * waiting (Ctrl-C, the shell closed), after which the answer is not read.
 */
export type EditMessage = { id: string; path: string; content: string } | { id: string; withdrawn: true };
export type EditListener = (message: EditMessage) => Promise<string | undefined> | string | undefined;

export interface EditorApi {
  /** Every file under `dir` (an absolute directory), recursively, sorted by path; at most 1000. */
  listFiles(dir: string): LabFileEntry[];
  readFile(path: string): string;
  /** Create or replace a file under /home/student or /tmp (its directory must exist). */
  writeFile(path: string, content: string): void;
  /** Run a command line in a new headless shell on the laptop (as the student, in the home directory). */
  runCommand(line: string): Promise<CommandResult>;
  /** The JSON Schema of a kind (undefined for one the apiserver does not publish). */
  jsonSchemaFor(apiVersion: string, kind: string): Promise<JsonSchema | undefined>;
}

/** Where the student may write: their home and /tmp. */
const WRITABLE = ['/home/student', '/tmp'];
const MAX_PATH = 4096;
/** The most a file written from the editor may hold, in characters. */
export const MAX_FILE_CHARS = 4 * 1024 * 1024;
const MAX_COMMAND_CHARS = 64 * 1024;
const MAX_LISTED = 1000;

export function createEditorApi(lab: Lab): EditorApi {
  const schemas = new Map<string, JsonSchema | undefined>();
  let schemasOf: object | undefined;

  return {
    listFiles(dir) {
      const root = checkPath('listFiles', dir);
      const out: LabFileEntry[] = [];
      const walk = (path: string) => {
        for (const name of lab.fs.readdir(path)) {
          if (out.length >= MAX_LISTED) return;
          const child = path === '/' ? `/${name}` : `${path}/${name}`;
          const stat = lab.fs.stat(child);
          if (stat?.type === 'dir') walk(child);
          else if (stat) out.push({ path: child, size: stat.size });
        }
      };
      fsCall(() => {
        if (lab.fs.stat(root)?.type !== 'dir') lab.fs.readdir(root);
        walk(root);
      });
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },

    readFile(path) {
      const p = checkPath('readFile', path);
      return fsCall(() => lab.fs.readFile(p));
    },

    writeFile(path, content) {
      const p = checkPath('writeFile', path);
      if (typeof content !== 'string') throw new TypeError(`writeFile: content must be a string, got ${typeof content}`);
      if (content.length > MAX_FILE_CHARS) throw new RangeError(`writeFile: ${content.length} characters is more than the ${MAX_FILE_CHARS} a lab file may hold`);
      if (!WRITABLE.some((dir) => p === dir || p.startsWith(`${dir}/`))) throw new Error(`${p}: Permission denied`);
      fsCall(() => lab.fs.writeFile(p, content));
    },

    async runCommand(line) {
      if (typeof line !== 'string') throw new TypeError(`runCommand: line must be a string, got ${typeof line}`);
      if (line.trim() === '') throw new Error('runCommand: the command line is empty');
      if (line.length > MAX_COMMAND_CHARS) throw new RangeError(`runCommand: ${line.length} characters is more than ${MAX_COMMAND_CHARS}`);
      const session = lab.openSession({ tty: false });
      let stdout = '';
      let stderr = '';
      session.onDidWrite((chunk) => (chunk.stream === 'stdout' ? (stdout += chunk.text) : (stderr += chunk.text)));
      const status = await session.run(line);
      return { status, stdout, stderr };
    },

    async jsonSchemaFor(apiVersion, kind) {
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new TypeError(`jsonSchemaFor: apiVersion and kind must be strings, got ${typeof apiVersion} and ${typeof kind}`);
      const openapi = lab.cluster.apiserver.openapi;
      await openapi.load();
      // A fresh cluster (`lab reset`) has its own OpenAPI: start the cache again.
      if (schemasOf !== openapi) {
        schemas.clear();
        schemasOf = openapi;
      }
      const key = `${apiVersion}\n${kind}`;
      if (!schemas.has(key)) schemas.set(key, buildJsonSchema(openapi, apiVersion, kind));
      return schemas.get(key);
    },
  };
}

let nextEdit = 1;

/** The editor host of a session whose files open through the UI's `onEdit`. */
export function editorHost(onEdit: EditListener): EditorHost {
  const ids = new Map<EditRequest, string>();
  return {
    async edit(request) {
      const id = `edit-${nextEdit++}`;
      ids.set(request, id);
      try {
        return checkEdited(await onEdit({ id, path: request.path, content: request.content }));
      } finally {
        ids.delete(request);
      }
    },
    withdraw(request) {
      const id = ids.get(request);
      if (id === undefined) return;
      ids.delete(request);
      // The page may be gone; there is nobody left to tell then.
      void Promise.resolve(onEdit({ id, withdrawn: true })).catch(() => {});
    },
  };
}

/** The editor's answer: new text, or undefined for "quit without saving". */
function checkEdited(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`the editor answered with ${typeof value} instead of the file's text`);
}

/** An absolute path, normalised; anything else is refused with what was wrong. */
function checkPath(what: string, path: unknown): string {
  if (typeof path !== 'string') throw new TypeError(`${what}: path must be a string, got ${typeof path}`);
  if (!path.startsWith('/')) throw new Error(`${what}: path must be absolute, got ${JSON.stringify(path)}`);
  if (path.length > MAX_PATH || path.includes('\0')) throw new Error(`${what}: not a valid path: ${JSON.stringify(path.slice(0, 80))}`);
  return normalizePath(path, '/');
}

/** Run a file system call; its FsError becomes an Error worded as the shell words it. */
function fsCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FsError) throw new Error(e.message, { cause: e });
    throw e;
  }
}
