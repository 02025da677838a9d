// Writes the generated parts of deploy/ (npm run kubernetes:manifests): today the
// RampartPolicy CRD, generated from lib/policy-spec's bundle schema. A unit test
// (lib/kubernetes/render/deploy-manifests.test.ts) fails while the committed file
// differs from what this writes, so the CRD cannot drift from the contract.

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { generatedDeployFiles } from "../render/generated-deploy-files";

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "../../../deploy"));

for (const [relative, text] of Object.entries(generatedDeployFiles())) {
  const target = path.join(root, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
