import { useCallback, useEffect, useState } from 'react';
import { slugIsLive } from '../../../shared/slug.ts';
import { useClient, useEvent } from '../api/context.tsx';

/**
 * Whether the story is on a site now, so its slug is a live address (shared/slug.ts):
 * asked when the story opens and again whenever its publishing changes. False until
 * the answer comes; the back end refuses a changed live slug meanwhile.
 */
export function useLiveSlug(documentId: string): boolean {
  const client = useClient();
  const [live, setLive] = useState(false);
  const load = useCallback(() => {
    client.call('publishing.status', { documentId }).then(
      (rows) => setLive(slugIsLive(rows)),
      () => {},
    );
  }, [client, documentId]);
  useEffect(load, [load]);
  useEvent(
    'publishing.changed',
    useCallback((p) => (p.documentId === documentId || p.documentId === null) && load(), [documentId, load]),
  );
  return live;
}
