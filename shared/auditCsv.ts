import type { WorkflowEvent } from './workflow.ts';

/**
 * The audit trail as CSV (RFC 4180). Cells that a spreadsheet would read as a formula
 * (= + - @ at the start) are prefixed with an apostrophe: a note typed into Galley must
 * not run in the newsroom's spreadsheet.
 */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(title: string, events: WorkflowEvent[]): string {
  const rows = [['document', 'time (UTC)', 'who', 'action', 'from', 'to', 'revision', 'note']];
  for (const e of [...events].reverse()) {
    rows.push([title, new Date(e.createdAt).toISOString(), e.actorName, e.action, e.fromStatus, e.toStatus, e.revisionId ?? '', e.note ?? '']);
  }
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
