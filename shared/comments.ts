import { z } from 'zod';

export const Comment = z.object({
  id: z.string(),
  documentId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  /** The text commented on, as it was when the comment was made. */
  quote: z.string(),
  from: z.number(),
  to: z.number(),
  /** The commented text has been deleted; the comment stays. */
  detached: z.boolean(),
  createdAt: z.number(),
  resolvedAt: z.number().nullable(),
  resolvedByName: z.string().nullable(),
  /**
   * A reply: the comment (the thread's first) it answers. Replies have no anchor of
   * their own and are shown under their thread. Absent from a desk that predates
   * replies, hence the default.
   */
  parentId: z.string().nullable().default(null),
});
export type Comment = z.infer<typeof Comment>;

export const CommentAnchor = z.object({
  id: z.string(),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  detached: z.boolean(),
});
export type CommentAnchor = z.infer<typeof CommentAnchor>;
