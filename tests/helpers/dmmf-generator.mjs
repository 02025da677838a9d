// A Prisma generator that writes the parsed schema (DMMF datamodel) to its `output` as JSON.
// Prisma runs generators as child processes speaking JSON-RPC: requests arrive on stdin,
// responses go to stderr, one JSON object per line (see @prisma/generator-helper).
import { writeFileSync } from "node:fs";
import readline from "node:readline";

function reply(id, result) {
  process.stderr.write(JSON.stringify({ jsonrpc: "2.0", id, result }) + "\n");
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.method === "getManifest") {
    reply(message.id, { manifest: { prettyName: "DMMF dump", requiresEngines: [] } });
  } else if (message.method === "generate") {
    writeFileSync(message.params.generator.output.value, JSON.stringify(message.params.dmmf.datamodel, null, 2));
    reply(message.id, null);
  }
});
