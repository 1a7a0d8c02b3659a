import { describe, expect, it } from "vitest";
import { assertPublicHost, isLocalHostName, isPrivateAddress } from "./public-host";

describe("public hosts", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:10.0.0.1",
  ])("%s is private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it("a public address and a public name pass; names for local machines do not", async () => {
    expect(isPrivateAddress("52.28.1.1")).toBe(false);
    expect(isLocalHostName("api8.unipile.com")).toBe(false);
    for (const name of ["localhost", "db.internal", "printer.local", "app.localhost"]) {
      expect(isLocalHostName(name)).toBe(true);
    }
    await expect(assertPublicHost("api8.unipile.com", async () => ["52.28.1.1"])).resolves.toBe(
      undefined,
    );
  });

  it("a public-looking name that resolves to a private address is refused (DNS is checked)", async () => {
    await expect(
      assertPublicHost("rebind.example.com", async () => ["52.28.1.1", "10.0.0.7"]),
    ).rejects.toThrow(/private/);
    await expect(
      assertPublicHost("nowhere.example.com", async () => {
        throw new Error("ENOTFOUND");
      }),
    ).rejects.toThrow(/does not resolve/);
  });
});
