import type { DeskInput, DeskOperationName, DeskOutput } from '../../../shared/desk.ts';

/**
 * How the workstation's desk code calls the desk: the answer, or a GalleyError — the
 * desk's own refusal (forbidden, conflict, unauthenticated…) or, when the desk could
 * not be reached or answered garbage, code 'unavailable' (the caller keeps the work
 * and tries again later). client.ts makes one over HTTP; tests may make one in-process.
 */
export type DeskCaller = {
  call<K extends DeskOperationName>(name: K, input: DeskInput<K>): Promise<DeskOutput<K>>;
};
