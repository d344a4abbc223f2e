import { getSetting, setSetting } from '../../db/settings.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import { Retention } from '../../shared/revisions.ts';
import type { ServiceContext } from './context.ts';

const RETENTION = 'retention';

/** Default: keep every version. A newsroom opts in to thinning old autosaves. */
export function retention(ctx: ServiceContext): Retention {
  const raw = getSetting(ctx.db, RETENTION);
  const parsed = raw ? Retention.safeParse(JSON.parse(raw)) : undefined;
  return parsed?.success ? parsed.data : { mode: 'keep-all' };
}

export function getSettings(ctx: ServiceContext): Output<'settings.get'> {
  return { retention: retention(ctx) };
}

export function updateSettings(ctx: ServiceContext, input: ParsedInput<'settings.update'>): Output<'settings.update'> {
  setSetting(ctx.db, RETENTION, JSON.stringify(input.retention));
  return getSettings(ctx);
}
