import { strFromU8, unzipSync } from "fflate";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { sampleResources } from "./__fixtures__/gitops-resources";
import { renderGitTree } from "./render-git-tree";
import { zipGitTree } from "./zip-git-tree";

describe("zipGitTree", () => {
  const tree = renderGitTree({ resources: sampleResources(), folder: "clusters/prod/rampart" });

  it("contains exactly the tree's files, under the folder, with their content", () => {
    const unzipped = unzipSync(zipGitTree(tree));
    const files = Object.fromEntries(Object.entries(unzipped).map(([name, data]) => [name, strFromU8(data)]));
    expect(files).toEqual(Object.fromEntries(tree.files.map((file) => [`clusters/prod/rampart/${file.path}`, file.content])));
  });

  afterEach(() => vi.useRealTimers());

  it("gives the same bytes for the same tree, at any time and in any time zone", () => {
    // Two instants years and odd seconds apart (DOS time ticks in two seconds): the clock is set, not waited for.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T08:15:00Z") });
    const first = zipGitTree(tree);
    vi.setSystemTime(new Date("2031-07-15T13:37:43Z"));
    const again = zipGitTree({ ...tree, files: [...tree.files].reverse() });
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    const zone = process.env.TZ;
    try {
      for (const other of ["Pacific/Kiritimati", "America/Los_Angeles", "UTC"]) {
        process.env.TZ = other; // Node re-reads TZ when it is assigned
        expect(Buffer.from(zipGitTree(tree)).equals(Buffer.from(first))).toBe(true);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // The stored time is 1980-01-01 00:00 (DOS date 0x0021, time 0) in every entry.
    const view = Buffer.from(first);
    for (let offset = view.indexOf("PK\x03\x04", 0, "latin1"); offset >= 0; offset = view.indexOf("PK\x03\x04", offset + 4, "latin1")) {
      expect(view.readUInt16LE(offset + 10)).toBe(0);
      expect(view.readUInt16LE(offset + 12)).toBe(0x0021);
    }
  });

  it("refuses a tree whose paths would escape the folder when unpacked", () => {
    expect(() => zipGitTree({ folder: "rampart", files: [{ path: "../../etc/passwd", content: "x" }] })).toThrow(AppError);
  });
});
