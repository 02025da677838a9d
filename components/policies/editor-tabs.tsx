"use client";
import type { EditorView } from "./draft-document";
import styles from "./policies.module.css";

// The form and YAML views of the same draft, as tabs (arrow keys move between them).

export function EditorTabs({ view, onSwitch }: { view: EditorView; onSwitch: (next: EditorView) => void }) {
  return (
    <div className={styles.tabs} role="tablist" aria-label="Editor view">
      {(["form", "yaml"] as const).map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          id={`editor-tab-${tab}`}
          aria-selected={view === tab}
          aria-controls={`editor-panel-${tab}`}
          tabIndex={view === tab ? 0 : -1}
          className={styles.tab}
          onClick={() => onSwitch(tab)}
          onKeyDown={(event) => {
            if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
              const next = tab === "form" ? "yaml" : "form";
              onSwitch(next);
              window.document.getElementById(`editor-tab-${next}`)?.focus();
            }
          }}
        >
          {tab === "form" ? "Form" : "YAML"}
        </button>
      ))}
    </div>
  );
}
