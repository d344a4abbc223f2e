import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/connection.ts';
import { indexStaleDocuments } from '../db/search.ts';
import {
  contract,
  events,
  isOperationName,
  type EventName,
  type EventPayload,
  type Input,
  type OperationName,
  type Output,
} from '../shared/contract.ts';
import { GalleyError, invalidInput, type ErrorBody } from '../shared/errors.ts';
import { ROLE_LABELS } from '../shared/people.ts';
import { lockDataFolder } from './dataLock.ts';
import { handlers as defaultHandlers, type Handlers } from './handlers.ts';
import { preparePrivateDataDir } from './paths.ts';
import type { ServiceContext } from './services/context.ts';
import { Autosaver, DEFAULT_AUTOSAVE, type AutosavePolicy } from './services/autosave.ts';
import { currentPerson } from './services/people.ts';
import { adapterFor, type AdapterFactory } from './cms/index.ts';
import { Outbox, ensureDefaultTarget } from './services/publishing.ts';
import { keyFileBox, type SecretBox } from './services/secrets.ts';
import { Link, type DeskLinkOptions } from './services/desk/link.ts';

export type CallResult = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

/**
 * The back end every transport shares: one database, one handler map, one dispatcher.
 * Electron IPC (main.ts), browser mode (web.ts) and tests all reach it through `call`
 * with a name and raw, untrusted input.
 */
export type Backend = {
  dataDir: string;
  db: Db;
  /** Transport entry point: never throws; a failure comes back as a readable error. */
  call(name: string, input: unknown): Promise<CallResult>;
  /** Typed convenience for tests and scripts; throws GalleyError on failure. */
  invoke<K extends OperationName>(name: K, input: Input<K>): Promise<Output<K>>;
  subscribe<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void): () => void;
  /** Every event, for transports that forward all of them. */
  onAnyEvent(fn: (event: EventName, payload: unknown) => void): () => void;
  /** The publishing worker (tests wait for it to go idle). */
  outbox: Outbox;
  /** The link to the newsroom desk (tests wait for it to settle). */
  desk: Link;
  /** Stops the outbox (waiting for jobs in flight) and closes the database. */
  shutdown(): Promise<void>;
  close(): void;
};

/**
 * SQLite says SQLITE_FULL when the disk (or its quota) has no room for a write; a file
 * write says ENOSPC (or EDQUOT). The transaction that met it was rolled back whole, so
 * what was saved before stands.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

export function diskFull(dataDir: string): GalleyError {
  return new GalleyError(
    'disk_full',
    `The disk is full, so this was not saved. Free some space on the disk that holds Galley's data folder (${dataDir}); everything saved before is intact.`,
  );
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'galley.db');
}

export type BackendOptions = {
  dataDir: string;
  handlers?: Handlers;
  now?: () => number;
  autosave?: Partial<AutosavePolicy>;
  /** How CMS secrets are sealed; Electron passes safeStorage, otherwise a key file in dataDir. */
  secrets?: SecretBox;
  adapterFactory?: AdapterFactory;
  /** Start the publishing worker (default true). */
  outbox?: boolean;
  outboxConcurrency?: number;
  /** How the link to the newsroom desk reaches it and how fast it retries (tests). */
  desk?: DeskLinkOptions;
};

export function openBackend(options: BackendOptions): Backend {
  // The folder is private (it holds every unpublished story) before anything is written in it.
  preparePrivateDataDir(options.dataDir);
  // Refused before the database is touched if another back end has this folder.
  const lock = lockDataFolder(options.dataDir);
  let db: Db;
  try {
    db = openDatabase(databaseFile(options.dataDir));
  } catch (error) {
    lock.release();
    throw error;
  }
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const ctx: ServiceContext = {
    db,
    dataDir: options.dataDir,
    now: options.now ?? Date.now,
    emit: (event, payload) => {
      events[event].parse(payload);
      emitter.emit('event', event, payload);
      if (event === 'revisions.changed') ctx.desk?.versionCut();
    },
    afterWorkingChange: (documentId) => autosaver.workingChanged(documentId),
    secrets: options.secrets ?? keyFileBox(options.dataDir),
    adapterFactory: options.adapterFactory ?? adapterFor,
    outbox: { kick: () => outbox.kick() },
  };
  const outbox = new Outbox(ctx, { concurrency: options.outboxConcurrency ?? 4 });
  const desk = new Link(ctx, options.desk);
  ctx.desk = desk;
  const autosaver = new Autosaver(ctx, { ...DEFAULT_AUTOSAVE, ...options.autosave });
  try {
    ensureDefaultTarget(ctx);
    autosaver.recover();
  } catch (error) {
    // A back end that did not start holds neither the database nor the folder.
    db.close();
    lock.release();
    throw error;
  }
  if (options.outbox !== false) outbox.start();
  desk.start();
  const handlers = options.handlers ?? defaultHandlers;

  async function dispatch(name: string, raw: unknown): Promise<unknown> {
    if (!isOperationName(name)) throw new GalleyError('unknown_operation', `There is no operation named "${name}".`);
    const op = contract[name];
    const parsed = op.input.safeParse(raw ?? {});
    if (!parsed.success) throw invalidInput(name, parsed.error);
    const person = currentPerson(ctx);
    if (op.roles !== 'nobody-yet') {
      if (!person) throw new GalleyError('no_person', 'Choose who is at the keyboard first (Switch user).');
      if (!op.roles.includes(person.role)) {
        throw new GalleyError('forbidden', `${ROLE_LABELS[person.role]} may not do this (${op.summary.toLowerCase()}).`);
      }
    }
    const handler = handlers[name] as (c: ServiceContext, i: unknown, caller: { person: typeof person }) => unknown;
    const value = await handler(ctx, parsed.data, { person });
    // What leaves the back end matches the contract too, so a bug here shows up as an
    // error on the back end's side rather than as a confused renderer.
    const out = op.output.safeParse(value);
    if (!out.success) {
      throw new GalleyError('internal', `The back end produced an unexpected answer for ${name}.`);
    }
    return out.data;
  }

  return {
    dataDir: options.dataDir,
    db,
    async call(name, input) {
      try {
        return { ok: true, value: await dispatch(name, input) };
      } catch (error) {
        if (error instanceof GalleyError) return { ok: false, error: error.toBody() };
        if (isDiskFull(error)) return { ok: false, error: diskFull(options.dataDir).toBody() };
        console.error(`[galley] ${name} failed:`, error);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong in Galley; the error was logged. Your saved work is unchanged.' } };
      }
    },
    async invoke(name, input) {
      const result = await this.call(name, input);
      if (!result.ok) throw GalleyError.fromBody(result.error);
      return result.value as never;
    },
    subscribe(event, fn) {
      const listener = (name: EventName, payload: unknown) => {
        if (name === event) fn(payload as never);
      };
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    onAnyEvent(fn) {
      emitter.on('event', fn);
      return () => emitter.off('event', fn);
    },
    outbox,
    desk,
    async shutdown() {
      await desk.stop();
      await outbox.stop();
      this.close();
    },
    close() {
      void desk.stop();
      void outbox.stop();
      if (db.open) autosaver.close();
      // Not needed for correctness (a search catches up first), but the next start's
      // first search is then not the one that pays for a day's edits. On a full disk it
      // cannot be written, and closing must go on regardless.
      try {
        if (db.open) indexStaleDocuments(db);
      } catch (error) {
        if (!isDiskFull(error)) throw error;
      }
      emitter.removeAllListeners();
      if (db.open) db.close();
      lock.release();
    },
  };
}
