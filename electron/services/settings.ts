import { getSetting, setSetting } from '../../db/settings.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import { Appearance } from '../../shared/appearance.ts';
import { GalleyError } from '../../shared/errors.ts';
import { ROLE_LABELS } from '../../shared/people.ts';
import { Retention } from '../../shared/revisions.ts';
import type { Caller, ServiceContext } from './context.ts';

const RETENTION = 'retention';
const APPEARANCE = 'appearance';

/** Default: keep every version. A newsroom opts in to thinning old autosaves. */
export function retention(ctx: ServiceContext): Retention {
  const raw = getSetting(ctx.db, RETENTION);
  const parsed = raw ? Retention.safeParse(JSON.parse(raw)) : undefined;
  return parsed?.success ? parsed.data : { mode: 'keep-all' };
}

/** Default: follow the system. A stored value this version does not know also falls back. */
export function appearance(ctx: ServiceContext): Appearance {
  const raw = getSetting(ctx.db, APPEARANCE);
  const parsed = raw ? Appearance.safeParse(JSON.parse(raw)) : undefined;
  return parsed?.success ? parsed.data : 'system';
}

export function getSettings(ctx: ServiceContext): Output<'settings.get'> {
  return { retention: retention(ctx), appearance: appearance(ctx) };
}

export function updateSettings(ctx: ServiceContext, input: ParsedInput<'settings.update'>, caller: Caller): Output<'settings.update'> {
  // Retention decides what history the newsroom keeps: an editor's call. Appearance is
  // anyone's. Checked before anything is written, so a refused call changes nothing.
  if (input.retention && caller.person?.role !== 'editor') {
    const role = caller.person ? ROLE_LABELS[caller.person.role] : 'No one';
    throw new GalleyError('forbidden', `${role} may not do this (change how long versions are kept).`);
  }
  if (input.retention) setSetting(ctx.db, RETENTION, JSON.stringify(input.retention));
  if (input.appearance) setSetting(ctx.db, APPEARANCE, JSON.stringify(input.appearance));
  return getSettings(ctx);
}
