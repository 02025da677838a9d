import styles from "./policies.module.css";

/** A read-only YAML document with line numbers (CSS counters, so copying takes only the text). */
export function YamlListing({ yaml, label }: { yaml: string; label: string }) {
  const lines = yaml.replace(/\n$/, "").split("\n");
  return (
    <pre className={styles.listing} aria-label={label} tabIndex={0}>
      {lines.map((line, index) => (
        <code key={index}>{line === "" ? " " : line}</code>
      ))}
    </pre>
  );
}
