import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalCandidates, canonicalIndicator } from "./ioc-values.ts";

describe("canonicalIndicator", () => {
  it("accepts MD5, SHA1 and SHA256 hashes, lower-cased", () => {
    assert.equal(canonicalIndicator("HASH", " D41D8CD98F00B204E9800998ECF8427E "), "d41d8cd98f00b204e9800998ecf8427e");
    assert.equal(
      canonicalIndicator("HASH", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
      "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    );
    assert.ok(canonicalIndicator("HASH", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    for (const bad of ["testtest.com", "d41d8cd98f00b204e9800998ecf8427", "g41d8cd98f00b204e9800998ecf8427e", ""]) {
      assert.equal(canonicalIndicator("HASH", bad), undefined, bad);
    }
  });

  it("accepts one IPv4 or IPv6 address in RFC 5952 form", () => {
    const cases: [string, string][] = [
      ["10.0.0.1", "10.0.0.1"],
      ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["1:0:0:1:0:0:0:1", "1:0:0:1::1"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
      ["::FFFF:1.2.3.4", "::ffff:1.2.3.4"],
      ["1::", "1::"],
    ];
    for (const [input, canonical] of cases) assert.equal(canonicalIndicator("IP", input), canonical, input);
    for (const bad of ["01.2.3.4", "1.2.3.4/24", "1.2.3.4:80", "[::1]", "fe80::1%eth0", "256.1.1.1", "evil.com"]) {
      assert.equal(canonicalIndicator("IP", bad), undefined, bad);
    }
  });

  it("accepts host names, dropping a trailing dot and case", () => {
    assert.equal(canonicalIndicator("DOMAIN_NAME", "Evil.Example.COM."), "evil.example.com");
    assert.equal(canonicalIndicator("DOMAIN_NAME", "_dmarc.example.com"), "_dmarc.example.com");
    assert.equal(canonicalIndicator("DOMAIN_NAME", "xn--80ak6aa92e.com"), "xn--80ak6aa92e.com");
    for (const bad of [
      "localhost",
      "1.2.3.4",
      "-bad.com",
      "bad-.com",
      "a..com",
      "*.evil.com",
      "évil.com",
      "a b.com",
      `${"a".repeat(64)}.com`,
    ]) {
      assert.equal(canonicalIndicator("DOMAIN_NAME", bad), undefined, bad);
    }
  });

  it("accepts absolute URLs in WHATWG form, keeping path case", () => {
    assert.equal(canonicalIndicator("URL", "HTTPS://Evil.COM:443/Payload?X=1"), "https://evil.com/Payload?X=1");
    assert.equal(canonicalIndicator("URL", "http://evil.com"), "http://evil.com/");
    for (const bad of ["evil.com/x", "http://", "http://a b.com/", "/relative"]) {
      assert.equal(canonicalIndicator("URL", bad), undefined, bad);
    }
  });

  it("accepts absolute Windows and POSIX paths, compared without case", () => {
    assert.equal(canonicalIndicator("PATH", "C:\\Windows\\System32\\EVIL.exe"), "c:\\windows\\system32\\evil.exe");
    assert.equal(canonicalIndicator("PATH", "\\\\server\\share\\x.exe"), "\\\\server\\share\\x.exe");
    assert.equal(canonicalIndicator("PATH", "/usr/bin/Evil"), "/usr/bin/evil");
    for (const bad of ["evil.exe", "Windows\\x", "C:evil", "/a\0b"])
      assert.equal(canonicalIndicator("PATH", bad), undefined, bad);
  });

  it("accepts file names without separators", () => {
    assert.equal(canonicalIndicator("FILENAME", "Virus1.EXE"), "virus1.exe");
    for (const bad of ["a/b", "a\\b", ".", "..", "  "])
      assert.equal(canonicalIndicator("FILENAME", bad), undefined, bad);
  });

  it("takes anything non-empty as MIXED, unchanged but trimmed", () => {
    assert.equal(canonicalIndicator("MIXED", "  Any Thing "), "Any Thing");
    assert.equal(canonicalIndicator("MIXED", "   "), undefined);
  });
});

describe("canonicalCandidates", () => {
  it("lists every stored form a filter value could mean", () => {
    assert.deepEqual(canonicalCandidates(" Virus1.exe "), ["Virus1.exe", "virus1.exe"]);
    assert.ok(canonicalCandidates("2001:DB8::0:1").includes("2001:db8::1"));
    assert.ok(canonicalCandidates("HTTP://EVIL.com").includes("http://evil.com/"));
  });
});
