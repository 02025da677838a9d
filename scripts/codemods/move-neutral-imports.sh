#!/usr/bin/env bash
# One-off codemod for issue #20, run ONCE by the lead after every parallel branch is
# merged: rewrites the imports of modules that left the domain or the HTTP layer,
# deletes the re-export stubs left at their old paths, and turns on the lint rule
# that keeps the domain (lib/<domain>/) from importing lib/api.
#
#   old path (now a re-export stub)   new home
#   @/lib/api/pagination              @/lib/shared/pagination      (neutral: zod only)
#   @/lib/api/zod-field-errors        @/lib/shared/zod-field-errors
#   @/lib/query/wire                  @/lib/shared/to-wire
#   @/lib/auth/current-actor          @/lib/next/current-actor     (Next.js page glue)
#   @/lib/errors/or-not-found         @/lib/next/or-not-found
#
# Usage (from the repository root, on a clean tree):
#   scripts/codemods/move-neutral-imports.sh
#   npx tsc --noEmit && npm run lint        # then commit
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

if [ -n "$(git status --porcelain)" ]; then
  echo "move-neutral-imports: the working tree is not clean; commit or stash first" >&2
  exit 1
fi

declare -A MOVES=(
  ["@/lib/api/pagination"]="@/lib/shared/pagination"
  ["@/lib/api/zod-field-errors"]="@/lib/shared/zod-field-errors"
  ["@/lib/query/wire"]="@/lib/shared/to-wire"
  ["@/lib/auth/current-actor"]="@/lib/next/current-actor"
  ["@/lib/errors/or-not-found"]="@/lib/next/or-not-found"
)
STUBS=(lib/api/pagination.ts lib/api/zod-field-errors.ts lib/query/wire.ts lib/auth/current-actor.ts lib/errors/or-not-found.ts)

# Every tracked TypeScript source outside generated code (vi.mock("…") strings are rewritten too).
mapfile -t FILES < <(git ls-files -- '*.ts' '*.tsx' '*.mts' '*.mjs' | grep -v '^lib/generated/')

for old in "${!MOVES[@]}"; do
  new="${MOVES[$old]}"
  # The quote after the path keeps @/lib/api/pagination from matching @/lib/api/pagination-x.
  mapfile -t hits < <(grep -l -- "\"$old\"" "${FILES[@]}" || true)
  [ "${#hits[@]}" -eq 0 ] && continue
  sed -i "s#\"$old\"#\"$new\"#g" "${hits[@]}"
  echo "rewrote $old → $new in ${#hits[@]} files"
done

for stub in "${STUBS[@]}"; do
  if grep -q "^export \* from \"@/lib/" "$stub" && [ "$(grep -cv '^//' "$stub")" -le 1 ]; then
    git rm -q "$stub"
    echo "deleted stub $stub"
  else
    echo "move-neutral-imports: $stub is no longer just a re-export stub; look at it by hand" >&2
    exit 1
  fi
done

# The lint rule: the domain may no longer import lib/api (see eslint.config.mjs).
sed -i 's/^const DOMAIN_MAY_IMPORT_LIB_API = true;.*$/const DOMAIN_MAY_IMPORT_LIB_API = false;/' eslint.config.mjs
grep -q '^const DOMAIN_MAY_IMPORT_LIB_API = false;' eslint.config.mjs || { echo "move-neutral-imports: could not switch the lint rule in eslint.config.mjs" >&2; exit 1; }

left=$(git grep -l -e '"@/lib/api/pagination"' -e '"@/lib/api/zod-field-errors"' -e '"@/lib/query/wire"' -e '"@/lib/auth/current-actor"' -e '"@/lib/errors/or-not-found"' -- ':!scripts/codemods' || true)
if [ -n "$left" ]; then
  echo "move-neutral-imports: old import paths remain in:" >&2
  echo "$left" >&2
  exit 1
fi
echo "done: now run  npx tsc --noEmit && npm run lint  and commit"
