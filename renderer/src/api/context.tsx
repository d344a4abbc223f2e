import { createContext, useContext, useEffect } from 'react';
import type { EventName, EventPayload, GalleyClient } from '../../../shared/contract.ts';

export const ClientContext = createContext<GalleyClient | null>(null);

export function useClient(): GalleyClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientContext');
  return client;
}

/** Subscribes for the component's lifetime; `fn` may change between renders. */
export function useEvent<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void): void {
  const client = useClient();
  useEffect(() => client.subscribe(event, fn), [client, event, fn]);
}
