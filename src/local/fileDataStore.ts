import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataStore } from 'cognito-local/lib/services/dataStore/dataStore.js';
import type { DataStoreFactory } from 'cognito-local/lib/services/dataStore/factory.js';
import { errorMessage } from '../shared/failure.js';
import { LocalStackError } from './support/localStackError.js';

type Key = string | string[];
type Document = Record<string, unknown>;

const TEMP_SUFFIX = '.tmp';

/**
 * Serialises a document as cognito-local does: fields whose name ends in
 * `Date` hold `Date`s and are written as ISO strings.
 */
export function serializeDocument(document: unknown): string {
  return JSON.stringify(document, undefined, 2);
}

/** Parses a serialised document, turning the `…Date` fields back into `Date`s. */
export function parseDocument(text: string): Document {
  const parsed: unknown = JSON.parse(text, (key, value) => {
    if (key.endsWith('Date') && (typeof value === 'string' || typeof value === 'number')) {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    return value;
  });
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('the document is not a JSON object');
  }
  return parsed as Document;
}

/**
 * One JSON document (a user pool, the app clients…) held in memory and, when
 * it has a file, persisted after every change. Writes are serialised and
 * coalesced: at most one write is in flight, and every change is on disk when
 * the call that made it resolves. Each write replaces the file atomically (a
 * temporary file, flushed, then renamed over it), so the file is always a
 * complete document, even when the process is killed mid-write.
 */
export class JsonDocumentStore implements DataStore {
  private version = 0;
  private savedVersion = 0;
  private writing: Promise<void> | undefined;

  /**
   * @param data - the document
   * @param file - where it is persisted; `undefined` keeps it in memory only
   */
  constructor(
    private data: Document,
    private readonly file: string | undefined,
  ) {}

  async get<T>(_ctx: unknown, key: Key, defaultValue?: T): Promise<T> {
    const value = lookup(this.data, toPath(key));
    return (value ?? defaultValue ?? null) as T;
  }

  async getRoot<T>(): Promise<T | null> {
    return this.data as T;
  }

  async set<T>(_ctx: unknown, key: Key, value: T): Promise<void> {
    const path = toPath(key);
    if (path.length === 0) {
      this.data = value as Document;
    } else {
      let node = this.data;
      for (const segment of path.slice(0, -1)) {
        const next = node[segment];
        if (typeof next !== 'object' || next === null) node[segment] = {};
        node = node[segment] as Document;
      }
      node[path[path.length - 1] as string] = value;
    }
    await this.save();
  }

  async delete(_ctx: unknown, key: Key): Promise<void> {
    const path = toPath(key);
    const parent = lookup(this.data, path.slice(0, -1));
    if (typeof parent === 'object' && parent !== null) {
      delete (parent as Document)[path[path.length - 1] as string];
    }
    await this.save();
  }

  /** Resolves once every change made so far is on disk. */
  async save(): Promise<void> {
    if (!this.file) return;
    const wanted = ++this.version;
    while (this.savedVersion < wanted) {
      if (!this.writing) {
        this.writing = this.writeOnce().finally(() => {
          this.writing = undefined;
        });
      }
      await this.writing;
    }
  }

  /** Waits for the write in flight, if any. */
  async flush(): Promise<void> {
    if (this.savedVersion < this.version) await this.save();
  }

  private async writeOnce(): Promise<void> {
    const file = this.file as string;
    const version = this.version;
    const text = serializeDocument(this.data);
    const temp = `${file}${TEMP_SUFFIX}`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    this.savedVersion = version;
  }
}

function toPath(key: Key): string[] {
  return Array.isArray(key) ? key : [key];
}

function lookup(data: Document, path: readonly string[]): unknown {
  let node: unknown = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Document)[segment];
  }
  return node;
}

/**
 * cognito-local's `DataStoreFactory`, backed by {@link JsonDocumentStore}s:
 * one `<id>.json` file per document in `directory`, or memory only when there
 * is no directory. A document is loaded once and shared by every caller.
 */
export class JsonDataStoreFactory implements DataStoreFactory {
  private readonly stores = new Map<string, Promise<JsonDocumentStore>>();

  /** @param directory - where the files live; `undefined` keeps everything in memory */
  constructor(readonly directory: string | undefined) {}

  create(_ctx: unknown, id: string, defaults: object): Promise<JsonDocumentStore> {
    let store = this.stores.get(id);
    if (!store) {
      store = this.load(id, defaults);
      this.stores.set(id, store);
      store.catch(() => this.stores.delete(id));
    }
    return store;
  }

  /** Waits until every document is on disk. */
  async flush(): Promise<void> {
    const stores = await Promise.allSettled(this.stores.values());
    await Promise.all(
      stores.map((entry) => (entry.status === 'fulfilled' ? entry.value.flush() : undefined)),
    );
  }

  /** Creates the directory and removes temporary files left by a process that was killed. */
  async prepare(): Promise<void> {
    if (!this.directory) return;
    await mkdir(this.directory, { recursive: true });
    const names = await readdir(this.directory);
    await Promise.all(
      names
        .filter((name) => name.endsWith(`.json${TEMP_SUFFIX}`))
        .map((name) => rm(join(this.directory as string, name), { force: true })),
    );
  }

  private async load(id: string, defaults: object): Promise<JsonDocumentStore> {
    if (!this.directory)
      return new JsonDocumentStore(structuredClone(defaults) as Document, undefined);
    const file = join(this.directory, `${id}.json`);
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined || text.trim() === '') {
      const store = new JsonDocumentStore(structuredClone(defaults) as Document, file);
      await store.save();
      return store;
    }
    try {
      return new JsonDocumentStore(parseDocument(text), file);
    } catch (error) {
      throw new LocalStackError(
        `${file} is not a valid JSON document (${errorMessage(error)}): move it away or delete it to start afresh`,
        { cause: error },
      );
    }
  }
}
