import { useState, type ChangeEvent } from 'react';
import { typesetTyped } from '../../../shared/typography.ts';

type FieldProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  multiline?: boolean;
  hint?: string;
  problem?: string | null;
  type?: 'text' | 'email' | 'number';
  /** A datalist of suggestions. */
  list?: string;
  /** Prose (headline, dek, alt text): curly quotes, dashes and ellipses as typed. */
  typeset?: boolean;
};

export function TextField({ label, value, onChange, readOnly, multiline, hint, problem, type = 'text', list, typeset = false }: FieldProps) {
  const id = `field-${label.toLowerCase().replace(/\W+/g, '-')}`;
  const describedBy = [hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    readOnly,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
    spellCheck: type === 'text',
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => changed(e, onChange, typeset)} />
      ) : (
        <input {...common} type={type} list={list} min={type === 'number' ? 1 : undefined} onChange={(e) => changed(e, onChange, typeset)} />
      )}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {problem && (
        <span id={`${id}-problem`} className="problem">
          {problem}
        </span>
      )}
    </div>
  );
}

/**
 * Passes the new value on, then, in a prose box, converts what was just typed (see
 * shared/typography.ts). The conversion is typed into the box with
 * execCommand('insertText'), not set as its value: that puts it on the browser's own
 * undo stack as a step of its own, so Ctrl+Z right after it gives back the straight
 * quote, as in the body. It waits for React to finish with the keystroke (a microtask,
 * before the next key), and its own input event comes back here as a new value,
 * through the same onChange and save as any typing.
 */
function changed(e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>, onChange: (value: string) => void, typeset: boolean) {
  const box = e.target;
  onChange(box.value);
  if (!typeset) return;
  const input = e.nativeEvent as InputEvent;
  const last = converted.get(box);
  converted.delete(box);
  if (input.inputType === 'historyUndo' && last) {
    // Undoing the conversion selects the straight quote it put back (the browser
    // reselects what an undone replacement covered), and the next key would type over
    // it: the caret goes back after it instead, as the body's undo leaves it.
    queueMicrotask(() => {
      if (box.value === last.typed && box.selectionStart === last.from && box.selectionEnd === last.to) box.setSelectionRange(last.caret, last.caret);
    });
    return;
  }
  if (input.inputType !== 'insertText' || !input.data || box.selectionStart === null || box.selectionStart !== box.selectionEnd) return;
  const typed = box.value;
  const caret = box.selectionStart;
  const result = typesetTyped(typed, caret, input.data);
  if (!result) return;
  queueMicrotask(() => {
    // Only onto the text the rule saw, in the box the person is typing in.
    if (box.value !== typed || box.ownerDocument.activeElement !== box) return;
    box.setSelectionRange(result.from, result.to);
    if (!box.ownerDocument.execCommand('insertText', false, result.insert)) return;
    box.setSelectionRange(result.caret, result.caret);
    converted.set(box, { typed, from: result.from, to: result.to, caret });
  });
}

/** Each box's last conversion, until the next input: what an undo of it gives back. */
const converted = new WeakMap<EventTarget, { typed: string; from: number; to: number; caret: number }>();

/** A comma-separated list (tags, languages) that keeps what is being typed, trailing comma and all. */
export function ListField({
  label,
  value,
  onChange,
  readOnly,
  hint,
}: {
  label: string;
  value: string[];
  onChange: (value: string[]) => void;
  readOnly: boolean;
  hint?: string;
}) {
  const [text, setText] = useState(value.join(', '));
  return (
    <TextField
      label={label}
      value={text}
      readOnly={readOnly}
      hint={hint ?? 'Separate with commas'}
      onChange={(t) => {
        setText(t);
        onChange(
          t
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}
