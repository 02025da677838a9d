// Blocks over time by family, drawn as SVG here: a stacked bar per bucket needs no chart
// library (the smallest well-kept ones add 40–100 kB to the page; this adds none, and it
// renders on the server, so the chart is there without JavaScript).

type Point = { bucket: string; family: string; action: "blocked" | "logged"; count: number };

const COLOURS = ["#b42318", "#c4320a", "#175cd3", "#6941c6", "#027a48", "#b54708", "#0e7090", "#c11574", "#4e5ba6", "#667085"];
const WIDTH = 720;
const HEIGHT = 180;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

export function BlocksChart({
  series,
  bucket,
  action = "blocked",
}: {
  series: readonly Point[];
  bucket: "minute" | "hour" | "day";
  action?: "blocked" | "logged";
}) {
  const points = series.filter((p) => p.action === action);
  if (points.length === 0) return <p className="muted">No {action === "blocked" ? "blocks" : "log-only findings"} in this window.</p>;
  const buckets = [...new Set(points.map((p) => p.bucket))].sort();
  const families = [...new Set(points.map((p) => p.family))].sort();
  const stacks = buckets.map((b) => families.map((f) => points.find((p) => p.bucket === b && p.family === f)?.count ?? 0));
  const max = Math.max(1, ...stacks.map((s) => s.reduce((a, c) => a + c, 0)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = Math.max(1, plotW / buckets.length - 2);
  const label = (iso: string) => (bucket === "day" ? iso.slice(5, 10) : iso.slice(11, 16));
  const every = Math.ceil(buckets.length / 8);
  return (
    <figure className="security-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${action === "blocked" ? "Blocked requests" : "Log-only findings"} per ${bucket} by family; peak ${max}`}
      >
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#98a2b3" />
        <text x={PAD.left - 4} y={PAD.top + 10} textAnchor="end" fontSize="10">
          {max}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end" fontSize="10">
          0
        </text>
        {stacks.map((stack, i) => {
          let y = PAD.top + plotH;
          const x = PAD.left + i * (plotW / buckets.length) + 1;
          return (
            <g key={buckets[i]}>
              <title>{`${buckets[i]}: ${families
                .map((f, j) => (stack[j] ? `${f} ${stack[j]}` : ""))
                .filter(Boolean)
                .join(", ")}`}</title>
              {stack.map((count, j) => {
                if (count === 0) return null;
                const h = (count / max) * plotH;
                y -= h;
                return <rect key={families[j]} x={x} y={y} width={barW} height={h} fill={COLOURS[j % COLOURS.length]} />;
              })}
              {i % every === 0 ? (
                <text x={x} y={HEIGHT - 6} fontSize="10">
                  {label(buckets[i]!)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {families.map((f, j) => (
          <span key={f}>
            <svg className="chart-swatch" viewBox="0 0 10 10" aria-hidden="true">
              <rect width="10" height="10" rx="2" fill={COLOURS[j % COLOURS.length]} />
            </svg>{" "}
            {f}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
