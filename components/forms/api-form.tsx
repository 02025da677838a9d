"use client";
import { useMutation, type UseMutationOptions, type UseMutationResult } from "@tanstack/react-query";
import { useRef, type FormEvent, type FormHTMLAttributes, type ReactNode, type RefObject } from "react";
import { FormAlert, SubmitButton } from "./fields";
import { useFormErrors, type FormErrors } from "./use-form-errors";

export type ApiFormOptions<TInput, TResult> = {
  /** The request body's field names, so that the API's field errors land next to their fields. */
  fields: readonly string[];
  /**
   * The request body from the submitted values, usually `errors.validate(requestSchema, …)`.
   * Returning null stops the submit; show why through `errors` first.
   */
  input: (data: FormData, errors: FormErrors) => TInput | null;
  mutationFn: (input: TInput) => Promise<TResult>;
  onSuccess?: (result: TResult, input: TInput) => void;
  /** Replaces the default (the error shown on the form), for errors the form presents itself. */
  onError?: (error: Error, errors: FormErrors) => void;
  /**
   * Success navigates away. The submit button stays disabled until the next page is shown,
   * so a second click cannot send the request twice.
   */
  leavesPage?: boolean;
  meta?: UseMutationOptions<TResult, Error, TInput>["meta"];
};

export type ApiFormState<TInput, TResult> = {
  ref: RefObject<HTMLFormElement | null>;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  errors: FormErrors;
  /** The last submit's request: its result (`data`, `variables`) or error, until the next submit. */
  mutation: UseMutationResult<TResult, Error, TInput>;
  pending: boolean;
};

/**
 * The submit plumbing every API-backed form shares: read the values, validate them (with
 * the API's own request schema where the form has one), send them, and show the API's
 * problem+json on the form. A new submit clears the previous outcome, so a success
 * message or an error never outlives the attempt that produced it.
 */
export function useApiForm<TInput, TResult>(options: ApiFormOptions<TInput, TResult>): ApiFormState<TInput, TResult> {
  const ref = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(ref, options.fields);
  const mutation = useMutation<TResult, Error, TInput>({
    mutationFn: options.mutationFn,
    meta: options.meta,
    onSuccess: (result, input) => options.onSuccess?.(result, input),
    onError: (error) => (options.onError ? options.onError(error, errors) : errors.fromError(error)),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.reset();
    const input = options.input(new FormData(event.currentTarget), errors);
    if (input === null) return;
    errors.clear();
    mutation.mutate(input);
  }

  return { ref, onSubmit, errors, mutation, pending: mutation.isPending || (Boolean(options.leavesPage) && mutation.isSuccess) };
}

type ApiFormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit" | "noValidate" | "children"> & {
  form: Pick<ApiFormState<unknown, unknown>, "ref" | "onSubmit" | "errors" | "pending">;
  submitLabel: ReactNode;
  pendingLabel?: string;
  /** Rendered first, inside the form (a heading the form is labelled by). */
  heading?: ReactNode;
  /** A status line after a successful submit. */
  success?: ReactNode;
  children: ReactNode;
};

/**
 * The form element of `useApiForm`: the API's errors on top, the fields, one submit button.
 * Browser validation is off (`noValidate`): the API's schema decides, and its messages are
 * shown next to the fields instead of the browser's.
 */
export function ApiForm({ form: { ref, onSubmit, errors, pending }, submitLabel, pendingLabel, heading, success, children, ...attributes }: ApiFormProps) {
  return (
    <form ref={ref} onSubmit={onSubmit} noValidate {...attributes}>
      {heading}
      <FormAlert errors={errors.form} />
      {success ? (
        <p className="alert alert-success" role="status">
          {success}
        </p>
      ) : null}
      {children}
      <div className="button-row">
        <SubmitButton pending={pending} pendingLabel={pendingLabel}>
          {submitLabel}
        </SubmitButton>
      </div>
    </form>
  );
}
