import { z } from "zod";

// Inline review comments on the lines of a version's diff (lib/policies/*-review-comment*).

export const MAX_COMMENT_LENGTH = 4000;

export const reviewCommentInput = z.strictObject({
  /** "after": a line of this version's document; "before": a line of the version it is compared with. */
  side: z.enum(["before", "after"]),
  line: z.number().int().min(1).max(100_000),
  /** The line as the commenter saw it, kept so the comment still makes sense after the draft changes. */
  lineText: z.string().max(2000),
  body: z.string().trim().min(1, "write the comment").max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`),
  /** A reply: the comment that starts the thread. */
  parentId: z.uuid({ error: "must be a comment id (UUID)" }).optional(),
});
export type ReviewCommentInput = z.input<typeof reviewCommentInput>;

export const reviewCommentSchema = z.object({
  id: z.uuid(),
  versionId: z.uuid(),
  parentId: z.uuid().nullable(),
  side: z.enum(["before", "after"]),
  line: z.number().int(),
  lineText: z.string(),
  body: z.string(),
  author: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
  /** When a "request changes" sent it to the author; null while open. */
  collectedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type ReviewCommentView = z.output<typeof reviewCommentSchema>;

export const reviewCommentListSchema = z.object({ items: z.array(reviewCommentSchema) });
