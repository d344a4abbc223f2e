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
