-- The portal's list endpoints read a page in the order they sort by, instead of sorting
-- every row for each page (issue 19).
CREATE INDEX "applications_name_id_idx" ON "applications"("name", "id");
CREATE INDEX "policies_kind_scope_id_idx" ON "policies"("kind", "scope", "id");
