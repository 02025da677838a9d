"use client";
import { useId } from "react";
import { SelectField, TextAreaField, TextField } from "@/components/forms/fields";
import { DENY_FAMILIES, DENY_FAMILY_LABELS, DENY_RULE_DESCRIPTIONS, DENY_RULES } from "@/lib/policy-spec";
import type { OpenApiOperation } from "@/lib/policy-spec/openapi-operations";
import type { FieldErrors } from "./policy-errors";
import styles from "./policies.module.css";

// Deny-rule exceptions as a form: the rule picked from the catalog (grouped by family,
// each described), the request part and its name, paths and methods suggested from the
// application's OpenAPI operations, an expiry date no later than the baseline allows,
// the justification and ticket. Each field shows the errors that name it
// ("exceptions.2.justification"); the YAML tab edits the same list.

type Exception = Record<string, unknown> & { conditions?: { paths?: string[]; methods?: string[] } };

const PARTS = [
  { value: "parameter", label: "Query or form parameter", location: "query" },
  { value: "header", label: "Header", location: "header" },
  { value: "cookie", label: "Cookie", location: "cookie" },
  { value: "path", label: "The path itself", location: null },
  { value: "json-pointer", label: "A field of a JSON body", location: null },
] as const;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

export type ExceptionEditorProps = {
  value: unknown;
  onChange: (value: unknown) => void;
  errors: FieldErrors;
  operations: readonly OpenApiOperation[];
  /** Today (UTC, YYYY-MM-DD) and the baseline's longest allowed lifetime: the date picker's range. */
  today: string;
  maxLifetimeDays: number;
};

export function ExceptionEditor({ value, onChange, errors, operations, today, maxLifetimeDays }: ExceptionEditorProps) {
  const list: Exception[] = Array.isArray(value) ? (value as Exception[]) : [];
  const set = (index: number, next: Exception) => onChange(list.map((e, i) => (i === index ? next : e)));
  const remove = (index: number) => {
    const next = list.filter((_, i) => i !== index);
    onChange(next.length > 0 ? next : undefined);
  };
  const latest = addDays(today, maxLifetimeDays);
  return (
    <div className={styles.exceptionList} data-field="exceptions">
      {messages(errors, "exceptions") ? <p className="field-error">{messages(errors, "exceptions")}</p> : null}
      {list.length === 0 ? <p className="muted">No exceptions: every deny rule applies everywhere.</p> : null}
      {list.map((exception, index) => (
        <ExceptionFields
          key={index}
          index={index}
          exception={exception}
          onChange={(next) => set(index, next)}
          onRemove={() => remove(index)}
          errors={errors}
          operations={operations}
          today={today}
          latest={latest}
          maxLifetimeDays={maxLifetimeDays}
        />
      ))}
      <p>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() =>
            onChange([
              ...list,
              {
                id: `exception-${list.length + 1}`,
                part: "parameter",
                conditions: { paths: [] },
                justification: "",
                expires: addDays(today, Math.min(30, maxLifetimeDays)),
              },
            ])
          }
        >
          Add an exception
        </button>
      </p>
    </div>
  );
}

function ExceptionFields({
  index,
  exception,
  onChange,
  onRemove,
  errors,
  operations,
  today,
  latest,
  maxLifetimeDays,
}: {
  index: number;
  exception: Exception;
  onChange: (next: Exception) => void;
  onRemove: () => void;
  errors: FieldErrors;
  operations: readonly OpenApiOperation[];
  today: string;
  latest: string;
  maxLifetimeDays: number;
}) {
  const id = useId();
  const key = (field: string) => `exceptions.${index}.${field}`;
  const error = (field: string) => messages(errors, key(field));
  const field = (name: string) => ({ "data-field": key(name) }) as Record<string, string>;
  const put = (field: string, next: unknown) => {
    const copy: Exception = { ...exception };
    if (next === undefined || next === "") delete copy[field];
    else copy[field] = next;
    onChange(copy);
  };
  const conditions = exception.conditions ?? {};
  const putConditions = (next: { paths?: string[]; methods?: string[] }) => {
    const merged = { ...conditions, ...next };
    if (!merged.methods || merged.methods.length === 0) delete merged.methods;
    onChange({ ...exception, conditions: merged });
  };
  const rule = typeof exception.ruleId === "string" ? `rule:${exception.ruleId}` : typeof exception.family === "string" ? `family:${exception.family}` : "";
  const ruleDescription =
    typeof exception.ruleId === "string"
      ? DENY_RULE_DESCRIPTIONS[exception.ruleId]
      : typeof exception.family === "string"
        ? `Every ${DENY_FAMILY_LABELS[exception.family as keyof typeof DENY_FAMILY_LABELS] ?? exception.family} rule.`
        : undefined;
  const part = typeof exception.part === "string" ? exception.part : "parameter";
  const location = PARTS.find((p) => p.value === part)?.location ?? null;
  const paths = conditions.paths ?? [];
  const names = [
    ...new Set(
      operations.filter((o) => paths.length === 0 || paths.includes(o.path)).flatMap((o) => o.parameters.filter((p) => p.in === location).map((p) => p.name)),
    ),
  ];

  return (
    <fieldset className={`fieldset ${styles.exceptionItem}`} aria-labelledby={`${id}-legend`}>
      <legend id={`${id}-legend`}>Exception {index + 1}</legend>
      <div className={styles.fieldGrid}>
        <TextField
          label="Id"
          name={key("id")}
          value={String(exception.id ?? "")}
          onChange={(e) => put("id", e.target.value)}
          error={error("id")}
          hint="A short name, unique in this policy."
          {...field("id")}
        />
        <div className="field">
          <label htmlFor={`${id}-rule`}>Rule</label>
          <select
            id={`${id}-rule`}
            value={rule}
            data-field={key("family")}
            aria-invalid={Boolean(error("family") || error("ruleId"))}
            aria-describedby={`${id}-rule-hint`}
            onChange={(e) => {
              const [kind, name] = e.target.value.split(":") as [string, string];
              const { family: _family, ruleId: _ruleId, ...rest } = exception;
              void _family;
              void _ruleId;
              onChange(kind === "rule" ? { ...rest, ruleId: name } : kind === "family" ? { ...rest, family: name } : rest);
            }}
          >
            <option value="">Choose a rule…</option>
            {DENY_FAMILIES.map((family) => (
              <optgroup key={family} label={DENY_FAMILY_LABELS[family]}>
                <option value={`family:${family}`}>
                  All {DENY_FAMILY_LABELS[family]} rules ({family})
                </option>
                {DENY_RULES.filter(([, f]) => f === family).map(([ruleId]) => (
                  <option key={ruleId} value={`rule:${ruleId}`} title={DENY_RULE_DESCRIPTIONS[ruleId]}>
                    {ruleId} — {DENY_RULE_DESCRIPTIONS[ruleId]}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <p id={`${id}-rule-hint`} className="field-hint">
            {ruleDescription ?? "One rule (as the proxy's decision log names it), or a whole family."}
          </p>
          {error("family") || error("ruleId") ? <p className="field-error">Rule: {error("family") ?? error("ruleId")}</p> : null}
        </div>
        <SelectField
          label="Request part"
          name={key("part")}
          value={part}
          onChange={(e) => onChange(withPart(exception, e.target.value))}
          options={PARTS.map(({ value, label }) => ({ value, label }))}
          error={error("part")}
          {...field("part")}
        />
        {location ? (
          <TextField
            label={`${part === "parameter" ? "Parameter" : part === "header" ? "Header" : "Cookie"} name`}
            name={key("name")}
            value={String(exception.name ?? "")}
            onChange={(e) => put("name", e.target.value)}
            list={`${id}-names`}
            error={error("name")}
            hint={names.length > 0 ? `From the OpenAPI document: ${names.join(", ")}.` : undefined}
            {...field("name")}
          />
        ) : part === "json-pointer" ? (
          <TextField
            label="JSON pointer"
            name={key("pointer")}
            value={String(exception.pointer ?? "")}
            onChange={(e) => put("pointer", e.target.value)}
            error={error("pointer")}
            hint="e.g. /description"
            {...field("pointer")}
          />
        ) : null}
        <datalist id={`${id}-names`}>
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <OperationPicker operations={operations} onPick={(operation) => putConditions({ paths: [operation.path], methods: [operation.method] })} />
      <div className={styles.fieldGrid}>
        <TextAreaField
          label="Paths"
          name={key("conditions.paths")}
          rows={2}
          className={styles.code}
          value={paths.join("\n")}
          onChange={(e) =>
            putConditions({
              paths: e.target.value
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean),
            })
          }
          error={error("conditions.paths") ?? error("conditions")}
          hint="One path pattern per line, such as /payments/search or /payments/{id}."
          {...field("conditions.paths")}
        />
        <fieldset className="fieldset">
          <legend>Methods</legend>
          <ul className="checkbox-list">
            {METHODS.map((method) => (
              <li key={method}>
                <label>
                  <input
                    type="checkbox"
                    checked={(conditions.methods ?? []).includes(method)}
                    onChange={(e) =>
                      putConditions({ methods: METHODS.filter((m) => (m === method ? e.target.checked : (conditions.methods ?? []).includes(m))) })
                    }
                  />
                  <span className="mono">{method}</span>
                </label>
              </li>
            ))}
          </ul>
          <p className="field-hint">None chosen: every method.</p>
          {error("conditions.methods") ? <p className="field-error">Methods: {error("conditions.methods")}</p> : null}
        </fieldset>
        <TextField
          label="Expires"
          type="date"
          name={key("expires")}
          min={today}
          max={latest}
          value={String(exception.expires ?? "")}
          onChange={(e) => put("expires", e.target.value)}
          error={error("expires")}
          hint={`At most ${maxLifetimeDays} days from today (${latest}), as the baseline allows.`}
          {...field("expires")}
        />
        <TextField
          label="Ticket"
          name={key("ticket")}
          required={false}
          value={String(exception.ticket ?? "")}
          onChange={(e) => put("ticket", e.target.value)}
          error={error("ticket")}
          hint="A change or ticket reference, for the audit trail."
          {...field("ticket")}
        />
      </div>
      <TextAreaField
        label="Justification"
        name={key("justification")}
        value={String(exception.justification ?? "")}
        onChange={(e) => put("justification", e.target.value)}
        error={error("justification")}
        hint="Why the application needs it and why it is safe (at least 20 characters): the reviewers read this."
        {...field("justification")}
      />
      <p>
        <button type="button" className="button button-danger-outline button-small" onClick={onRemove}>
          Remove exception {index + 1}
        </button>
      </p>
    </fieldset>
  );
}

/** Paths and methods from the application's OpenAPI operations, one choice fills both. */
function OperationPicker({ operations, onPick }: { operations: readonly OpenApiOperation[]; onPick: (operation: OpenApiOperation) => void }) {
  const id = useId();
  if (operations.length === 0) return <p className="muted">Add an OpenAPI document to the policy to pick paths from its operations.</p>;
  return (
    <div className="field">
      <label htmlFor={id}>From the OpenAPI document</label>
      <select
        id={id}
        value=""
        onChange={(e) => {
          const operation = operations[Number(e.target.value)];
          if (operation) onPick(operation);
        }}
      >
        <option value="">Pick an operation to fill in its path and method…</option>
        {operations.map((operation, index) => (
          <option key={`${operation.method} ${operation.path}`} value={index}>
            {operation.method} {operation.path}
            {operation.operationId ? ` (${operation.operationId})` : ""}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A new part drops the fields that only the old one used (name, pointer). */
function withPart(exception: Exception, part: string): Exception {
  const { name, pointer, ...rest } = exception;
  const location = PARTS.find((p) => p.value === part)?.location;
  return { ...rest, part, ...(location && name !== undefined ? { name } : {}), ...(part === "json-pointer" && pointer !== undefined ? { pointer } : {}) };
}

function messages(errors: FieldErrors, key: string): string | undefined {
  const list = errors.get(key);
  return list && list.length > 0 ? list.join("; ") : undefined;
}

/** YYYY-MM-DD plus whole days, in UTC. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}
