// npm run bench:bundle [-- http://127.0.0.1:3000]
// The architecture questionnaire's first-load JavaScript, summed over the scripts its HTML
// names as a running portal serves them (gzipped), against its budget (150 KB) and, as the
// baseline of the same run, the sign-in page (the framework and the shared chunks alone).
import { measurePageScripts, QUESTIONNAIRE_BUDGET_BYTES } from "./page-scripts";

const base = (process.argv[2] ?? process.env.PORTAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const [questionnaire, signIn] = await Promise.all([measurePageScripts(`${base}/architecture/questionnaire`), measurePageScripts(`${base}/sign-in`)]);
for (const page of [questionnaire, signIn]) {
  process.stdout.write(`\n${page.url}: ${page.scripts.length} scripts, ${kb(page.bytes)} raw, ${kb(page.gzipBytes)} gzipped\n`);
  for (const script of [...page.scripts].sort((a, b) => b.gzipBytes - a.gzipBytes)) {
    process.stdout.write(`  ${kb(script.gzipBytes).padStart(9)}  ${script.src}\n`);
  }
  for (const script of page.skipped) process.stdout.write(`  (${kb(script.gzipBytes)}  ${script.src}: noModule, not loaded by module-capable browsers)\n`);
}
const ratio = questionnaire.gzipBytes / signIn.gzipBytes;
process.stdout.write(
  `\nquestionnaire first-load JS: ${kb(questionnaire.gzipBytes)} gzipped (budget ${kb(QUESTIONNAIRE_BUDGET_BYTES)}: ${questionnaire.gzipBytes <= QUESTIONNAIRE_BUDGET_BYTES ? "within" : "OVER"}); ` +
    `${ratio.toFixed(2)}× the sign-in page (${kb(signIn.gzipBytes)}), ${kb(questionnaire.gzipBytes - signIn.gzipBytes)} of its own\n`,
);
if (questionnaire.gzipBytes > QUESTIONNAIRE_BUDGET_BYTES) process.exitCode = 1;
