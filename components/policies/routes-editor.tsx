"use client";
import type { OpenApiOperation } from "@/lib/policy-spec/openapi-operations";
import type { FieldErrors } from "./policy-errors";
import styles from "./policies.module.css";

// The allow list (method × path routes that reach the application) picked from the
// application's OpenAPI operations; routes the document does not declare stay editable
// as text. Everything not listed is refused before the application sees it.

type Route = { path: string; methods: string[] };

export function RoutesEditor({
  value,
  onChange,
  errors,
  operations,
}: {
  value: unknown;
  onChange: (value: unknown) => void;
  errors: FieldErrors;
  operations: readonly OpenApiOperation[];
}) {
  const routes: Route[] = Array.isArray(value)
    ? (value as Route[]).map((r) => ({ path: String(r?.path ?? ""), methods: Array.isArray(r?.methods) ? r.methods.map(String) : [] }))
    : [];
  const allows = (operation: OpenApiOperation) => routes.some((r) => r.path === operation.path && r.methods.includes(operation.method));
  const emit = (next: Route[]) => {
    const kept = next.filter((r) => r.methods.length > 0 || r.path === "");
    onChange(kept.length > 0 ? kept : undefined);
  };
  const toggle = (operation: OpenApiOperation, on: boolean) => {
    const existing = routes.find((r) => r.path === operation.path);
    if (!existing) return emit([...routes, { path: operation.path, methods: [operation.method] }]);
    emit(
      routes.map((r) =>
        r.path === operation.path
          ? { ...r, methods: on ? [...new Set([...r.methods, operation.method])] : r.methods.filter((m) => m !== operation.method) }
          : r,
      ),
    );
  };
  const declared = new Set(operations.map((o) => `${o.method} ${o.path}`));
  const extra = routes
    .map((route, index) => ({ route, index }))
    .filter(({ route }) => route.methods.length === 0 || route.methods.some((m) => !declared.has(`${m} ${route.path}`)));
  const listError = errors.get("allow")?.join("; ");

  return (
    <div data-field="allow" className={styles.routesEditor}>
      {listError ? <p className="field-error">Allowed routes: {listError}</p> : null}
      {operations.length > 0 ? (
        <fieldset className="fieldset">
          <legend>Operations of the OpenAPI document</legend>
          <p className="field-hint">
            Ticked operations reach the application; with none ticked and no route below, there is no allow list (every route passes).
          </p>
          <ul className="checkbox-list">
            {operations.map((operation) => (
              <li key={`${operation.method} ${operation.path}`}>
                <label>
                  <input type="checkbox" checked={allows(operation)} onChange={(e) => toggle(operation, e.target.checked)} />
                  <span>
                    <span className="mono">
                      {operation.method} {operation.path}
                    </span>
                    {operation.operationId ? <span className="muted"> {operation.operationId}</span> : null}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : (
        <p className="muted">Add an OpenAPI document to the policy to pick routes from its operations, or add them below.</p>
      )}
      {extra.map(({ route, index }) => (
        <div key={index} className={styles.routeRow}>
          <div className="field">
            <label htmlFor={`route-${index}-path`}>Path</label>
            <input
              id={`route-${index}-path`}
              className="mono"
              value={route.path}
              data-field={`allow.${index}.path`}
              aria-invalid={errors.has(`allow.${index}.path`)}
              onChange={(e) => emit(routes.map((r, i) => (i === index ? { ...r, path: e.target.value } : r)))}
            />
            {errors.get(`allow.${index}.path`) ? <p className="field-error">Path: {errors.get(`allow.${index}.path`)!.join("; ")}</p> : null}
          </div>
          <div className="field">
            <label htmlFor={`route-${index}-methods`}>Methods</label>
            <input
              id={`route-${index}-methods`}
              className="mono"
              value={route.methods.join(", ")}
              data-field={`allow.${index}.methods`}
              aria-invalid={errors.has(`allow.${index}.methods`)}
              onChange={(e) =>
                emit(
                  routes.map((r, i) =>
                    i === index
                      ? {
                          ...r,
                          methods: e.target.value
                            .toUpperCase()
                            .split(/[\s,]+/)
                            .filter(Boolean),
                        }
                      : r,
                  ),
                )
              }
            />
            {errors.get(`allow.${index}.methods`) ? <p className="field-error">Methods: {errors.get(`allow.${index}.methods`)!.join("; ")}</p> : null}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => emit(routes.filter((_, i) => i !== index))}>
            Remove route
          </button>
        </div>
      ))}
      <p>
        <button type="button" className="button button-secondary button-small" onClick={() => onChange([...routes, { path: "", methods: ["GET"] }])}>
          Add a route by hand
        </button>
      </p>
    </div>
  );
}
