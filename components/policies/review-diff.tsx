"use client";
import { useRouter } from "next/navigation";
import { Fragment, useState, type FormEvent } from "react";
import { DateTime } from "@/components/date-time";
import type { LineDiffRow } from "@/lib/policies/line-diff";
import { reviewCommentSchema, type ReviewCommentView } from "@/lib/policies/review-comment-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import styles from "./policies.module.css";

// The side-by-side diff as a reviewer reads it: changed lines with a few lines of context,
// unchanged stretches folded (each opens on demand), and inline comment threads under the
// lines they are about, like a code review. Comments belong to the version under review
// ("to"); a line of either side can carry one.

/** Unchanged lines shown around each change. */
export const CONTEXT_LINES = 3;

type Side = "before" | "after";
type Anchor = { side: Side; line: number; text: string };
type Segment = { kind: "rows"; rows: LineDiffRow[]; start: number } | { kind: "fold"; rows: LineDiffRow[]; start: number };

/** Rows split into what is shown and the unchanged stretches folded away (longer than twice the context plus one). */
export function foldUnchanged(rows: LineDiffRow[], context = CONTEXT_LINES): Segment[] {
  const changed = rows.map((row) => row.kind !== "same");
  const near = rows.map((_, i) => {
    for (let d = -context; d <= context; d++) if (changed[i + d]) return true;
    return false;
  });
  const segments: Segment[] = [];
  let i = 0;
  while (i < rows.length) {
    const shown = near[i]!;
    let j = i;
    while (j < rows.length && near[j] === shown) j++;
    const slice = rows.slice(i, j);
    // A fold of one or two lines saves nothing: show them.
    if (!shown && slice.length > 2) segments.push({ kind: "fold", rows: slice, start: i });
    else if (segments.at(-1)?.kind === "rows") segments.at(-1)!.rows.push(...slice);
    else segments.push({ kind: "rows", rows: slice, start: i });
    i = j;
  }
  return segments;
}

export function ReviewDiff({
  rows,
  left,
  right,
  policyId,
  versionId,
  comments,
  canComment,
}: {
  rows: LineDiffRow[] | null;
  left: string;
  right: string;
  policyId: string;
  /** The version under review: comments are stored with it. */
  versionId: string;
  comments: ReviewCommentView[];
  canComment: boolean;
}) {
  const [opened, setOpened] = useState<Set<number>>(new Set());
  const [composing, setComposing] = useState<Anchor | null>(null);
  if (!rows) return <p className="muted">These documents are too large to show side by side; the list of changes above is complete.</p>;
  const segments = foldUnchanged(rows);
  const threads = threadsOf(comments);
  const threadsAt = (side: Side, line: number | undefined) => (line === undefined ? [] : threads.filter((t) => t.root.side === side && t.root.line === line));

  return (
    <div className="table-wrap">
      <table className={styles.sideBySide}>
        <caption className="visually-hidden">
          {left} and {right} side by side; removed lines are marked on the left, added lines on the right; unchanged stretches are folded.
        </caption>
        <colgroup>
          <col className={styles.lineNumber} />
          <col />
          <col className={styles.lineNumber} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" colSpan={2}>
              {left}
            </th>
            <th scope="col" colSpan={2}>
              {right}
            </th>
          </tr>
        </thead>
        <tbody>
          {segments.map((segment) =>
            segment.kind === "fold" && !opened.has(segment.start) ? (
              <tr key={`fold-${segment.start}`} className={styles.foldRow}>
                <td colSpan={4}>
                  <button type="button" className={styles.linkButton} onClick={() => setOpened((o) => new Set(o).add(segment.start))}>
                    Show {segment.rows.length} unchanged lines
                    {segment.rows[0]?.right ? ` (${segment.rows[0].right.number}–${segment.rows.at(-1)!.right!.number})` : ""}
                  </button>
                </td>
              </tr>
            ) : (
              segment.rows.map((row, offset) => {
                const index = segment.start + offset;
                const here = [...threadsAt("before", row.left?.number), ...threadsAt("after", row.right?.number)];
                const composingHere =
                  composing &&
                  ((composing.side === "before" && composing.line === row.left?.number) ||
                    (composing.side === "after" && composing.line === row.right?.number));
                return (
                  <Fragment key={index}>
                    <tr data-kind={row.kind}>
                      <LineCells side="before" cell={row.left} kind={row.kind} canComment={canComment} onComment={setComposing} />
                      <LineCells side="after" cell={row.right} kind={row.kind} canComment={canComment} onComment={setComposing} />
                    </tr>
                    {here.length > 0 || composingHere ? (
                      <tr className={styles.commentRow}>
                        <td colSpan={4}>
                          {here.map((thread) => (
                            <Thread key={thread.root.id} thread={thread} policyId={policyId} versionId={versionId} canComment={canComment} />
                          ))}
                          {composingHere && composing ? (
                            <CommentForm
                              policyId={policyId}
                              versionId={versionId}
                              anchor={composing}
                              onDone={() => setComposing(null)}
                              label={`Comment on line ${composing.line}`}
                            />
                          ) : null}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function LineCells({
  side,
  cell,
  kind,
  canComment,
  onComment,
}: {
  side: Side;
  cell: { number: number; text: string } | null;
  kind: LineDiffRow["kind"];
  canComment: boolean;
  onComment: (anchor: Anchor) => void;
}) {
  const marked = kind !== "same";
  const className = cell === null ? styles.lineEmpty : !marked ? undefined : side === "before" ? styles.lineRemoved : styles.lineAdded;
  return (
    <>
      <td className={styles.lineNumber}>
        {cell && canComment ? (
          <button
            type="button"
            className={styles.commentButton}
            aria-label={`Comment on ${side === "after" ? "line" : "earlier line"} ${cell.number}`}
            onClick={() => onComment({ side, line: cell.number, text: cell.text })}
          >
            {cell.number}
          </button>
        ) : (
          (cell?.number ?? "")
        )}
      </td>
      <td className={className}>
        {cell === null ? null : !marked ? (
          cell.text
        ) : side === "before" ? (
          <del>
            <span className="visually-hidden">removed: </span>
            {cell.text}
          </del>
        ) : (
          <ins>
            <span className="visually-hidden">added: </span>
            {cell.text}
          </ins>
        )}
      </td>
    </>
  );
}

type ThreadView = { root: ReviewCommentView; replies: ReviewCommentView[] };

function threadsOf(comments: ReviewCommentView[]): ThreadView[] {
  const roots = comments.filter((c) => c.parentId === null);
  return roots.map((root) => ({ root, replies: comments.filter((c) => c.parentId === root.id) }));
}

/** One thread: the comment, its replies, a reply box; "sent" once a request for changes carried it to the author. */
export function Thread({
  thread,
  policyId,
  versionId,
  canComment,
  showLine = false,
}: {
  thread: ThreadView;
  policyId: string;
  versionId: string;
  canComment: boolean;
  showLine?: boolean;
}) {
  const [replying, setReplying] = useState(false);
  return (
    <article className={styles.thread} aria-label={`Comment thread on line ${thread.root.line}`} data-testid="review-thread">
      {showLine ? (
        <p className="muted mono">
          {thread.root.side === "after" ? "Line" : "Earlier version, line"} {thread.root.line}: {thread.root.lineText.trim()}
        </p>
      ) : null}
      {[thread.root, ...thread.replies].map((comment) => (
        <div key={comment.id} className={styles.comment}>
          <p className={styles.commentMeta}>
            <strong>{comment.author.name}</strong>{" "}
            <span className="muted">
              <DateTime value={comment.createdAt} />
            </span>
            {comment.collectedAt ? <span className="badge badge-neutral">sent with a request for changes</span> : null}
          </p>
          <p className={styles.commentBody}>{comment.body}</p>
        </div>
      ))}
      {canComment ? (
        replying ? (
          <CommentForm
            policyId={policyId}
            versionId={versionId}
            parentId={thread.root.id}
            anchor={{ side: thread.root.side, line: thread.root.line, text: thread.root.lineText }}
            onDone={() => setReplying(false)}
            label="Reply"
          />
        ) : (
          <button type="button" className="button button-secondary button-small" onClick={() => setReplying(true)}>
            Reply
          </button>
        )
      ) : null}
    </article>
  );
}

function CommentForm({
  policyId,
  versionId,
  anchor,
  parentId,
  onDone,
  label,
}: {
  policyId: string;
  versionId: string;
  anchor: Anchor;
  parentId?: string;
  onDone: () => void;
  label: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget).get("body") ?? "").trim();
    if (!body) {
      setError("Write the comment.");
      return;
    }
    setPending(true);
    try {
      await apiRequest(`/policies/${policyId}/versions/${versionId}/comments`, {
        method: "POST",
        body: { side: anchor.side, line: anchor.line, lineText: anchor.text, body, ...(parentId ? { parentId } : {}) },
        schema: reviewCommentSchema,
      });
      onDone();
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(" ") : "The comment could not be saved.");
    } finally {
      setPending(false);
    }
  }
  const id = `comment-${anchor.side}-${anchor.line}-${parentId ?? "new"}`;
  return (
    <form onSubmit={submit} className={styles.commentForm} noValidate>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name="body" rows={3} autoFocus aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button-small" disabled={pending}>
          {pending ? "Saving…" : parentId ? "Reply" : "Add comment"}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Every thread of a version, with the line each is about: for its author on the version page and in the editor. */
export function ReviewThreads({
  policyId,
  versionId,
  comments,
  canComment,
}: {
  policyId: string;
  versionId: string;
  comments: ReviewCommentView[];
  canComment: boolean;
}) {
  const threads = threadsOf(comments);
  if (threads.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="review-comments-heading">
      <h2 id="review-comments-heading">Review comments ({comments.length})</h2>
      {threads.map((thread) => (
        <Thread key={thread.root.id} thread={thread} policyId={policyId} versionId={versionId} canComment={canComment} showLine />
      ))}
    </section>
  );
}
