import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DeskLink } from '../../../shared/contract.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';

export type DeskLinkValue = {
  /** null until the first desk.status answers. */
  link: DeskLink | null;
  /** Set when desk.status itself failed (the workstation's back end, not the desk). */
  error: string | null;
  reload: () => void;
  /** Every desk.* operation answers the new link: show it at once, without a second call. */
  apply: (link: DeskLink) => void;
};

const DeskLinkContext = createContext<DeskLinkValue | null>(null);

/**
 * One view of the workstation's link to the newsroom desk for the whole window: the
 * top bar, Settings and the first run all read it, so they never disagree. It is
 * refetched on every 'desk.changed' (state, person, waiting count).
 */
export function DeskLinkProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [link, setLink] = useState<DeskLink | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Answers can arrive out of order (an event's refetch racing a sign-in's answer):
  // only the newest request's answer is shown.
  const latest = useRef(0);

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    client.call('desk.status', {}).then(
      (next) => {
        if (ticket !== latest.current) return;
        setLink(next);
        setError(null);
      },
      (e: unknown) => {
        if (ticket === latest.current) setError(describeError(e));
      },
    );
  }, [client]);
  useEffect(reload, [reload]);
  useEvent('desk.changed', reload);

  const apply = useCallback((next: DeskLink) => {
    latest.current++;
    setLink(next);
    setError(null);
  }, []);

  const value = useMemo(() => ({ link, error, reload, apply }), [link, error, reload, apply]);
  return <DeskLinkContext.Provider value={value}>{children}</DeskLinkContext.Provider>;
}

export function useDeskLink(): DeskLinkValue {
  const value = useContext(DeskLinkContext);
  if (!value) throw new Error('useDeskLink outside DeskLinkProvider');
  return value;
}

/** With a desk configured (any state but 'alone'), the desk decides who is at the keyboard. */
export function inDeskMode(link: DeskLink | null): boolean {
  return link !== null && link.state !== 'alone';
}
