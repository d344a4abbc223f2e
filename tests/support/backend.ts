import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend, type Backend, type BackendOptions } from '../../electron/backend.ts';
import { lockFileOf } from '../../electron/dataLock.ts';
import type { DocumentContent } from '../../shared/documents.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { Person, Role } from '../../shared/people.ts';
import type { RichNode } from '../../shared/richtext.ts';

export function tempDir(prefix = 'galley-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real back end on a real SQLite file in a fresh folder: the in-process transport. */
export function tempBackend(options: Omit<BackendOptions, 'dataDir'> = {}): Backend & { remove: () => void } {
  const { dir, remove } = tempDir();
  const backend = openBackend({ ...options, dataDir: dir });
  return Object.assign(backend, {
    remove: () => {
      backend.close();
      remove();
    },
  });
}

/** Adds a person and makes them the one at the keyboard. */
export async function signIn(backend: Backend, name: string, role: Role): Promise<Person> {
  const person = await backend.invoke('people.create', { name, role });
  await backend.invoke('session.switch', { personId: person.id });
  return person;
}

export function paragraphs(...texts: string[]) {
  return { type: 'doc', content: texts.map((t) => ({ type: 'paragraph', content: [{ type: 'text', text: t }] })) };
}

/** A copy of a working copy with some fields or the body changed. */
export function edited(content: DocumentContent, change: { fields?: Record<string, unknown>; body?: RichNode }): DocumentContent {
  return { ...content, fields: { ...content.fields, ...change.fields }, body: change.body ?? content.body } as DocumentContent;
}

/** A process id that belonged to a process that has exited. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * What killing the back end's process leaves, for a back end in this test process: the
 * database closed without the shutdown work (no autosave flush, no re-index), and the
 * data folder's lock naming a process that is gone.
 */
export function killed(backend: Backend): void {
  if (backend.db.open) backend.db.close();
  const file = lockFileOf(backend.dataDir);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: deadPid() }));
}

/**
 * The GalleyError a call is refused with, for asserting its code and message. Any other
 * failure is rethrown, and success is an error, so a test cannot pass by accident.
 */
export async function refusal(p: Promise<unknown>): Promise<GalleyError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof GalleyError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}
