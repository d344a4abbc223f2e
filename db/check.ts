import { checkAllBlocks, unpackIds } from './blocks.ts';
import type { Db } from './connection.ts';
import { revisionIds } from './revisions.ts';
import { DocumentContent } from '../shared/documents.ts';

export type StoreReport = {
  sqlite: string[];
  blocks: { checked: number; damaged: { id: number; reason: string }[] };
  revisions: { checked: number; damaged: { id: string; documentId: string; title: string; blockIds: number[] }[] };
  documents: { checked: number; problems: { id: string; title: string; problem: string }[] };
  ok: boolean;
};

/**
 * The whole store checked: SQLite's own integrity check, every block against its hash,
 * every revision's block list, every document's working copy and head.
 */
export function checkStore(db: Db): StoreReport {
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

  const ok =
    sqlite.length === 1 && sqlite[0] === 'ok' && badBlocks.size === 0 && damagedRevisions.length === 0 && problems.length === 0;
  return {
    sqlite,
    blocks: { checked: blocksChecked, damaged: [...badBlocks].map(([id, reason]) => ({ id, reason })) },
    revisions: { checked: revisionsChecked, damaged: damagedRevisions },
    documents: { checked: documentsChecked, problems },
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
    report.ok ? 'Result: the store is sound.' : 'Result: PROBLEMS FOUND (see above). Back up the data folder before changing anything.',
  ];
  return lines.join('\n');
}
