/**
 * Numbered list's toolbar picture: three lines with 1, 2, 3 beside them. It used to be
 * the text "1.", which a voice-control user would read and say, but the button's name
 * is "Numbered list" (axe: label-content-name-mismatch). A picture is not a label, so
 * the name alone is what the button answers to, as for the other icon buttons.
 */
export function NumberedListIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1.1em" height="1.1em" aria-hidden="true" focusable="false" className="tool-icon">
      <g fill="none" stroke="currentColor" strokeLinecap="round" strokeLinejoin="round">
        <path strokeWidth="1.4" d="M2.8 4.2 4.4 3v5.5" />
        <path strokeWidth="1.4" d="M2.6 11.4c.4-1 2.6-1.2 2.6.3 0 1-2.6 2.3-2.6 3.3h2.8" />
        <path strokeWidth="1.4" d="M2.6 17.4h2.6l-1.4 1.6c1 0 1.6.5 1.6 1.2 0 1.2-2 1.5-2.8.6" />
        <path strokeWidth="2" d="M9 6h12M9 13h12M9 20h12" />
      </g>
    </svg>
  );
}
