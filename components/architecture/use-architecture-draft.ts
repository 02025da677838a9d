"use client";
import { useRef, useState, useSyncExternalStore } from "react";
// Types only from the schemas: the questionnaire's first load ships no zod.
import type { PartialAnswers } from "@/lib/architecture/answers-schema";
import type { DraftView } from "@/lib/architecture/architecture-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";

// The questionnaire's server-side draft: every step is saved (one save at a time, in
// order), the page's URL (?draft=…) then leads back to it, and the browser remembers
// the last one so /architecture/questionnaire can offer to resume it.

/** The browser remembers the last draft so /architecture/questionnaire can offer to resume it. */
export const LAST_DRAFT_KEY = "rampart.architecture.lastDraft";

export type SaveState =
  { state: "idle" } | { state: "saving" } | { state: "saved" } | { state: "conflict"; message: string } | { state: "error"; message: string };

const subscribeToNothing = () => () => {};
const readLastDraft = () => window.localStorage.getItem(LAST_DRAFT_KEY);

export function useArchitectureDraft({
  draft,
  revisit,
  forApplication,
  onLoaded,
}: {
  draft: { id: string; version: number } | null;
  revisit: { id: string } | null;
  forApplication: { id: string } | null;
  /** Called with the answers of the draft as stored, when the person takes someone else's newer version. */
  onLoaded: (answers: PartialAnswers) => void;
}) {
  const [save, setSave] = useState<SaveState>({ state: "idle" });
  const [draftId, setDraftId] = useState(draft?.id ?? null);
  // Browser storage, read after hydration (null on the server) so the markup matches.
  const remembered = useSyncExternalStore(subscribeToNothing, readLastDraft, () => null);
  const lastDraft = remembered && remembered !== draft?.id ? remembered : null;
  const draftRef = useRef(draft);
  const queue = useRef<Promise<void>>(Promise.resolve());

  function saveDraft(snapshot: PartialAnswers, atStep: number) {
    queue.current = queue.current.then(async () => {
      setSave({ state: "saving" });
      try {
        const current = draftRef.current;
        const body = { answers: snapshot, step: atStep };
        const saved = current
          ? await apiRequest<DraftView>(`/architecture/drafts/${current.id}`, { method: "PATCH", ifMatch: current.version, body })
          : await apiRequest<DraftView>("/architecture/drafts", { method: "POST", body });
        draftRef.current = { id: saved.id, version: saved.version };
        setDraftId(saved.id);
        window.localStorage.setItem(LAST_DRAFT_KEY, saved.id);
        const url = new URL(window.location.href);
        url.search = "";
        url.searchParams.set("draft", saved.id);
        if (revisit) url.searchParams.set("revisit", revisit.id);
        if (forApplication) url.searchParams.set("application", forApplication.id);
        window.history.replaceState(window.history.state, "", url);
        setSave({ state: "saved" });
      } catch (error) {
        if (error instanceof ApiError && error.isConflict) setSave({ state: "conflict", message: error.message });
        else setSave({ state: "error", message: error instanceof Error ? error.message : "The draft could not be saved." });
      }
    });
  }

  async function loadTheirs() {
    const id = draftRef.current?.id;
    if (!id) return;
    try {
      const fresh = await apiRequest<DraftView>(`/architecture/drafts/${id}`);
      draftRef.current = { id: fresh.id, version: fresh.version };
      onLoaded(fresh.answers);
      setSave({ state: "saved" });
    } catch (error) {
      setSave({ state: "error", message: error instanceof Error ? error.message : "The draft could not be loaded." });
    }
  }

  return { save, draftId, lastDraft, saveDraft, loadTheirs };
}
