import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { allAssets, assetPath, derivedPath } from './assets.ts';
import { checkAllBlocks, unpackIds } from './blocks.ts';
import type { Db } from './connection.ts';
import { revisionIds } from './revisions.ts';
import { DocumentContent } from '../shared/documents.ts';

export type StoreReport = {
  sqlite: string[];
  blocks: { checked: number; damaged: { id: number; reason: string }[] };
  revisions: { checked: number; damaged: { id: string; documentId: string; title: string; blockIds: number[] }[] };
  documents: { checked: number; problems: { id: string; title: string; problem: string }[] };
  /** Absent when no data folder was given (the photo files live beside the database). */
  photos?: PhotoReport;
  ok: boolean;
};

export type PhotoReport = {
  checked: number;
  /** Originals missing or not matching their SHA-256: only the photo itself can replace them. */
  originals: { sha256: string; name: string; file: string; problem: string }[];
  /** Thumbnails and previews missing: Galley makes them again from the original. */
  derived: { sha256: string; name: string; file: string; rebuildable: boolean }[];
};

/** Every photo's files: the original against its SHA-256, its thumbnail and preview present. */
export function checkPhotos(db: Db, dataDir: string): PhotoReport {
  const report: PhotoReport = { checked: 0, originals: [], derived: [] };
  for (const asset of allAssets(db)) {
    report.checked++;
    const file = assetPath(dataDir, asset.sha256, asset.mime);
    const name = asset.originalName;
    const problem = !existsSync(file)
      ? 'the original is missing'
      : createHash('sha256').update(readFileSync(file)).digest('hex') !== asset.sha256
        ? 'the original does not match its SHA-256 (damaged or replaced)'
        : undefined;
    if (problem) report.originals.push({ sha256: asset.sha256, name, file, problem });
    for (const size of ['thumb', 'preview'] as const) {
      const derived = derivedPath(dataDir, asset.sha256, size);
      if (!existsSync(derived)) report.derived.push({ sha256: asset.sha256, name, file: derived, rebuildable: !problem });
    }
  }
  return report;
}

/**
 * The whole store checked: SQLite's own integrity check, every block against its hash,
 * every revision's block list, every document's working copy and head.
 */
export function checkStore(db: Db, options: { dataDir?: string } = {}): StoreReport {
  const sqlite = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  for (const f of fk) sqlite.push(`foreign key: ${f.table} row ${f.rowid} points at a missing ${f.parent}`);

  const badBlocks = new Map<number, string>();
  let blocksChecked = 0;
  for (const b of checkAllBlocks(db)) {
    blocksChecked++;
    if (b.problem) badBlocks.set(b.id, b.problem);
  }
  const blockIds = new Set((db.prepare('SELECT id FROM blocks').all() as { id: number }[]).map((r) => r.id));
  const titles = new Map((db.prepare('SELECT id, title FROM documents').all() as { id: string; title: string }[]).map((r) => [r.id, r.title]));

  const damagedRevisions: StoreReport['revisions']['damaged'] = [];
  let revisionsChecked = 0;
  for (const r of db.prepare('SELECT id, document_id, blocks FROM revisions').iterate() as Iterable<{ id: Buffer; document_id: string; blocks: Buffer }>) {
    revisionsChecked++;
    const bad = unpackIds(r.blocks).filter((id) => badBlocks.has(id) || !blockIds.has(id));
    if (bad.length) {
      damagedRevisions.push({ id: r.id.toString('hex'), documentId: r.document_id, title: titles.get(r.document_id) ?? '', blockIds: bad });
    }
  }

  const problems: StoreReport['documents']['problems'] = [];
  const revisions = revisionIds(db);
  let documentsChecked = 0;
  for (const d of db.prepare('SELECT id, title, working, head_revision_id FROM documents').iterate() as Iterable<{
    id: string;
    title: string;
    working: string;
    head_revision_id: string | null;
  }>) {
    documentsChecked++;
    let parsed = false;
    try {
      parsed = DocumentContent.safeParse(JSON.parse(d.working)).success;
    } catch {
      parsed = false;
    }
    if (!parsed) problems.push({ id: d.id, title: d.title, problem: 'the working copy cannot be read' });
    if (d.head_revision_id && !revisions.has(d.head_revision_id)) {
      problems.push({ id: d.id, title: d.title, problem: 'its latest revision is missing' });
    }
  }

  const photos = options.dataDir === undefined ? undefined : checkPhotos(db, options.dataDir);
  const ok =
    sqlite.length === 1 &&
    sqlite[0] === 'ok' &&
    badBlocks.size === 0 &&
    damagedRevisions.length === 0 &&
    problems.length === 0 &&
    !photos?.originals.length &&
    !photos?.derived.length;
  return {
    sqlite,
    blocks: { checked: blocksChecked, damaged: [...badBlocks].map(([id, reason]) => ({ id, reason })) },
    revisions: { checked: revisionsChecked, damaged: damagedRevisions },
    documents: { checked: documentsChecked, problems },
    ...(photos ? { photos } : {}),
    ok,
  };
}

export function formatReport(report: StoreReport): string {
  const lines = [
    `SQLite integrity: ${report.sqlite.join('; ')}`,
    `Blocks: ${report.blocks.checked} checked, ${report.blocks.damaged.length} damaged`,
    ...report.blocks.damaged.map((b) => `  block ${b.id}: ${b.reason}`),
    `Revisions: ${report.revisions.checked} checked, ${report.revisions.damaged.length} damaged`,
    ...report.revisions.damaged.map((r) => `  "${r.title || r.documentId}": revision ${r.id.slice(0, 12)} (blocks ${r.blockIds.join(', ')})`),
    `Documents: ${report.documents.checked} checked, ${report.documents.problems.length} with problems`,
    ...report.documents.problems.map((p) => `  "${p.title || p.id}": ${p.problem}`),
    ...(report.photos ? photoLines(report.photos) : []),
    report.ok ? 'Result: the store is sound.' : 'Result: PROBLEMS FOUND (see above). Back up the data folder before changing anything.',
  ];
  return lines.join('\n');
}

function photoLines(photos: PhotoReport): string[] {
  return [
    `Photos: ${photos.checked} checked, ${photos.originals.length} originals missing or damaged, ${photos.derived.length} thumbnails or previews missing`,
    ...photos.originals.map((o) => `  ${o.name}: ${o.problem} (${o.file}); import the photo again to put it back`),
    ...photos.derived.map((d) =>
      d.rebuildable
        ? `  ${d.name}: ${d.file} is missing; it can be rebuilt from the original, and Galley makes it again the next time the photo is shown`
        : `  ${d.name}: ${d.file} is missing; it is made again once the original is back`,
    ),
  ];
}

/**
 * Why a file could not be checked at all, as a sentence (not a stack): the file is not
 * a database, is damaged past reading, cannot be read, or is some other database.
 */
export function describeUnreadable(file: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'SQLITE_NOTADB':
      return `${file} is not a SQLite database (its first bytes are not a database header), so it is not a Galley database. Check that --data-dir names Galley's data folder; if this was Galley's database, restore it from a backup.`;
    case 'SQLITE_CORRUPT':
      return `${file} is a database damaged so badly that it cannot be read (${detail}). Restore it from a backup; keep the damaged file for recovery.`;
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'SQLITE_PERM':
    case 'SQLITE_READONLY':
      return `${file} cannot be opened for reading (${detail}). Check its permissions.`;
    default:
      return `${file} could not be checked: ${detail}.`;
  }
}

/** A Galley database records its migrations; any other SQLite file does not. */
export function isGalleyDatabase(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}
