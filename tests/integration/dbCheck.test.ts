import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { assetPath, derivedPath } from '../../db/assets.ts';
import { checkStore, formatReport } from '../../db/check.ts';
import { signIn, tempBackend, tempDir } from '../support/backend.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const image = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)));

/** `npm run db:check -- --data-dir DIR`, as a person runs it: a real process. */
function dbCheck(dataDir: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-check.ts', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr };
}

// Each check is a fresh tsx process (seconds on a busy machine): room for a few.
const SPAWNS = 60_000;

const noStack = (out: string) => expect(out, 'no stack trace').not.toMatch(/^\s+at /m);

describe('npm run db:check', { timeout: SPAWNS }, () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  function folder() {
    const dir = tempDir('galley-check-');
    cleanups.push(dir.remove);
    return dir.dir;
  }

  it('a person points it at a folder whose galley.db is not a database: it says so in a sentence', () => {
    const dir = folder();
    writeFileSync(`${dir}/galley.db`, 'Notes from the council meeting, not a database.\n');
    const check = dbCheck(dir);
    expect(check.status).toBe(1);
    expect(check.out.trim()).toBe(
      `${dir}/galley.db is not a SQLite database (its first bytes are not a database header), so it is not a Galley database. ` +
        "Check that --data-dir names Galley's data folder; if this was Galley's database, restore it from a backup.",
    );
    noStack(check.out);
  });

  it('an empty galley.db, or some other SQLite file, is named for what it is', async () => {
    const dir = folder();
    writeFileSync(`${dir}/galley.db`, '');
    expect(dbCheck(dir)).toMatchObject({ status: 1, out: expect.stringMatching(/galley\.db is empty \(0 bytes\)/) });
    const Database = (await import('better-sqlite3')).default;
    rmSync(`${dir}/galley.db`);
    const other = new Database(`${dir}/galley.db`);
    other.exec('CREATE TABLE recipes (name TEXT)');
    other.close();
    const check = dbCheck(dir);
    expect(check).toMatchObject({ status: 1, out: expect.stringMatching(/galley\.db is a SQLite database but not a Galley database/) });
    noStack(check.out);
  });

  it('checks every photo: a damaged or missing original is a problem; a missing thumbnail can be rebuilt, and is when the photo is shown', async () => {
    const backend = tempBackend();
    cleanups.push(backend.remove);
    await signIn(backend, 'Lena Ortiz', 'photo_desk');
    const dawn = await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: image('harbor-dawn.jpg') });
    const kyiv = await backend.invoke('assets.import', { fileName: 'kyiv-square.jpg', data: image('kyiv-square.jpg') });
    const dir = backend.dataDir;
    const sound = formatReport(checkStore(backend.db, { dataDir: dir }));
    expect(sound).toContain('Photos: 2 checked, 0 originals missing or damaged, 0 thumbnails or previews missing');
    expect(sound).toContain('Result: the store is sound.');

    // One byte of harbor-dawn's original flipped; kyiv-square's thumbnail deleted.
    const original = assetPath(dir, dawn.sha256, dawn.mime);
    const bytes = readFileSync(original);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(original, bytes);
    const thumb = derivedPath(dir, kyiv.sha256, 'thumb');
    rmSync(thumb);
    const before = statSync(original).mtimeMs;

    const check = dbCheck(dir);
    expect(check.status).toBe(1);
    expect(check.out).toContain('Photos: 2 checked, 1 originals missing or damaged, 1 thumbnails or previews missing');
    expect(check.out).toContain(`harbor-dawn.jpg: the original does not match its SHA-256 (damaged or replaced) (${original}); import the photo again to put it back`);
    expect(check.out).toContain(`kyiv-square.jpg: ${thumb} is missing; it can be rebuilt from the original`);
    expect(check.out).toContain('Result: PROBLEMS FOUND');
    // Read-only: the check changed nothing.
    expect(statSync(original).mtimeMs).toBe(before);
    expect(() => statSync(thumb)).toThrow();

    // The photo desk shows kyiv-square: its thumbnail is made again from the original.
    const shown = await backend.invoke('assets.image', { sha256: kyiv.sha256, size: 'thumb' });
    expect(shown.dataUrl).toMatch(/^data:image\/webp;base64,./);
    // harbor-dawn's damaged original is reported, never shown…
    rmSync(derivedPath(dir, dawn.sha256, 'preview'));
    const refused = await backend.call('assets.image', { sha256: dawn.sha256, size: 'preview' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'damaged', message: expect.stringMatching(/^The original of harbor-dawn\.jpg is damaged/) } });
    // …and importing the photo again puts the original back.
    await backend.invoke('assets.import', { fileName: 'harbor-dawn.jpg', data: image('harbor-dawn.jpg') });
    await backend.invoke('assets.image', { sha256: dawn.sha256, size: 'preview' });
    expect(checkStore(backend.db, { dataDir: dir })).toMatchObject({ ok: true, photos: { checked: 2, originals: [], derived: [] } });
  });

  it('a missing original is named, and its missing thumbnail waits for the original', async () => {
    const backend = tempBackend();
    cleanups.push(backend.remove);
    await signIn(backend, 'Lena Ortiz', 'photo_desk');
    const photo = await backend.invoke('assets.import', { fileName: 'council-chamber.jpg', data: image('council-chamber.jpg') });
    const original = assetPath(backend.dataDir, photo.sha256, photo.mime);
    rmSync(original);
    rmSync(derivedPath(backend.dataDir, photo.sha256, 'thumb'));
    const check = dbCheck(backend.dataDir);
    expect(check.status).toBe(1);
    expect(check.out).toContain(`council-chamber.jpg: the original is missing (${original})`);
    expect(check.out).toMatch(/council-chamber\.jpg: .*-320\.webp is missing; it is made again once the original is back/);
  });
});
