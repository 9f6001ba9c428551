import { describe, expect, it } from "vitest";
import { isReservedAddress, refusal } from "./download-guard.js";

describe("which addresses evidence downloads may reach", () => {
  it.each([
    // Documentation, benchmarking, 6to4 relay and future-use ranges (IPv4).
    "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1", "192.88.99.1", "240.0.0.1", "255.255.255.255", "224.0.0.1",
    // IPv4-compatible, NAT64, 6to4, site-local, Teredo, documentation, discard, ORCHID (IPv6).
    "::7f00:1", "::a00:1", "64:ff9b::7f00:1", "64:ff9b:1::1", "2002::1", "2002:7f00:1::", "fec0::1", "2001::1", "2001:db8::1", "100::1",
    "2001:20::1", "3fff::1", "::ffff:0:7f00:1",
    // IPv4-mapped forms of private and loopback addresses, written either way.
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:c0a8:101",
    // Not an address at all.
    "example", "",
  ])("when the address is %s, then it is refused", (address) => {
    expect(isReservedAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "14.225.0.1", "203.113.1.10", "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8", "::ffff:808:808"])(
    "when the address is the global unicast %s, then it is allowed",
    (address) => {
      expect(isReservedAddress(address)).toBe(false);
    },
  );

  it.each(["http://[::7f00:1]/a.jpg", "http://[64:ff9b::a9fe:a9fe]/a.jpg", "http://192.0.2.10/a.jpg", "http://[fec0::1]/a.jpg", "http://[::ffff:7f00:1]/a.jpg"])(
    "when a URL names %s literally, then it is refused before any connection",
    (url) => {
      expect(refusal(new URL(url), {})).toBe("a private address");
    },
  );
});
