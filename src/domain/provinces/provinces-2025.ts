/**
 * Vietnam's 34 provincial-level units in force since 1 July 2025 (Resolution 202/2025/QH15 of the National Assembly,
 * 12 June 2025): 6 centrally-run cities and 28 provinces. `formerly` lists the units merged into each, whose names
 * still appear in people's habits and in older data; `aliases` other common ways of writing the name.
 */
export interface ProvinceUnit {
  readonly name: string;
  readonly kind: "city" | "province";
  readonly formerly: readonly string[];
  readonly aliases: readonly string[];
}

const city = (name: string, formerly: readonly string[] = [], aliases: readonly string[] = []): ProvinceUnit => ({ name, kind: "city", formerly, aliases });
const province = (name: string, formerly: readonly string[] = [], aliases: readonly string[] = []): ProvinceUnit => ({ name, kind: "province", formerly, aliases });

export const PROVINCES_2025: readonly ProvinceUnit[] = [
  city("Hà Nội"),
  city("Huế", [], ["Thừa Thiên Huế", "Thừa Thiên"]),
  city("Hải Phòng", ["Hải Dương"]),
  city("Đà Nẵng", ["Quảng Nam"]),
  city("Thành phố Hồ Chí Minh", ["Bình Dương", "Bà Rịa–Vũng Tàu"], ["Hồ Chí Minh", "TP.HCM", "TPHCM", "HCM", "Sài Gòn", "Vũng Tàu"]),
  city("Cần Thơ", ["Sóc Trăng", "Hậu Giang"]),
  province("Cao Bằng"),
  province("Điện Biên"),
  province("Lai Châu"),
  province("Lạng Sơn"),
  province("Sơn La"),
  province("Quảng Ninh"),
  province("Thanh Hóa"),
  province("Nghệ An"),
  province("Hà Tĩnh"),
  province("Tuyên Quang", ["Hà Giang"]),
  province("Lào Cai", ["Yên Bái"]),
  province("Thái Nguyên", ["Bắc Kạn"], ["Bắc Cạn"]),
  province("Phú Thọ", ["Vĩnh Phúc", "Hòa Bình"]),
  province("Bắc Ninh", ["Bắc Giang"]),
  province("Hưng Yên", ["Thái Bình"]),
  province("Ninh Bình", ["Hà Nam", "Nam Định"]),
  province("Quảng Trị", ["Quảng Bình"]),
  province("Quảng Ngãi", ["Kon Tum"]),
  province("Gia Lai", ["Bình Định"]),
  province("Khánh Hòa", ["Ninh Thuận"]),
  province("Lâm Đồng", ["Đắk Nông", "Bình Thuận"], ["Đắc Nông"]),
  province("Đắk Lắk", ["Phú Yên"], ["Đắc Lắc"]),
  province("Đồng Nai", ["Bình Phước"]),
  province("Tây Ninh", ["Long An"]),
  province("Vĩnh Long", ["Bến Tre", "Trà Vinh"]),
  province("Đồng Tháp", ["Tiền Giang"]),
  province("Cà Mau", ["Bạc Liêu"]),
  province("An Giang", ["Kiên Giang"]),
];
