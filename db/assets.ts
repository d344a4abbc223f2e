import { join } from 'node:path';
import type { ImageSize } from '../shared/photos.ts';
import { sql, type Db } from './connection.ts';

export type AssetRow = {
  sha256: string;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  width: number;
  height: number;
  originalName: string;
  metadata: string;
  createdAt: number;
  createdBy: string;
};

export function getAsset(db: Db, sha256: string): AssetRow | undefined {
  return sql(
    db,
    `SELECT sha256, mime, size, width, height, original_name AS originalName, metadata, created_at AS createdAt,
       created_by AS createdBy FROM assets WHERE sha256 = ?`,
  ).get(sha256) as AssetRow | undefined;
}

export function insertAsset(db: Db, a: AssetRow): void {
  sql(
    db,
    `INSERT OR IGNORE INTO assets (sha256, mime, size, width, height, original_name, metadata, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.sha256, a.mime, a.size, a.width, a.height, a.originalName, a.metadata, a.createdAt, a.createdBy);
}

/**
 * A photo's files in the data folder: the original under its SHA-256 (the record of
 * what was imported, which nothing else can replace), and a thumbnail and a preview
 * derived from it (which can always be made again from the original).
 */
export const DERIVED_WIDTHS: Record<ImageSize, number> = { thumb: 320, preview: 1280 };
const EXT = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

export function assetPath(dataDir: string, sha256: string, mime: AssetRow['mime']): string {
  return join(dataDir, 'assets', sha256.slice(0, 2), `${sha256}.${EXT[mime]}`);
}

export function derivedPath(dataDir: string, sha256: string, size: ImageSize): string {
  return join(dataDir, 'assets', 'derived', `${sha256}-${DERIVED_WIDTHS[size]}.webp`);
}

/** Every photo the library records, for the integrity check. */
export function allAssets(db: Db): Pick<AssetRow, 'sha256' | 'mime' | 'size' | 'originalName'>[] {
  return db.prepare('SELECT sha256, mime, size, original_name AS originalName FROM assets ORDER BY created_at').all() as Pick<
    AssetRow,
    'sha256' | 'mime' | 'size' | 'originalName'
  >[];
}
