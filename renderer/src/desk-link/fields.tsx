import { useId, type ReactNode } from 'react';

/** A labelled text field for the desk forms: Enter submits the form it is in. */
export function Field({
  label,
  value,
  onChange,
  type = 'text',
  autoComplete,
  placeholder,
  hint,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password';
  autoComplete?: string;
  placeholder?: string;
  hint?: ReactNode;
  autoFocus?: boolean;
}) {
  const hintId = useId();
  // The hint sits outside the label so the field's accessible name is exactly `label`.
  return (
    <div className="field">
      <label>
        {label}
        <input
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete}
          placeholder={placeholder}
          spellCheck={false}
          autoFocus={autoFocus}
          aria-describedby={hint ? hintId : undefined}
        />
      </label>
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
