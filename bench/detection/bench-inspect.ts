// npx tsx bench/detection/bench-inspect.ts [--seconds 2]
//
// Throughput of detector.inspect() on typical benign requests, at basic,
// standard and strict, against a baseline of the same requests through a
// detector with no family enabled and through JSON.parse + URLSearchParams
// alone (the parsing any proxy does anyway).
import { baselineConfig, compileDetector, type DetectionRequest, type Detector } from "../../proxy/detection/index.js";

const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 2;

const browserHeaders: [string, string][] = [
  ["Host", "shop.example.com"],
  ["User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"],
  ["Accept", "application/json, text/plain, */*"],
  ["Accept-Language", "en-US,en;q=0.9"],
  ["Accept-Encoding", "gzip, deflate, br"],
  ["Referer", "https://shop.example.com/products?category=shirts&page=2"],
  ["Cookie", "session=eyJ1c2VyIjo0Mn0.ZXhhbXBsZQ; theme=dark; lang=en"],
];

const REQUESTS: Record<string, DetectionRequest> = {
  "GET path+query": {
    method: "GET",
    path: "/api/v1/products/1234",
    query: "page=2&sort=price&order=desc&q=blue+shirt",
    headers: browserHeaders,
  },
  "POST small JSON": {
    method: "POST",
    path: "/api/v1/orders",
    query: "source=web",
    headers: [...browserHeaders, ["Content-Type", "application/json"]],
    body: Buffer.from(
      JSON.stringify({
        customer: { name: "Alice O'Brien", email: "alice@example.com" },
        items: [
          { sku: "A-1", qty: 2 },
          { sku: "B-7", qty: 1 },
        ],
        note: "Please leave at the door; thanks!",
      }),
    ),
  },
  "POST form": {
    method: "POST",
    path: "/contact",
    query: "",
    headers: [...browserHeaders, ["Content-Type", "application/x-www-form-urlencoded"]],
    body: Buffer.from("name=Jane+Doe&email=jane%40example.com&subject=Order+%231234&message=Hi%2C+my+order+hasn%27t+arrived+yet.+Can+you+check%3F"),
  },
};

function measure(label: string, fn: () => void): number {
  for (let i = 0; i < 20_000; i++) fn();
  let ops = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 1000; i++) fn();
    ops += 1000;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = ops / elapsed;
  console.log(`  ${label.padEnd(34)} ${Math.round(rate).toLocaleString("en-US").padStart(12)} ops/s  ${(1e6 / rate).toFixed(2).padStart(7)} µs/op`);
  return rate;
}

const detectors: [string, Detector][] = [
  ["no families (call overhead)", compileDetector({ families: {} })],
  ["basic", compileDetector(baselineConfig("basic"))],
  ["standard (baseline standard)", compileDetector(baselineConfig("standard"))],
  ["strict", compileDetector(baselineConfig("strict"))],
];

for (const [name, req] of Object.entries(REQUESTS)) {
  console.log(`\n${name}`);
  measure("parse only (URLSearchParams+JSON)", () => {
    new URLSearchParams(req.query).forEach(() => undefined);
    if (req.body) {
      const text = req.body.toString();
      if (text.startsWith("{")) JSON.parse(text);
      else new URLSearchParams(text).forEach(() => undefined);
    }
  });
  for (const [label, d] of detectors) {
    const r = d.inspect(req);
    if (r.matches.length > 0) throw new Error(`benign request "${name}" matched ${JSON.stringify(r.matches)}`);
    measure(label, () => d.inspect(req));
  }
}
