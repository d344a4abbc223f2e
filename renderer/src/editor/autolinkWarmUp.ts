import { tokenize } from 'linkifyjs';
import { afterIdle } from '../idle.ts';

let pending = false;

/**
 * Autolink (typing "example.com " makes a link) asks linkify about the word before
 * every space. linkify builds its scanner, a state machine over every top-level
 * domain, on its first call after a reset: 3 to 20 ms, which landed on the first space
 * a reporter typed. And tiptap resets linkify whenever any editor is destroyed
 * (opening another story, closing a dialog). So the scanner is built again while the
 * window is idle, each time an editor appears or goes; when it is already built, this
 * costs microseconds.
 */
export function warmUpAutolink(): void {
  if (pending) return;
  pending = true;
  afterIdle(() => {
    pending = false;
    tokenize('galley.example');
  }, { deadlineMs: 2_000 });
}
