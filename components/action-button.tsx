"use client";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";

/**
 * A button that sends one API request about one record (a table row's "Remove", "Revoke"),
 * with the failure shown right beside it rather than in a form far away.
 */
export function ActionButton<T>({
  action,
  onDone,
  label,
  pendingLabel,
  className,
  children,
}: {
  action: () => Promise<T>;
  onDone: (result: T) => unknown;
  /** The accessible name: in a list, "Remove" alone does not say what is removed. */
  label: string;
  pendingLabel: string;
  className: string;
  children: ReactNode;
}) {
  const request = useMutation({ mutationFn: action, onSuccess: onDone });
  return (
    <div className="inline-action">
      <button type="button" className={className} onClick={() => request.mutate()} disabled={request.isPending} aria-label={label}>
        {request.isPending ? pendingLabel : children}
      </button>
      {request.error ? (
        <p className="field-error" role="alert">
          {request.error.message}
        </p>
      ) : null}
    </div>
  );
}
