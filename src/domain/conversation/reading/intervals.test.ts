import { describe, expect, it } from "vitest";
import { replyVocabulary } from "../../../i18n/reply-vocabulary.js";
import { readFigure } from "./figures.js";
import { contains, labelInterval } from "./intervals.js";
import { normalizeReply } from "./normalize.js";

const vocabulary = replyVocabulary();

describe("intervals read from option labels", () => {
  it.each<[string, number[], number[]]>([
    ["Tăng dưới 10%", [0.5, 9.9], [0, 10, 15]],
    ["Tăng từ 10% đến dưới 20%", [10, 15, 19.9], [9.9, 20]],
    ["Tăng từ 20% trở lên", [20, 150], [19.9]],
    ["Giảm hoặc không tăng", [-5, 0], [0.1]],
    ["Dưới 5 người", [0, 4], [5]],
    ["Từ 5 đến 10 người", [5, 10], [4, 11]],
    ["Trên 10 người", [11], [10]],
    ["Không quá 2 lần/năm", [0, 2], [3]],
    ["3–5 lần/năm", [3, 5], [2, 6]],
    ["Từ 1 tỷ đến dưới 3 tỷ đồng", [1e9, 2.5e9], [3e9, 9e8]],
    ["Cấp độ 1 hoặc cấp độ 2", [1, 2], [3]],
    ["Cấp độ 3 trở lên", [3, 4, 5], [2]],
  ])("when the label is %j, then it holds %j and not %j", (label, inside, outside) => {
    const interval = labelInterval(label, vocabulary);
    expect(interval).not.toBeNull();
    for (const value of inside) expect(interval && contains(interval, value), `${value}`).toBe(true);
    for (const value of outside) expect(interval && contains(interval, value), `${value}`).toBe(false);
  });

  it.each(["Chưa có", "Có giám sát chuyên nghiệp 24/7", "Quảng cáo trực tuyến"])("when the label %j states no interval, then none is read", (label) => {
    expect(labelInterval(label, vocabulary)).toBeNull();
  });
});

describe("figures in a sentence", () => {
  it.each<[string, "percent" | "count" | "vnd", number]>([
    ["đạt 70%", "percent", 70],
    ["được 60% ạ", "percent", 60],
    ["tầm 45 phần trăm", "percent", 45],
    ["khoảng 2 tỷ", "vnd", 2e9],
    ["1 tỷ 2", "vnd", 1.2e9],
    ["2 tỷ rưỡi", "vnd", 2.5e9],
    ["300tr", "vnd", 3e8],
    ["1.000", "count", 1000],
  ])("when %j is typed, then the figure is %d", (text, unit, value) => {
    expect(readFigure(normalizeReply(text, vocabulary).words, vocabulary, unit)?.value).toBe(value);
  });

  it.each(["50-60", "hơn 80%", "3 hoặc 4", "không biết"])("when %j is typed, then it is not one figure", (text) => {
    expect(readFigure(normalizeReply(text, vocabulary).words, vocabulary, "percent")).toBeNull();
  });
});
