import { GalleyError } from '../../shared/errors.ts';

/** Placeholder while an area is being built; never left in a landed handler map. */
export function notYet(name: string): () => Promise<never> {
  return async () => {
    throw new GalleyError('unavailable', `The desk cannot do ${name} yet.`);
  };
}
