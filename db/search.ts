import { DocumentContent, searchableText } from '../shared/documents.ts';
import { sql, type Db } from './connection.ts';

/**
 * Full-text search (FTS5) over the current text of every document. The index row of a
 * document shares its rowid, so an update is a keyed delete and insert.
 */
export function indexDocument(db: Db, documentId: string, title: string, body: string): void {
  const row = sql(db, 'SELECT rowid FROM documents WHERE id = ?').get(documentId) as { rowid: number } | undefined;
  if (!row) return;
  sql(db, 'DELETE FROM documents_fts WHERE rowid = ?').run(row.rowid);
  const clean = (t: string) => t.replace(/[\uE000\uE001]/g, '');
  sql(db, 'INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)').run(row.rowid, clean(title), clean(body));
}

/**
 * Brings the index up to date for every document whose working copy changed since it
 * was last indexed (search_stale, set by every working-copy write). Runs before any
 * search and when the back end closes, so a search never sees an older text; a crash
 * leaves the flags set and the next search catches up. Returns how many were indexed.
 */
export function indexStaleDocuments(db: Db): number {
  const stale = sql(db, 'SELECT id, title, working FROM documents WHERE search_stale = 1').all() as { id: string; title: string; working: string }[];
  if (stale.length === 0) return 0;
  db.transaction(() => {
    for (const row of stale) {
      indexDocument(db, row.id, row.title, storedSearchText(row.working));
      sql(db, 'UPDATE documents SET search_stale = 0 WHERE id = ?').run(row.id);
    }
  })();
  return stale.length;
}

/**
 * The searchable text of a stored working copy. It was validated when written; one
 * damaged by hand is indexed by its title alone (`npm run db:check` reports it), rather
 * than stopping every search.
 */
function storedSearchText(working: string): string {
  try {
    const parsed = DocumentContent.safeParse(JSON.parse(working));
    return parsed.success ? searchableText(parsed.data) : '';
  } catch {
    return '';
  }
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: each
 * word quoted, all required, the last one a prefix (results while typing).
 */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words?.length) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Highlight markers: private-use characters that cannot occur in stored text. */
export const HIT_START = '\uE000';
export const HIT_END = '\uE001';

export type Hit = { text: string; hit: boolean };

/** Splits FTS5 highlight() output into plain and matched runs (no HTML is ever built). */
export function splitHits(marked: string): Hit[] {
  const out: Hit[] = [];
  for (const part of marked.split(HIT_START)) {
    const end = part.indexOf(HIT_END);
    if (end === -1) {
      if (part) out.push({ text: part, hit: false });
      continue;
    }
    out.push({ text: part.slice(0, end), hit: true });
    if (end + 1 < part.length) out.push({ text: part.slice(end + 1), hit: false });
  }
  return out;
}
