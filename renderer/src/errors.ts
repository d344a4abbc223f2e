import { GalleyError } from '../../shared/errors.ts';

/** The sentence to show a person for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof GalleyError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
