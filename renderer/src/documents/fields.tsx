import { useState } from 'react';

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
};

export function TextField({ label, value, onChange, readOnly, multiline, hint, problem, type = 'text', list }: FieldProps) {
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
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} list={list} min={type === 'number' ? 1 : undefined} onChange={(e) => onChange(e.target.value)} />
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
