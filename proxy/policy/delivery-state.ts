// The last good signed envelope on disk, so a restart while the portal is
// unreachable still serves. It is written only after the set verified and
// compiled, atomically (temporary file, fsync, rename), and it is not trusted
// on the way back in: the caller verifies signature and hashes again, so a
// file altered on disk is refused like a tampered delivery.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";

export class DeliveryState {
  constructor(private readonly stateDir: string) {}

  get file(): string {
    return path.join(this.stateDir, "delivery-set.json");
  }

  read(): string | null {
    try {
      return readFileSync(this.file, "utf8");
    } catch {
      return null;
    }
  }

  write(envelopeText: string): void {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, "w", 0o600);
    try {
      writeSync(fd, envelopeText);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file); // a crash leaves the old file or the new one, never half of one
  }
}
