// Moved to lib/shared/zod-field-errors.ts; this re-export keeps parallel branches building until
// scripts/codemods/move-neutral-imports.sh rewrites the imports and deletes it.
export * from "@/lib/shared/zod-field-errors";
