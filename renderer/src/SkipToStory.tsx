/**
 * Skip to story: the page's first focusable element (shown when focused), past the top
 * bar and the story list to the open story's first field: Headline, Name, or the body.
 * With no story open it lands on the editor pane, whose text says what to do.
 */
export function SkipToStory() {
  return (
    <a
      href="#story"
      className="skip-link"
      onClick={(e) => {
        e.preventDefault();
        const pane = document.getElementById('story');
        const field = pane?.querySelector<HTMLElement>(
          'article input:not([type="file"]):not([type="checkbox"]), article textarea, article [contenteditable="true"]',
        );
        (field ?? pane)?.focus();
      }}
    >
      Skip to story
    </a>
  );
}
