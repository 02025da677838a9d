import { describe, expect, it } from "vitest";
import { hashPassword, OWASP_SCRYPT, SCRYPT_PARAMS, scryptParams, verifyPassword } from "./password";

describe("password hashing", () => {
  // Four hashes of 128 MiB each: slow by design.
  it("verifies the right password and refuses others; hashes are salted", { timeout: 60_000 }, async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
  });

  it("uses OWASP's parameters; a smaller N only in a test run that asks for it", () => {
    // This file runs at the real parameters (the unit project sets no RAMPART_TEST_SCRYPT_N).
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    expect(scryptParams({})).toEqual(OWASP_SCRYPT);
    expect(scryptParams({ RAMPART_TEST_SCRYPT_N: "1024" })).toEqual(OWASP_SCRYPT); // not a test run
    expect(scryptParams({ VITEST: "true", RAMPART_TEST_SCRYPT_N: "1024" })).toEqual({ N: 1024, r: 8, p: 1 });
    for (const n of ["1000", "512", "262144", "x"]) expect(scryptParams({ VITEST: "true", RAMPART_TEST_SCRYPT_N: n })).toEqual(OWASP_SCRYPT);
  });

  it("refuses malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
  });
});
