// Moved to lib/shared/to-wire.ts; this re-export keeps parallel branches building until
// scripts/codemods/move-neutral-imports.sh rewrites the imports and deletes it.
export * from "@/lib/shared/to-wire";
