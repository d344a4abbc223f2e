import { brotliDecompressSync } from 'node:zlib';
import { compress, hashText } from './blockCodec.ts';
import { sql, type Db } from './connection.ts';

/**
 * Content-addressed blocks: canonical JSON, brotli-compressed, keyed by the SHA-256 of
 * the uncompressed text. Every read checks the hash, so damage is reported rather than
 * shown as empty or wrong text.
 */
export { compress, hashText };

/**
 * Stores the block unless it is there already; returns its id either way. A stored
 * block with this hash is checked before it is reused: one block is shared by every
 * version that contains that paragraph, so if its bytes were damaged, each new version
 * would point at the damage too. The caller holds the good text, so a damaged row is
 * rewritten from it, which mends every version that shares it.
 */
export function putBlock(db: Db, hash: Buffer, text: string): number {
  const existing = sql(db, 'SELECT id, data FROM blocks WHERE hash = ?').get(hash) as { id: number; data: Buffer } | undefined;
  if (!existing) return Number(sql(db, 'INSERT INTO blocks (hash, data) VALUES (?, ?)').run(hash, compress(text)).lastInsertRowid);
  const known = verifiedBytes(db);
  const key = hash.toString('hex');
  if (known.get(key)?.equals(existing.data)) return existing.id;
  let data = existing.data;
  if (!holdsText(data, text)) sql(db, 'UPDATE blocks SET data = ? WHERE id = ?').run((data = compress(text)), existing.id);
  if (known.size > 20_000) known.clear();
  known.set(key, data);
  return existing.id;
}

// Stored bytes already checked on this connection, by block hash. Decompressing a
// 250-word paragraph takes ~40 µs, about 1 ms for every cut of a 20-paragraph story
// (whose budget is 5 ms); comparing the bytes read now with the bytes checked before
// takes under 1 µs, and any change to them since still means a full check.
const verified = new WeakMap<Db, Map<string, Buffer>>();
function verifiedBytes(db: Db): Map<string, Buffer> {
  let map = verified.get(db);
  if (!map) verified.set(db, (map = new Map()));
  return map;
}

// Comparing the decompressed bytes with the text is as strong as the hash check here
// (the text's hash is the row's key) and cheaper than hashing again.
function holdsText(data: Buffer, text: string): boolean {
  try {
    return brotliDecompressSync(data).equals(Buffer.from(text, 'utf8'));
  } catch {
    return false;
  }
}

export type BlockProblem = { blockId: number; reason: string };

export class DamagedBlockError extends Error {
  constructor(readonly problem: BlockProblem) {
    super(`Block ${problem.blockId} is damaged: ${problem.reason}`);
    this.name = 'DamagedBlockError';
  }
}

/** Decompresses and verifies one stored block. */
export function openBlock(id: number, hash: Buffer, data: Buffer): string {
  let text: string;
  try {
    text = brotliDecompressSync(data).toString('utf8');
  } catch {
    throw new DamagedBlockError({ blockId: id, reason: 'it cannot be decompressed' });
  }
  if (!hashText(text).equals(hash)) throw new DamagedBlockError({ blockId: id, reason: 'its content does not match its hash' });
  return text;
}

/** Reads and verifies blocks by id, in the order asked. A missing block is damage too. */
export function readBlocks(db: Db, ids: number[]): string[] {
  const get = sql(db, 'SELECT hash, data FROM blocks WHERE id = ?');
  return ids.map((id) => {
    const row = get.get(id) as { hash: Buffer; data: Buffer } | undefined;
    if (!row) throw new DamagedBlockError({ blockId: id, reason: 'it is missing' });
    return openBlock(id, row.hash, row.data);
  });
}

/** Every block, verified, for the integrity check. */
export function* checkAllBlocks(db: Db): Generator<{ id: number; problem?: string }> {
  for (const row of db.prepare('SELECT id, hash, data FROM blocks').iterate() as Iterable<{ id: number; hash: Buffer; data: Buffer }>) {
    try {
      openBlock(row.id, row.hash, row.data);
      yield { id: row.id };
    } catch (error) {
      yield { id: row.id, problem: error instanceof DamagedBlockError ? error.problem.reason : String(error) };
    }
  }
}

/** A revision's block list as unsigned LEB128 varints: ~2 bytes an id instead of 32. */
export function packIds(ids: number[]): Buffer {
  const bytes: number[] = [];
  for (let n of ids) {
    do {
      let byte = n & 0x7f;
      n = Math.floor(n / 128);
      if (n > 0) byte |= 0x80;
      bytes.push(byte);
    } while (n > 0);
  }
  return Buffer.from(bytes);
}

export function unpackIds(buf: Buffer): number[] {
  const ids: number[] = [];
  let n = 0;
  let scale = 1;
  for (const byte of buf) {
    n += (byte & 0x7f) * scale;
    if (byte & 0x80) scale *= 128;
    else {
      ids.push(n);
      n = 0;
      scale = 1;
    }
  }
  return ids;
}

/** Deletes blocks no revision lists any more; returns how many. */
export function deleteUnusedBlocks(db: Db): number {
  const used = new Set<number>();
  for (const row of db.prepare('SELECT blocks FROM revisions').iterate() as Iterable<{ blocks: Buffer }>) {
    for (const id of unpackIds(row.blocks)) used.add(id);
  }
  let freed = 0;
  for (const { id } of sql(db, 'SELECT id FROM blocks').all() as { id: number }[]) {
    if (!used.has(id)) freed += sql(db, 'DELETE FROM blocks WHERE id = ?').run(id).changes;
  }
  return freed;
}
