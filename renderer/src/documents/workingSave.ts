import type { GalleyClient, Input, Output } from '../../../shared/contract.ts';
import type { DocumentContent } from '../../../shared/documents.ts';
import { GalleyError } from '../../../shared/errors.ts';
import { deltaBase, makeDelta, type DeltaBase } from '../../../shared/workingDelta.ts';

type SaveInput = Omit<Input<'documents.saveWorking'>, 'content' | 'delta'> & { content: DocumentContent };

/** The back end could not apply a delta to its copy (it names `delta`): the whole content will do. */
function refusedDelta(error: unknown): boolean {
  return error instanceof GalleyError && error.code === 'conflict' && !!error.issues?.some((issue) => issue.path.startsWith('delta'));
}

/**
 * Sends one working-copy save: only the changes since `base` (what the back end
 * confirmed last) when there is one for this version, else the whole content, and the
 * whole content again if the back end cannot apply the changes. Resolves to the
 * answer and the base for the next save.
 */
export async function sendWorking(
  client: GalleyClient,
  { content, ...input }: SaveInput,
  base: DeltaBase | null,
): Promise<{ saved: Output<'documents.saveWorking'>; base: DeltaBase }> {
  const delta = base && base.version === input.version ? makeDelta(base, content) : null;
  let saved: Output<'documents.saveWorking'>;
  try {
    saved = await client.call('documents.saveWorking', delta ? { ...input, delta } : { ...input, content });
  } catch (error) {
    if (!delta || !refusedDelta(error)) throw error;
    saved = await client.call('documents.saveWorking', { ...input, content });
  }
  return { saved, base: deltaBase(saved.version, content) };
}
