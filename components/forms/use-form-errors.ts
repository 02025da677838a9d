"use client";
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { z } from "zod";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import type { FieldError } from "@/lib/errors/app-error";
import { ApiError } from "@/lib/query/api-client";

export type FormErrors = {
  /** The message for one field (its name as in the request body), if any. */
  field: (name: string) => string | undefined;
  /** The problem's detail, plus field errors no rendered field could show. */
  form: { message: string; extra: string[] } | null;
  fromError: (error: unknown) => void;
  /** Validates with the request schema; returns the parsed value or null (errors shown). */
  validate: <S extends z.ZodType>(schema: S, values: unknown) => z.output<S> | null;
  clear: () => void;
};

/**
 * Field and form errors of one form, from client-side validation with the API's own
 * schema or from the API's problem+json. Paths look like `body.name`, as the API sends them.
 * After errors appear, focus moves to the first invalid field (or the form's alert).
 */
export function useFormErrors(formRef: RefObject<HTMLFormElement | null>, fieldNames: readonly string[]): FormErrors {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [form, setForm] = useState<FormErrors["form"]>(null);
  const [generation, setGeneration] = useState(0);
  // The fields of a form do not change while it is mounted.
  const names = useRef(fieldNames);

  const show = useCallback((message: string | null, errors: FieldError[]) => {
    const byField: Record<string, string> = {};
    const extra: string[] = [];
    for (const error of errors) {
      const name = error.path.replace(/^body\.?/, "");
      const known = names.current.find((n) => name === n || name.startsWith(`${n}.`));
      if (known) byField[known] = byField[known] ? `${byField[known]}; ${error.message}` : error.message;
      else extra.push(name ? `${name}: ${error.message}` : error.message);
    }
    setFieldErrors(byField);
    setForm(message || extra.length > 0 ? { message: message ?? "Check the highlighted fields.", extra } : null);
    setGeneration((g) => g + 1);
  }, []);

  useEffect(() => {
    if (generation === 0) return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [generation, formRef]);

  const fromError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) show(error.message, error.fieldErrors);
      else show(error instanceof Error ? error.message : "Something went wrong.", []);
    },
    [show],
  );

  const validate = useCallback(
    <S extends z.ZodType>(schema: S, values: unknown): z.output<S> | null => {
      const parsed = schema.safeParse(values);
      if (parsed.success) return parsed.data;
      show("Some fields need attention.", zodFieldErrors(parsed.error, "body"));
      return null;
    },
    [show],
  );

  const clear = useCallback(() => {
    setFieldErrors({});
    setForm(null);
  }, []);

  return { field: (name) => fieldErrors[name], form, fromError, validate, clear };
}
