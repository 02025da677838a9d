import { tmpdir } from "node:os";
import path from "node:path";

// The portal writes to a Git repository on its own machine only under RAMPART_GIT_LOCAL_DIR
// (lib/kubernetes/gitops/git-repository.ts). The browser tests' bare repositories live here,
// and the e2e portal is started with exactly this folder opened, the way an operator would.
export const E2E_GIT_LOCAL_DIR = path.join(tmpdir(), "rampart-e2e-git");
