import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listenAddress } from "./listen-address";

describe("listenAddress", () => {
  it("listens where README's configuration table says when PORT and HOST are unset", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    const row = /^\| `PORT` \/ `HOST` \| `(\d+)` \/ `([^`]+)` \|/m.exec(readme);
    expect(row, "README › Configuration names PORT / HOST defaults").not.toBeNull();
    expect(listenAddress({})).toEqual({ port: Number(row![1]), hostname: row![2] });
    expect(listenAddress({})).toEqual({ port: 3000, hostname: "127.0.0.1" });
  });

  it("takes PORT and HOST when set, and treats empty ones as unset", () => {
    expect(listenAddress({ PORT: "8443", HOST: "0.0.0.0" })).toEqual({ port: 8443, hostname: "0.0.0.0" });
    expect(listenAddress({ PORT: "", HOST: "" })).toEqual({ port: 3000, hostname: "127.0.0.1" });
  });
});
