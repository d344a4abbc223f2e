import type { DeskHandlers } from './context.ts';
import { peopleHandlers } from './services/people.ts';
import { syncHandlers } from './services/sync.ts';
import { publishingHandlers } from './services/publishing.ts';

/** One handler per desk operation (shared/desk.ts); the type makes a missing one a compile error. */
export const deskHandlers: DeskHandlers = { ...peopleHandlers, ...syncHandlers, ...publishingHandlers };
