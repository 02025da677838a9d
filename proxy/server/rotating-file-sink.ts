// --decision-log FILE with a size bound: when the file on disk reaches
// maxBytes it is renamed to FILE.1 (replacing the previous one) and a new FILE
// is started, so the log never takes more than about twice maxBytes. Several
// cluster workers append to the same file: each checks the size it sees on disk
// and reopens when the path no longer names the file it writes to, so a rename
// by one worker is followed by all; two workers renaming at once lose at most
// the lines of one small generation, never the bound.

import { closeSync, fstatSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import type { DecisionSink } from "./decision-log.js";

/** How often (in writes) the path is re-checked for a rotation done by another process. */
const RECHECK_EVERY = 64;

export class RotatingFileSink implements DecisionSink {
  private fd: number;
  private ino: number;
  private size: number;
  private writes = 0;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {
    this.fd = openSync(file, "a");
    const stat = fstatSync(this.fd);
    this.ino = stat.ino;
    this.size = stat.size;
  }

  write(chunk: string): void {
    if (++this.writes % RECHECK_EVERY === 0) this.followRename();
    const bytes = Buffer.from(chunk, "utf8");
    if (this.size + bytes.length > this.maxBytes && this.size > 0) this.rotate();
    // Synchronous: decision lines are written once per event-loop turn in chunks of at most 4 KiB.
    writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    try {
      // Another worker may have rotated already: only rename the file we are still writing to.
      if (statSync(this.file).ino === this.ino) renameSync(this.file, `${this.file}.1`);
    } catch {
      // The path vanished (rotated by another process or removed by an operator): reopen below.
    }
    this.reopen();
  }

  private followRename(): void {
    try {
      if (statSync(this.file).ino === this.ino) return;
    } catch {
      // gone: reopen creates it
    }
    this.reopen();
  }

  private reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.file, "a");
    const stat = fstatSync(this.fd);
    this.ino = stat.ino;
    this.size = stat.size;
  }
}
