"use client";
import { useMemo, useState } from "react";
import { CONTENT_MARKER, CONTENT_PROFILES, suggestContentMarkings, type ContentMarkingSuggestion, type ContentProfile, type SpecPath } from "@/lib/policy-spec";
import { getIn } from "./document-edit";
import styles from "./policies.module.css";

// Content profiles, suggested (issue #21): where the saved specification marks no
// field of an operation as free text, the fields that look like it (a long maxLength,
// a name such as body, message or comment) are pointed at, with a way to mark them.
// Marking edits the draft like any other change: saved with the draft, audited on
// save, reviewed on submission. The suggestions come from the saved revision, so a
// field marked here stays listed (as marked, with an undo) until the draft is saved.

type Group = { key: string; at: SpecPath | null; label: string; operations: string[]; why: string };

export function ContentSuggestions({
  savedSpec,
  currentSpec,
  onMark,
}: {
  savedSpec: unknown;
  currentSpec: unknown;
  onMark: (at: SpecPath, profile: ContentProfile | null) => void;
}) {
  const groups = useMemo(() => groupByLocation(suggestContentMarkings(savedSpec)), [savedSpec]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = groups.filter((group) => !dismissed.has(group.key));
  if (shown.length === 0) return null;
  return (
    <section className={`alert alert-info ${styles.suggestions}`} aria-labelledby="content-suggestions-heading">
      <h3 id="content-suggestions-heading">Fields that look like free text</h3>
      <p>
        Marked as free text (<code>{CONTENT_MARKER}</code>), a field is checked for what hurts when it is shown or logged, and the code its users paste (SQL,
        shell, paths) is not blocked there, as far as the baseline allows.
      </p>
      <ul className="plain-list">
        {shown.map((group) => (
          <SuggestionItem
            key={group.key}
            group={group}
            marked={group.at ? profileAt(currentSpec, group.at) : null}
            onMark={(profile) => group.at && onMark(group.at, profile)}
            onDismiss={() => setDismissed((previous) => new Set(previous).add(group.key))}
          />
        ))}
      </ul>
    </section>
  );
}

function SuggestionItem({
  group,
  marked,
  onMark,
  onDismiss,
}: {
  group: Group;
  marked: string | null;
  onMark: (profile: ContentProfile | null) => void;
  onDismiss: () => void;
}) {
  const [profile, setProfile] = useState<ContentProfile>("markdown");
  const selectId = `content-profile-${group.key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <li className={styles.suggestion} aria-label={`Suggestion: ${group.label}`}>
      <p>
        <strong>{group.label}</strong> in <code>{group.operations.join(", ")}</code>: {group.why}.
      </p>
      {marked ? (
        <p>
          Marked as {marked} in this draft; save the draft to keep it.{" "}
          <button type="button" className="button button-secondary button-small" onClick={() => onMark(null)}>
            Undo
          </button>
        </p>
      ) : group.at ? (
        <div className={styles.suggestionActions}>
          <label htmlFor={selectId}>Profile for {group.label}</label>
          <select id={selectId} value={profile} onChange={(event) => setProfile(event.target.value as ContentProfile)}>
            {CONTENT_PROFILES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <button type="button" className="button button-small" onClick={() => onMark(profile)}>
            Mark {group.label} as {profile}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      ) : (
        <p className="muted">
          Its schema could not be located in the specification: add <code>{CONTENT_MARKER}</code> to it in the YAML view.{" "}
          <button type="button" className="button button-secondary button-small" onClick={onDismiss}>
            Dismiss
          </button>
        </p>
      )}
    </li>
  );
}

/** A schema shared through a component is marked once for every operation that uses it. */
function groupByLocation(suggestions: ContentMarkingSuggestion[]): Group[] {
  const groups = new Map<string, Group>();
  for (const { operation, field, why, at } of suggestions) {
    const key = at ? JSON.stringify(at) : `${operation} ${field.in} ${field.name}`;
    const label = field.in === "body" ? `body field ${field.name}` : `${field.in} parameter ${field.name}`;
    const group = groups.get(key);
    if (group) group.operations.push(operation);
    else groups.set(key, { key, at, label, operations: [operation], why });
  }
  return [...groups.values()];
}

function profileAt(spec: unknown, at: SpecPath): string | null {
  const marked = getIn(spec, [...at.map(String), CONTENT_MARKER]);
  return typeof marked === "string" ? marked : null;
}
