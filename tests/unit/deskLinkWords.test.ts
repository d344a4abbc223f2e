import { describe, expect, it } from 'vitest';
import type { DeskLink } from '../../shared/contract.ts';
import { deskStatusText, outboxStateText, waitingSentence } from '../../renderer/src/desk-link/words.ts';

const link = (over: Partial<DeskLink>): DeskLink => ({
  state: 'connected',
  address: 'http://desk.example.org',
  deskName: 'Harbour Desk',
  needsSetup: false,
  person: null,
  waiting: 0,
  lastError: null,
  lastSyncAt: null,
  ...over,
});

// The top bar's words are names people and tests find (README: Newsroom desk).
describe('the top bar says how the desk link stands', () => {
  it('names the desk when connected, or its address before it has a name', () => {
    expect(deskStatusText(link({}))).toBe('Connected to Harbour Desk');
    expect(deskStatusText(link({ deskName: null }))).toBe('Connected to http://desk.example.org');
  });
  it('says changes will be sent when offline, and Signed out when signed out', () => {
    expect(deskStatusText(link({ state: 'offline' }))).toBe('Offline — changes will be sent');
    expect(deskStatusText(link({ state: 'signed-out' }))).toBe('Signed out');
  });
  it('says nothing when the workstation works alone or the link is not known yet', () => {
    expect(deskStatusText(link({ state: 'alone', address: null, deskName: null }))).toBeNull();
    expect(deskStatusText(null)).toBeNull();
  });
  it('words the outbox plainly', () => {
    expect(outboxStateText('waiting')).toBe('Waiting');
    expect(outboxStateText('refused')).toBe('Refused by the desk');
    expect(waitingSentence(1)).toBe('1 change is waiting to be sent');
    expect(waitingSentence(3)).toBe('3 changes are waiting to be sent');
  });
});
