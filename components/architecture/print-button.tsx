"use client";

/** Opens the browser's print dialog; the page's print styles drop navigation and controls. */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button type="button" className="button button-secondary" onClick={() => window.print()}>
      {label}
    </button>
  );
}
