import { createHash } from 'node:crypto';
import type { DeskAsset, DeskOutput, DeskParsedInput } from '../../shared/desk.ts';
import { GalleyError } from '../../shared/errors.ts';
import type { DeskCaller, DeskContext } from '../context.ts';
import { signedIn } from '../dispatch.ts';
import { recordChange, tx } from '../db/pool.ts';
import { assets, toAsset } from './rows.ts';

/** The largest photo original the desk keeps (decoded bytes). */
export const MOST_ASSET_BYTES = 60 * 1024 * 1024;

/**
 * Photos' originals, content-addressed: the bytes must hash to the SHA-256 they are
 * sent under, and each is stored once (a second upload of the same photo is the first's answer).
 */
export async function put(ctx: DeskContext, input: DeskParsedInput<'assets.put'>, caller: DeskCaller): Promise<DeskAsset> {
  const person = signedIn(caller);
  const data = Buffer.from(input.data, 'base64');
  if (data.length > MOST_ASSET_BYTES) {
    throw new GalleyError('invalid_input', `That photo is ${Math.ceil(data.length / 1024 / 1024)} MB; the desk keeps photos up to 60 MB.`, [{ path: 'data', message: 'Too large' }]);
  }
  if (createHash('sha256').update(data).digest('hex') !== input.sha256) {
    throw new GalleyError('invalid_input', `The photo’s bytes do not match its SHA-256 ${input.sha256.slice(0, 12)}…; nothing was stored.`, [{ path: 'data', message: 'Hash does not match' }]);
  }
  return tx(ctx.pool, async (client) => {
    const now = ctx.now();
    const { rows } = await client.query(
      `INSERT INTO assets (sha256, file_name, mime, size, data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sha256) DO NOTHING RETURNING sha256, file_name, mime, size, created_at, uploaded_by`,
      [input.sha256, input.fileName, input.mime, data.length, data, person.id, now],
    );
    if (rows[0]) {
      await recordChange(client, 'asset', input.sha256, now);
      return toAsset(rows[0]);
    }
    return (await assets(client, [input.sha256])).get(input.sha256)!;
  });
}

export async function has(ctx: DeskContext, input: DeskParsedInput<'assets.has'>): Promise<DeskOutput<'assets.has'>> {
  const { rows } = await ctx.pool.query<{ sha256: string }>('SELECT sha256 FROM assets WHERE sha256 = ANY($1)', [[...new Set(input.sha256s)]]);
  return { held: rows.map((r) => r.sha256) };
}

export async function get(ctx: DeskContext, input: DeskParsedInput<'assets.get'>): Promise<DeskOutput<'assets.get'>> {
  const { rows } = await ctx.pool.query('SELECT sha256, file_name, mime, size, created_at, uploaded_by, data FROM assets WHERE sha256 = $1', [input.sha256]);
  if (!rows[0]) throw new GalleyError('not_found', 'The desk does not have that photo.', [{ path: 'sha256', message: 'Unknown photo' }]);
  return { ...toAsset(rows[0]), data: (rows[0].data as Buffer).toString('base64') };
}
