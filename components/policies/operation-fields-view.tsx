import { listEffectiveOperationFields, type EffectivePolicy, type OperationField } from "@/lib/policy-spec";

// Each OpenAPI operation's fields with the content profile that applies to
// them (issue #21): free text relaxes the baseline's relaxable families and is
// checked by its profile; identifiers are type-checked and keep every family;
// undescribed fields keep the full baseline.

export function profileLabel(field: OperationField, relaxable: readonly string[]): string {
  if (field.class.kind === "content") {
    const relaxed = relaxable.length > 0 ? `; ${relaxable.join(", ")} give way` : "; the baseline relaxes nothing";
    return `${field.class.profile} profile (free text${relaxed})`;
  }
  if (field.class.kind === "identifier") return `identifier (${field.class.reason}): type-checked, every deny family`;
  return "undescribed: full baseline";
}

export function OperationFieldsView({ effective }: { effective: EffectivePolicy }) {
  const operations = listEffectiveOperationFields(effective).filter((operation) => operation.fields.length > 0);
  if (operations.length === 0) return null;
  const relaxable = effective.openapi?.validation === "block" ? effective.contentProfiles.allowRelax : [];
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>
          <strong>Fields and content profiles</strong>
          {effective.openapi?.validation !== "block" ? <span className="muted"> — OpenAPI validation only logs, so no profile relaxes anything</span> : null}
        </caption>
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">Field</th>
            <th scope="col">Profile</th>
          </tr>
        </thead>
        <tbody>
          {operations.flatMap((operation) =>
            operation.fields.map((field) => (
              <tr key={`${operation.method} ${operation.template} ${field.in} ${field.name} ${field.mediaType ?? ""}`}>
                <td>
                  <code>
                    {operation.method} {operation.template}
                  </code>
                </td>
                <td>
                  {field.in} <code>{field.name}</code>
                </td>
                <td>{profileLabel(field, relaxable)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
