import { describe, expect, it } from "vitest";
import type { DetectorCode } from "../../../src/core/privacy/detector.js";
import { scanText } from "../../../src/core/privacy/scan-text.js";

/** What the scanner reports for a text: detector and the exact value found. */
function found(text: string): Array<[DetectorCode, string]> {
  return scanText(text).map((hit) => [hit.detector, text.slice(hit.start, hit.end)]);
}

describe("scanText finds personal data", () => {
  it.each<[string, string, DetectorCode, string]>([
    ["an 18-character resident ID", "idNo=110101199003074573;", "cn-id", "110101199003074573"],
    ["a resident ID ending in X", "证件号码 32031119700101305X", "cn-id", "32031119700101305X"],
    ["a resident ID born on a leap day", "id 510107200002298813", "cn-id", "510107200002298813"],
    [
      "a resident ID in 6-8-4 groups",
      "身份证 110101 19900307 4573",
      "cn-id",
      "110101 19900307 4573",
    ],
    [
      "a 15-digit legacy ID after a keyword",
      "身份证号: 110105491231002",
      "cn-id",
      "110105491231002",
    ],
    ["a legacy ID after an English keyword", "id_no 110105491231002", "cn-id", "110105491231002"],
    ["a mobile number", "customer 13800138000 called", "cn-mobile", "13800138000"],
    ["a mobile number with +86", "tel:+8613912345678", "cn-mobile", "+8613912345678"],
    [
      "a mobile number with +86 and spaces",
      "call +86 139 1234 5678 now",
      "cn-mobile",
      "+86 139 1234 5678",
    ],
    ["a mobile number in 3-4-4 dashes", "phone 186-0000-1234", "cn-mobile", "186-0000-1234"],
    // Any grouping in groups of three or more, or digit by digit, and the usual separators.
    ["a mobile number in 4-4-3 groups", "tel 1380 0138 000", "cn-mobile", "1380 0138 000"],
    ["a mobile number in 7-4 groups", "tel 1380013 8000 ok", "cn-mobile", "1380013 8000"],
    ["a mobile number with dots", "tel 138.0013.8000.", "cn-mobile", "138.0013.8000"],
    ["a mobile number with underscores", "138_0013_8000", "cn-mobile", "138_0013_8000"],
    ["a mobile number with slashes", "138/0013/8000", "cn-mobile", "138/0013/8000"],
    ["a mobile number with spaced dashes", "138 - 0013 - 8000", "cn-mobile", "138 - 0013 - 8000"],
    ["a mobile number with tabs", "138\t0013\t8000", "cn-mobile", "138\t0013\t8000"],
    [
      "a mobile number digit by digit",
      "1 3 8 0 0 1 3 8 0 0 0",
      "cn-mobile",
      "1 3 8 0 0 1 3 8 0 0 0",
    ],
    [
      "a mobile number digit by digit with dashes",
      "1-3-8-0-0-1-3-8-0-0-0",
      "cn-mobile",
      "1-3-8-0-0-1-3-8-0-0-0",
    ],
    ["a grouped mobile number after 86", "86 139 1234 5678", "cn-mobile", "86 139 1234 5678"],
    ["a resident ID in dotted groups", "110101.19900307.4573", "cn-id", "110101.19900307.4573"],
    ["a card in groups of five", "62226 00260 00107 2444", "bank-card", "62226 00260 00107 2444"],
    // A Luhn-valid number right after a card keyword, whatever its issuer (ICBC 9558).
    [
      "a 9558 card after 银行卡号",
      "银行卡号：9558801001131474568",
      "bank-card",
      "9558801001131474568",
    ],
    [
      "a 9558 card after 卡号 in groups",
      "卡号 9558 8010 0113 1474 568",
      "bank-card",
      "9558 8010 0113 1474 568",
    ],
    [
      "a domestic card after 'card no.'",
      "card no. 9558801001131474568",
      "bank-card",
      "9558801001131474568",
    ],
    ["a mobile number after 86", "tel 8613912345678", "cn-mobile", "8613912345678"],
    ["a mobile number after 0086", "call 008613912345678 now", "cn-mobile", "008613912345678"],
    ["a grouped mobile number after 0086", "0086-139-1234-5678", "cn-mobile", "0086-139-1234-5678"],
    ["a mobile number with a letter after it", "13912345678a", "cn-mobile", "13912345678"],
    ["a mobile number after a word", "mobile13912345678,", "cn-mobile", "13912345678"],
    ["a mobile number between letters", "x13912345678y", "cn-mobile", "13912345678"],
    ["a mobile number after a short hex word", "cafe13912345678", "cn-mobile", "13912345678"],
    ["a resident ID after letters", "id110105199003071239", "cn-id", "110105199003071239"],
    [
      "a resident ID ending in X before letters",
      "sfz32031119700101305Xok",
      "cn-id",
      "32031119700101305X",
    ],
    ["a mobile number in CSV", "li,13800138000,ok", "cn-mobile", "13800138000"],
    ["a mobile number after Chinese text", "手机13800138000", "cn-mobile", "13800138000"],
    ["a Visa number", "paid with 4111111111111111.", "bank-card", "4111111111111111"],
    [
      "a Mastercard number in groups",
      "card 5555 5555 5555 4444",
      "bank-card",
      "5555 5555 5555 4444",
    ],
    ["a UnionPay number", "pan=6212345678901265", "bank-card", "6212345678901265"],
    ["a 19-digit UnionPay number", "6222600260001072444", "bank-card", "6222600260001072444"],
    ["an Amex number", "amex 378282246310005", "bank-card", "378282246310005"],
    ["a card number with dashes", "4111-1111-1111-1111", "bank-card", "4111-1111-1111-1111"],
    [
      "a UnionPay number failing Luhn after 卡号",
      "卡号:6212345678901266",
      "bank-card",
      "6212345678901266",
    ],
    [
      "a UnionPay number failing Luhn after 银行卡",
      "银行卡 6222021234567890123",
      "bank-card",
      "6222021234567890123",
    ],
    [
      "a UnionPay number failing Luhn after 'account'",
      "account: 6212345678901266",
      "bank-card",
      "6212345678901266",
    ],
    [
      "a UnionPay number failing Luhn after 'cardNo'",
      "cardNo=6212345678901266",
      "bank-card",
      "6212345678901266",
    ],
    // Landlines only right after a telephone keyword.
    ["a Beijing landline after 联系电话", "联系电话：010-12345678", "cn-landline", "010-12345678"],
    [
      "a landline in brackets after 座机",
      "座机 (0755) 8888 6666 转 123",
      "cn-landline",
      "(0755) 8888 6666",
    ],
    ["a landline with +86 after tel", "tel: +86 21 6888 8888", "cn-landline", "+86 21 6888 8888"],
    ["a landline after Fax", "Fax 0571-88886666", "cn-landline", "0571-88886666"],
    ["a subscriber number alone after 电话", "电话 8888 6666", "cn-landline", "8888 6666"],
    ["a landline after 0086", "telephone: 0086-10-12345678", "cn-landline", "0086-10-12345678"],
    ["an e-mail address", "mail zhang.wei@acme-bank.cn today", "email", "zhang.wei@acme-bank.cn"],
    [
      "an e-mail address with a numeric local part",
      "13800138000@qq.com",
      "email",
      "13800138000@qq.com",
    ],
    [
      "an e-mail address before a full stop",
      "write to li.na@corp.example.org.",
      "email",
      "li.na@corp.example.org",
    ],
    [
      "an e-mail address with plus and subdomains",
      "<a+b@x.mail.acme.com.cn>",
      "email",
      "a+b@x.mail.acme.com.cn",
    ],
    ["an IPv4 address", "client ip 10.12.3.4 port 443", "ipv4", "10.12.3.4"],
    ["an IPv4 address after ip=", "ip=192.168.1.20", "ipv4", "192.168.1.20"],
    ["an IPv4 address with a port", "connect 172.16.0.5:8080", "ipv4", "172.16.0.5"],
    ["an IPv4 address after user@", "ssh root@10.0.0.1", "ipv4", "10.0.0.1"],
    ["an IPv4 address ending a sentence", "from 8.8.8.8.", "ipv4", "8.8.8.8"],
    ["a bare quad with a package name", "lodash@1.2.3.4", "ipv4", "1.2.3.4"],
    [
      "a full IPv6 address",
      "peer 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up",
      "ipv6",
      "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ],
    [
      "a compressed IPv6 address",
      "peer [2001:db8::8a2e:370:7334]:443",
      "ipv6",
      "2001:db8::8a2e:370:7334",
    ],
    ["a link-local IPv6 address", "via fe80::1%eth0", "ipv6", "fe80::1"],
    ["a passport number after passport", "passport no. E12345678", "passport", "E12345678"],
    ["a passport number after 护照", "护照号码：EA1234567", "passport", "EA1234567"],
    [
      "a private key block",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
      "private-key",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
    ],
    [
      "an OpenSSH private key block",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n",
      "private-key",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----",
    ],
    ["a GitHub token", `token ghp_${"a1B2".repeat(9)}`, "token", `ghp_${"a1B2".repeat(9)}`],
    ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", "token", "AKIAIOSFODNN7EXAMPLE"],
    // One row per token prefix: each is anchored on its own rare characters.
    [
      "an OpenAI-style key",
      `key=sk-proj-${"aB3".repeat(11)}`,
      "token",
      `sk-proj-${"aB3".repeat(11)}`,
    ],
    [
      "a fine-grained GitHub token",
      `github_pat_${"11AB".repeat(6)}`,
      "token",
      `github_pat_${"11AB".repeat(6)}`,
    ],
    ["a GitLab token", `glpat-${"x9Y8".repeat(5)}`, "token", `glpat-${"x9Y8".repeat(5)}`],
    ["a Google API key", `AIza${"Sy0-".repeat(8)}abc`, "token", `AIza${"Sy0-".repeat(8)}abc`],
    [
      "a private key block after text on its line",
      "key: -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
      "private-key",
      "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
    ],
    ["a Slack token", "xoxb-123456789012-abcdefABCDEF", "token", "xoxb-123456789012-abcdefABCDEF"],
    [
      "a Stripe secret key",
      `sk_live_${"4eC39HqLyjWDarjtT1zdp7dc"}`,
      "token",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ],
    [
      "a JWT",
      "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "token",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
  ])("finds %s", (_name, text, detector, value) => {
    expect(found(text)).toStrictEqual([[detector, value]]);
  });
});

describe("scanText leaves decoys alone", () => {
  it.each<[string, string]>([
    ["an order number with letters", "order ORD2026112513800138000 created"],
    ["a 20-digit order number", "orderNo=20261125138001380001"],
    ["an 18-digit reference with an invalid region", "ref 202611251234567890"],
    ["a resident ID failing its check character", "idNo=110101199003074574"],
    ["a resident ID with an impossible date", "id 110101199013074577"],
    ["a resident ID born on 29 February of a common year", "id 510107200102298810"],
    ["a resident ID with an unknown region", "id 990101199003074577"],
    ["a resident ID born before 1900", "id 11010118990307457X"],
    ["a legacy ID without a keyword", "value 110105491231002"],
    ["a card number failing Luhn", "batch 4111111111111112 retry"],
    ["a UnionPay number failing Luhn without a keyword", "refund 6212345678901266 queued"],
    ["a Luhn-valid number of no card scheme's length", "4111111111111111111111"],
    ["a millisecond timestamp", "ts=1732512345678"],
    ["an epoch-seconds timestamp", "at 1732512345"],
    ["an ISO timestamp", "2026-11-25T13:45:12.123+08:00"],
    ["a clock time", "window 13:45:12 to 14:00:00"],
    ["a UUID", "trace=550e8400-e29b-41d4-a716-446655440000"],
    ["a UUID made of digits", "12345678-1234-5678-1234-567812345678"],
    ["a UUID ending in a mobile-like group", "550e8400-e29b-41d4-a716-13912345678a"],
    ["a mobile-like run in a long hex word", "sha=deadbeefcafe13912345678abcdef"],
    ["a card-like run in a long hex word", "sha=cafe4111111111111111beef"],
    ["a card-like run after a long run of letters", "abcdefghijklmnopq4111111111111111"],
    // Reference numbers glued to letters look like cards as often as cards do; reporting them
    // cost 2,591 false positives on the benchmark's labelled log, so a card must stand apart.
    ["an order reference shaped like a card", "ORD4111111111111111"],
    ["a mobile-like run in base64", "aGVsbG8gd29ybGQ13912345678ZXhhbXBsZQ=="],
    ["a mobile-like run after a long run of letters", "abcdefghijklmnopq13912345678"],
    ["an ID-like run in an identifier", "user_id110105199003071239"],
    ["an ID-like run after a domain", "mail.acme.cn110105199003071239"],
    ["86 and a mobile number inside a longer run", "98613912345678"],
    ["a mobile-like run between digits and letters", "a1b13912345678"],
    ["a git commit hash", "commit 1380013800013800138000a1b2c3d4e5f6a7b8c9d0"],
    ["a sha256 hash", "sha256=3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"],
    ["an amount with decimals", "amount=13800138000.00 CNY"],
    ["an amount with thousands separators", "total 1,380,013,800.00"],
    ["a 9558 number failing Luhn after a card keyword", "卡号 9558801001131474567"],
    ["a landline-like number without a keyword", "ref 010-12345678"],
    ["a landline after a word ending in tel", "hotel 010-12345678"],
    ["a landline far from its keyword", "电话 is listed in the directory 010-12345678"],
    ["a card number with words between it and the keyword", "card used was 9558801001131474568"],
    ["a Luhn-valid 9558 number without a keyword", "ref 9558801001131474568"],
    ["a mobile-like number in groups of two", "13 80 01 38 00 0"],
    ["a mobile-like number with a decimal part", "138.0013.8000.5"],
    ["a date and a time", "2026-11-25 13:45:12 2026/11/25"],
    ["an 11-digit number that is no mobile number", "seq=12345678901"],
    ["a mobile-like run inside a longer number", "id 9913800138000"],
    ["a version after ==", "requests==1.2.3.4"],
    ["a version after a caret", '"left-pad": "^1.2.3.4"'],
    ["a version after a tilde", '"left-pad": "~1.2.3.4"'],
    ["a version after 'version:'", "version: 1.2.3.4"],
    ["a version in a Maven tag", "<version>1.2.3.4</version>"],
    ["a version in a Gradle coordinate", "implementation 'com.acme:lib:1.2.3.4'"],
    ["a version with a v", "golang.org/x/net v1.2.3.4"],
    ["a version on an npm install line", "npm install lodash@1.2.3.4"],
    ["a dependency line", "dependencies: foo 1.2.3.4, bar 2.3.4.5"],
    ["a five-part version", "build 1.2.3.4.5"],
    ["a quad with an octet above 255", "300.1.2.3"],
    ["a quad with leading zeros", "01.02.03.04"],
    ["a netmask", "netmask 255.255.255.0"],
    ["the loopback address", "listen 127.0.0.1"],
    ["the unspecified address", "bind 0.0.0.0"],
    ["the IPv6 loopback", "listen ::1"],
    ["a C++ scope", "std::vector<int>"],
    ["hex words around a double colon", "dead::beef"],
    ["a MAC address", "aa:bb:cc:dd:ee:ff"],
    ["a passport-like code without a keyword", "model E12345678"],
    ["a passport-like code on the next line after the keyword", "passport\nE12345678"],
    ["an npm scope", "@types/node@20.1.0"],
    [
      "a class name containing Account before a 62 number",
      "c.acme.AccountDao - refund 6212345678901266",
    ],
    ["a begin marker of a public key", "-----BEGIN PUBLIC KEY-----"],
    ["a short ghp_ string", "ghp_short"],
    ["a word ending in sk-", "task-12345678901234567890123456789012345"],
  ])("ignores %s", (_name, text) => {
    expect(found(text)).toStrictEqual([]);
  });
});

describe("scanText positions", () => {
  it("reports line and column of each hit, counting from 1", () => {
    const text = "first line\n  phone 13800138000\n\nmail a@b.cn and 10.1.2.3\n";
    expect(scanText(text).map((h) => [h.detector, h.line, h.column])).toStrictEqual([
      ["cn-mobile", 2, 9],
      ["email", 4, 6],
      ["ipv4", 4, 17],
    ]);
  });

  it("carries a masked preview and offsets, never the raw value in the preview", () => {
    const [hit] = scanText("x 13800138000");
    expect(hit).toMatchObject({ start: 2, end: 13, masked: "138****8000", confidence: 0.9 });
  });

  it("runs only the detectors asked for", () => {
    const text = "13800138000 a@b.cn 10.1.2.3";
    expect(scanText(text, { detectors: ["email"] }).map((h) => h.detector)).toStrictEqual([
      "email",
    ]);
  });

  it("keeps an e-mail address with a numeric local part whole rather than finding a phone inside", () => {
    expect(found("13800138000.x@y.com")).toStrictEqual([["email", "13800138000.x@y.com"]]);
  });

  it.each<[string, string, Array<[DetectorCode, string]>]>([
    [
      "an ID right after an IPv6 address",
      "2001:db8::8a2e:370:7334 110101199003074573",
      [
        ["ipv6", "2001:db8::8a2e:370:7334"],
        ["cn-id", "110101199003074573"],
      ],
    ],
    [
      "two IDs joined by a dash",
      "110101199003074573-110101199003074573",
      [
        ["cn-id", "110101199003074573"],
        ["cn-id", "110101199003074573"],
      ],
    ],
    [
      "a token that swallowed a version word",
      `ghp_${"x1Y2".repeat(9)}version:10.12.3.4`,
      [
        ["token", `ghp_${"x1Y2".repeat(9)}version`],
        ["ipv4", "10.12.3.4"],
      ],
    ],
    ["two e-mail addresses sharing characters", "a@b.cn+c@d.cn", [["email", "a@b.cn+c@d.cn"]]],
    [
      "a grouped phone number followed by another number",
      "+86 139 1234 5678 2001",
      [["cn-mobile", "+86 139 1234 5678"]],
    ],
    [
      "a card right after an IPv6 address and a dash",
      "2001:db8::8a2e:370:7334-4111-1111-1111-1111",
      [
        ["ipv6", "2001:db8::8a2e:370:7334"],
        ["bank-card", "4111-1111-1111-1111"],
      ],
    ],
    [
      "an address after a run of more than 64 local characters",
      `${"x".repeat(70)}.wei@acme-bank.cn`,
      [["email", `${"x".repeat(60)}.wei@acme-bank.cn`]],
    ],
  ])("finds everything in %s (found by the idempotence property)", (_name, text, expected) => {
    expect(found(text)).toStrictEqual(expected);
  });

  it("masks the second of two overlapping addresses too", () => {
    expect(scanText("a@b.cn+c@d.cn")[0]?.masked).toBe("a***@b.cn+*@*.**");
  });

  it("redacts an unterminated private key block up to the first blank line", () => {
    const text = "-----BEGIN PRIVATE KEY-----\nMIIE\nabcd\n\nafter 13800138000";
    expect(found(text)).toStrictEqual([
      ["private-key", "-----BEGIN PRIVATE KEY-----\nMIIE\nabcd"],
      ["cn-mobile", "13800138000"],
    ]);
  });
});
