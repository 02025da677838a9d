"use client";
import { useId, useState } from "react";
import { formatJsonPath, settingOrigin, type EffectivePolicy } from "@/lib/policy-spec";
import { OperationFieldsView } from "./operation-fields-view";
import { fieldLabel } from "./policy-labels";
import styles from "./policies.module.css";

// The effective policy of an application, one row per setting, each with where it came
// from: the baseline or the application's own policy. Lists are one row each; the
// OpenAPI document is summarised (it is shown in the application policy itself).

type Row = { section: string; path: string; label: string; value: string; origin: "baseline" | "application" | undefined };

const BOOKKEEPING = new Set(["kind", "sources", "origins", "flags", "droppedExceptions"]);

export function EffectivePolicyView({ effective }: { effective: EffectivePolicy }) {
  const [onlyApplication, setOnlyApplication] = useState(false);
  const filterId = useId();
  const rows = settingRows(effective).filter((row) => !onlyApplication || row.origin === "application");
  const sections = [...new Set(rows.map((row) => row.section))];
  return (
    <>
      <div className={styles.checkboxRow}>
        <input id={filterId} type="checkbox" checked={onlyApplication} onChange={(e) => setOnlyApplication(e.target.checked)} />
        <label htmlFor={filterId}>Show only settings from the application&apos;s policy</label>
      </div>
      {sections.length === 0 ? <p className="muted">No setting comes from the application&apos;s policy.</p> : null}
      {sections.map((section) => (
        <div key={section} className="table-wrap">
          <table className={`data-table ${styles.settingsTable}`}>
            <caption>
              <strong>{fieldLabel(section)}</strong>
            </caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {rows
                .filter((row) => row.section === section)
                .map((row) => (
                  <tr key={row.path}>
                    <th scope="row" title={row.path}>
                      {row.label}
                    </th>
                    <td className={styles.settingValue}>{row.value}</td>
                    <td>
                      {row.origin ? (
                        <span className={`badge ${row.origin === "application" ? styles.originApplication : styles.originBaseline}`}>
                          {row.origin === "application" ? "Application" : "Baseline"}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ))}
      <OperationFieldsView effective={effective} />
    </>
  );
}

export function settingRows(effective: EffectivePolicy): Row[] {
  const rows: Row[] = [];
  const visit = (value: unknown, segments: string[]) => {
    const path = formatJsonPath(segments);
    const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
    if (isObject && segments.join(".") !== "openapi.spec" && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value)) visit(item, [...segments, key]);
      return;
    }
    rows.push({
      section: segments[0]!,
      path,
      label:
        segments.length === 1
          ? fieldLabel(segments[0]!)
          : segments
              .slice(1)
              .map((s) => fieldLabel(s))
              .join(" › "),
      value: describe(value, segments),
      origin: settingOrigin(effective, path),
    });
  };
  for (const [key, value] of Object.entries(effective)) if (!BOOKKEEPING.has(key)) visit(value, [key]);
  return rows;
}

function describe(value: unknown, segments: string[]): string {
  if (value === null || value === undefined) return "—";
  if (segments.join(".") === "openapi.spec" && typeof value === "object") {
    const spec = value as { openapi?: string; paths?: Record<string, unknown> };
    return `OpenAPI ${spec.openapi ?? ""} document with ${Object.keys(spec.paths ?? {}).length} paths`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    return value.every((item) => typeof item !== "object") ? value.join(", ") : JSON.stringify(value);
  }
  if (typeof value === "object") return Object.keys(value).length === 0 ? "none" : JSON.stringify(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}
