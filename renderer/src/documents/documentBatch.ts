import { MOST_DOCUMENTS_PER_CALL, type GalleyClient } from '../../../shared/contract.ts';
import type { DocumentRecord } from '../../../shared/documents.ts';
import { GalleyError } from '../../../shared/errors.ts';

type Waiting = { id: string; resolve: (document: DocumentRecord) => void; reject: (error: unknown) => void };
const queues = new WeakMap<GalleyClient, Waiting[]>();

/**
 * Opens a document together with every other one asked for in the same turn: the 20
 * figures of a long article open their caption documents with one request
 * (documents.getMany) instead of 20. Each request costs the window a few milliseconds
 * of its own, and opening a story made them all at once, before it could be typed in.
 * A document that cannot be opened fails alone, with its own reason.
 */
export function getDocumentBatched(client: GalleyClient, id: string): Promise<DocumentRecord> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(client);
    if (!queue) {
      queues.set(client, (queue = []));
      // The next task, not a microtask: a story's figures mount over more than one of React's commits.
      setTimeout(() => send(client), 0);
    }
    queue.push({ id, resolve, reject });
  });
}

function send(client: GalleyClient) {
  const queue = queues.get(client) ?? [];
  queues.delete(client);
  const ids = [...new Set(queue.map((w) => w.id))];
  for (let i = 0; i < ids.length; i += MOST_DOCUMENTS_PER_CALL) {
    const chunk = new Set(ids.slice(i, i + MOST_DOCUMENTS_PER_CALL));
    const waiting = queue.filter((w) => chunk.has(w.id));
    client.call('documents.getMany', { ids: [...chunk] }).then(
      (answers) => {
        const byId = new Map(answers.map((a) => [a.id, a]));
        for (const w of waiting) {
          const answer = byId.get(w.id);
          if (!answer) w.reject(new GalleyError('internal', 'The back end did not answer for this document.'));
          else if ('document' in answer) w.resolve(answer.document);
          else w.reject(GalleyError.fromBody(answer.error));
        }
      },
      (error: unknown) => waiting.forEach((w) => w.reject(error)),
    );
  }
}
