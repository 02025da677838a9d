// Moved to lib/next/current-actor.ts; this re-export keeps parallel branches building until
// scripts/codemods/move-neutral-imports.sh rewrites the imports and deletes it.
export * from "@/lib/next/current-actor";
