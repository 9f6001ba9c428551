import { describe, expect, it } from "vitest";
import { CAPTION_MAX_CHARS, captionField, dossierQuery, parseCommand, type CommandParse } from "./input.js";

describe("parseCommand", () => {
  it.each<[string, CommandParse]>([
    ["/score", { name: "score", arg: "", slash: true }],
    ["/SCORE", { name: "score", arg: "", slash: true }],
    ["  /help  ", { name: "help", arg: "", slash: true }],
    ["/goto P2.1.3", { name: "goto", arg: "P2.1.3", slash: true }],
    ["/start K7M2Q-9XWDA", { name: "start", arg: "K7M2Q-9XWDA", slash: true }],
    ["/score@SomeBot", { name: "score", arg: "", slash: true }],
    ["/goto@SomeBot 2", { name: "goto", arg: "2", slash: true }],
    ["/lang en", { name: "lang", arg: "en", slash: true }],
    ["/note Đã ký quyết định", { name: "note", arg: "Đã ký quyết định", slash: true }],
  ])("when %j is sent with a slash, then it is the command %j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ["điểm", "score", ""],
    ["diem", "score", ""],
    ["Điểm!", "score", ""],
    ["xem điểm", "score", ""],
    ["kết quả", "score", ""],
    ["tiếp tục", "continue", ""],
    ["tiep tuc", "continue", ""],
    ["Tiếp Tục", "continue", ""],
    ["quay lại", "back", ""],
    ["quay lai", "back", ""],
    ["bỏ qua", "skip", ""],
    ["bo qua", "skip", ""],
    ["trợ giúp", "help", ""],
    ["tro giup", "help", ""],
    ["menu", "menu", ""],
    ["tiến độ", "progress", ""],
    ["nộp", "submit", ""],
    ["mở lại", "reopen", ""],
    ["xong", "done", ""],
    ["hủy", "cancel", ""],
    ["xem lại 2", "review", "2"],
    ["xem lai 3", "review", "3"],
    ["đến 2", "goto", "2"],
    ["den P2.1.3", "goto", "P2.1.3"],
    ["ghi chú abc", "note", "abc"],
    ["Ghi chú Đã ký ngày 5/3", "note", "Đã ký ngày 5/3"],
    ["ngôn ngữ en", "lang", "en"],
  ])("when a Zalo user types the Vietnamese word %j, then it is the command %s with argument %j", (input, name, arg) => {
    expect(parseCommand(input)).toEqual({ name, arg, slash: false });
  });

  it.each<[string, string, string]>([
    ["score", "score", ""],
    ["help", "help", ""],
    ["continue", "continue", ""],
    ["next", "continue", ""],
    ["back", "back", ""],
    ["skip", "skip", ""],
    ["progress", "progress", ""],
    ["goto 3", "goto", "3"],
    ["review 1", "review", "1"],
    ["note hello there", "note", "hello there"],
    ["lang vi", "lang", "vi"],
    ["done", "done", ""],
  ])("when the English word %j is typed, then it is the command %s with argument %j", (input, name, arg) => {
    expect(parseCommand(input)).toEqual({ name, arg, slash: false });
  });

  it.each<[string, string]>([
    ["/foo", "/foo"],
    ["/foo bar", "/foo"],
    ["/", "/"],
    ["/123", "/123"],
  ])("when an unknown slash command %j is sent, then it is reported as unknown %j", (input, word) => {
    expect(parseCommand(input)).toEqual({ name: "unknown", word });
  });

  it.each(["Chưa ban hành", "45", "45,5", "1 3", "Đã ban hành, giao rõ việc và thời hạn", "điểm số", "tiep tuc di", "https://baothu.vn/a"])(
    "when the plain answer %j is typed, then it is not taken as a command",
    (input) => {
      expect(parseCommand(input)).toBeNull();
    },
  );

  it.each<[string, string]>([
    ["có", "yes"],
    ["Có", "yes"],
    ["không", "no"],
    ["khong", "no"],
  ])("when %j is typed, then it is the bare word %s (the engine decides whether it answers a question)", (input, name) => {
    expect(parseCommand(input)).toEqual({ name, arg: "", slash: false });
  });
});

describe("captionField", () => {
  it.each<[string, string | undefined, { caption?: string }]>([
    ["no caption", undefined, {}],
    ["a blank caption", "   \n ", {}],
    ["a caption with spaces around it", "  Quyết định 12/QĐ \n", { caption: "Quyết định 12/QĐ" }],
  ])("when a photo comes with %s, then %j is kept", (_case, raw, expected) => {
    expect(captionField(raw)).toEqual(expected);
  });

  it("when a caption is longer than the limit, then it is cut to the limit", () => {
    const kept = captionField(`${"chữ ".repeat(400)}`).caption ?? "";
    expect(kept.length).toBeLessThanOrEqual(CAPTION_MAX_CHARS);
    expect(kept.length).toBeGreaterThan(CAPTION_MAX_CHARS - 5);
    expect(kept.startsWith("chữ chữ")).toBe(true);
  });
});

describe("the dossier's words", () => {
  it.each(["hồ sơ", "Hồ sơ", "ho so", "xuất hồ sơ", "/dossier", "dossier"])("when %j is typed alone, then it asks for the dossier", (text) => {
    expect(parseCommand(text)).toMatchObject({ name: "dossier", arg: "" });
  });

  it.each(["hồ sơ điện tử đã triển khai", "ho so luu tru dien tu", "Hồ sơ công việc được số hóa 80%"])(
    "when an answer starts with “hồ sơ” (%j), then it is not read as a command",
    (text) => {
      expect(parseCommand(text)).toBeNull();
    },
  );

  it.each<[string, string | null]>([
    ["hồ sơ 3", "3"],
    ["ho so 12", "12"],
    ["Hồ Sơ Báo Kiểm Thử", "Báo Kiểm Thử"],
    ["hồ sơ: Báo Mẫu", "Báo Mẫu"],
    ["/dossier 2", "2"],
    ["/dossier@SomeBot 2", "2"],
    ["dossier Sample News", "Sample News"],
    ["hồ sơ", null],
    ["xem hồ sơ 3", null],
  ])("when a supervisor types %j, then the agency asked for is %j", (text, query) => {
    expect(dossierQuery(text)).toBe(query);
  });
});
