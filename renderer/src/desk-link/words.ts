import type { DeskLink, DeskOutboxItem } from '../../../shared/contract.ts';

// The sentences the workstation shows about its link to the desk, kept apart from the
// components so the exact words (README / UI.md names) are tested in one place.

/** The words the top bar shows for the link; null when the workstation works alone. */
export function deskStatusText(link: DeskLink | null): string | null {
  if (!link) return null;
  switch (link.state) {
    case 'connected':
      return `Connected to ${link.deskName ?? link.address ?? 'the desk'}`;
    case 'offline':
      return 'Offline — changes will be sent';
    case 'signed-out':
      return 'Signed out';
    case 'alone':
      return null;
  }
}

export function outboxStateText(state: DeskOutboxItem['state']): string {
  return state === 'waiting' ? 'Waiting' : 'Refused by the desk';
}

export function waitingSentence(n: number): string {
  return n === 1 ? '1 change is waiting to be sent' : `${n} changes are waiting to be sent`;
}
