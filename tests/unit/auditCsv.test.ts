import { describe, expect, it } from 'vitest';
import { auditCsv } from '../../shared/auditCsv.ts';

describe('the audit trail as CSV', () => {
  it('writes one row per step, oldest first, quoting what needs it and defusing formulas', () => {
    const base = { documentId: 'd', actorId: 'a', revisionId: 'abc', createdAt: Date.UTC(2026, 10, 28, 9, 30) };
    const csv = auditCsv('Ferry, fares', [
      { ...base, id: 2, actorName: 'Rosa Imbert', action: 'requestChanges', fromStatus: 'submitted', toStatus: 'changes_requested', note: '=HYPERLINK("x") say "how much"' },
      { ...base, id: 1, actorName: 'Amara Osei', action: 'submit', fromStatus: 'draft', toStatus: 'submitted', note: null },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'document,time (UTC),who,action,from,to,revision,note',
      '"Ferry, fares",2026-11-28T09:30:00.000Z,Amara Osei,submit,draft,submitted,abc,',
      `"Ferry, fares",2026-11-28T09:30:00.000Z,Rosa Imbert,requestChanges,submitted,changes_requested,abc,"'=HYPERLINK(""x"") say ""how much"""`,
      '',
    ]);
  });
});
