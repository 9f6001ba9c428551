import { describe, expect, it } from "vitest";
import { shippedProvinceMatcher, shippedProvinces } from "../../definitions/province-file.js";
import { provinceKey } from "./match-province.js";

const PROVINCES_2025 = shippedProvinces();
const matchProvince = (name: string) => shippedProvinceMatcher().match(name);

describe("the 34 provincial-level units", () => {
  it("when the list is read, then it has 6 cities and 28 provinces, all names distinct", () => {
    expect(PROVINCES_2025.filter((u) => u.kind === "city")).toHaveLength(6);
    expect(PROVINCES_2025.filter((u) => u.kind === "province")).toHaveLength(28);
    expect(new Set(PROVINCES_2025.map((u) => provinceKey(u.name))).size).toBe(34);
  });

  it("when the merged units are counted, then the 63 former units are all accounted for", () => {
    const former = PROVINCES_2025.flatMap((u) => u.formerly);
    // 34 surviving names + 29 merged away (Huế only changed its name).
    expect(PROVINCES_2025.length + former.length).toBe(63);
  });
});

describe("matchProvince", () => {
  it.each([
    ["Hà Nội", "Hà Nội", "name"],
    ["ha noi", "Hà Nội", "name"],
    ["HÀ NỘI", "Hà Nội", "name"],
    ["TP. Hà Nội", "Hà Nội", "name"],
    ["Thành phố Hà Nội", "Hà Nội", "name"],
    ["Hanoi", "Hà Nội", "name"],
    ["Hà Nội".normalize("NFD"), "Hà Nội", "name"],
    ["Tỉnh Thanh Hoá", "Thanh Hóa", "name"],
    ["tinh thanh hoa", "Thanh Hóa", "name"],
    ["TP.HCM", "Thành phố Hồ Chí Minh", "alias"],
    ["tp ho chi minh", "Thành phố Hồ Chí Minh", "name"],
    ["Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", "former"],
    ["Bình Dương", "Thành phố Hồ Chí Minh", "former"],
    ["Thừa Thiên Huế", "Huế", "alias"],
    ["Hải Dương", "Hải Phòng", "former"],
    ["Quảng Nam", "Đà Nẵng", "former"],
    ["Hà Giang", "Tuyên Quang", "former"],
    ["nam dinh", "Ninh Bình", "former"],
    ["Dak Lak", "Đắk Lắk", "name"],
    ["Kiên Giang", "An Giang", "former"],
    ["Đắc Lắc", "Đắk Lắk", "alias"],
  ])("when %j is given, then it is %s (%s)", (input, name, via) => {
    expect(matchProvince(input)).toMatchObject({ kind: "found", unit: { name }, via });
  });

  it.each([
    ["Ha Nol", "Hà Nội"],
    ["Hai Phong city", "Hải Phòng"],
    ["Atlantis", expect.any(String)],
    ["Quang Ngai x", "Quảng Ngãi"],
  ])("when %j matches no unit, then it is unknown and %s is suggested", (input, suggestion) => {
    expect(matchProvince(input)).toMatchObject({ kind: "unknown", suggestion: { name: suggestion } });
  });
});
