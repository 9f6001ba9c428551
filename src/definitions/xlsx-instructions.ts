import type ExcelJS from "exceljs";
import { SHEET } from "./xlsx-layout.js";

/**
 * The Vietnamese instructions sheet of a definition workbook, with a worked example of every answer type. The text
 * is part of the workbook format (as the column titles are), written for the province or ministry officer who copies
 * an official annex into it, so it is Vietnamese only and not a translated chat message.
 */

type Line = readonly (string | number)[];

const INTRO: readonly Line[] = [
  ["HƯỚNG DẪN NHẬP BẢNG TIÊU CHÍ BỘ CHỈ SỐ CHUYỂN ĐỔI SỐ BÁO CHÍ"],
  [],
  ["Bảng tính này dùng để nạp Bảng tiêu chí (phụ lục của quyết định ban hành Bộ chỉ số) vào hệ thống mà không cần viết JSON."],
  ["Mỗi trụ cột, chỉ số thành phần, tiêu chí, mức xếp loại và phương án trả lời nằm trên một dòng của trang tương ứng."],
  ["Không đổi tên trang, không đổi thứ tự hay tiêu đề cột. Dòng trống được bỏ qua. Số thập phân viết 2,5 hoặc 2.5."],
  [],
  ["Các trang cần điền"],
  [SHEET.general, "Mã bộ chỉ số (chữ thường, số, dấu chấm, gạch ngang, ví dụ press-dx-3560-2025), tên, số quyết định, ngày ban hành, văn bản chính thức (có/không), ghi chú, tổng điểm (thường là 100)."],
  [SHEET.levels, "Mỗi mức một dòng, điểm từ tăng dần; mức đầu tiên bắt đầu từ 0. Mức của đơn vị là mức cuối cùng có điểm từ ≤ tổng điểm."],
  [SHEET.pillars, "Mã P1, P2…; điểm tối đa của trụ cột phải bằng tổng điểm tối đa các tiêu chí của nó; tổng các trụ cột bằng tổng điểm."],
  [SHEET.indicators, "Mã P1.1, P1.2…: phần trước dấu chấm cuối là mã trụ cột chứa chỉ số."],
  [SHEET.criteria, "Mã P1.1.1…: phần trước dấu chấm cuối là mã chỉ số chứa tiêu chí. Chọn kiểu trả lời và minh chứng trong danh sách thả xuống."],
  [SHEET.options, "Chỉ cho tiêu chí kiểu choice và multi: mỗi phương án một dòng, ghi mã tiêu chí, mã phương án (a, b, c…), nội dung và điểm."],
  ["Tiếng Anh", "Các cột tiếng Anh bắt buộc có nhưng được để trống; tiếng Việt phải có nội dung. Hướng dẫn (help) có thể để trống cả hai."],
  [],
  ["Kiểu trả lời (answer.type) và cách tính điểm"],
  ["yesno", "Có/Không. Có = điểm tối đa của tiêu chí, Không = 0."],
  ["choice", "Chọn một phương án: được điểm của phương án đó. Ít nhất 2 phương án; phương án cao nhất bằng điểm tối đa."],
  ["multi", "Chọn nhiều phương án: cộng điểm các phương án đã chọn, không vượt điểm tối đa. Tổng điểm mọi phương án ≥ điểm tối đa."],
  ["number", "Nhập một số trong khoảng [Nhỏ nhất, Lớn nhất] (Lớn nhất có thể để trống), đơn vị percent, count hoặc vnd. Điền đúng một trong hai cột:"],
  ["", "• Ngưỡng điểm: \"từ: điểm\" cách nhau bởi dấu chấm phẩy, ví dụ 0: 0; 30: 1; 70: 2 — được điểm của ngưỡng lớn nhất không vượt giá trị. Ngưỡng đầu bằng Nhỏ nhất, các ngưỡng tăng dần, điểm không giảm, ngưỡng cuối bằng điểm tối đa."],
  ["", "• Mục tiêu tuyến tính: điểm = điểm tối đa × min(giá trị, mục tiêu) / mục tiêu, làm tròn 2 chữ số thập phân."],
  [],
  ["Minh chứng (evidence): required = bắt buộc, optional = không bắt buộc, none = không cần."],
  ["Điểm và điểm tối đa không âm, tối đa 2 chữ số thập phân. Mã không được trùng trong toàn bộ bảng."],
  [],
  ["Kiểm tra và nạp"],
  ["1.", "npm run --silent definitions -- validate bang-tieu-chi.xlsx   (mỗi lỗi một dòng, ghi rõ trang và ô, ví dụ Tiêu chí!D12)"],
  ["2.", "npm run --silent definitions -- import bang-tieu-chi.xlsx     (chỉ nạp khi không còn lỗi nào)"],
  ["", "Bộ chỉ số đã nạp không thể sửa: muốn thay đổi, đặt mã mới rồi nạp lại."],
  [],
  ["VÍ DỤ MẪU (một trụ cột 10 điểm, một chỉ số, năm tiêu chí — đủ các kiểu trả lời)"],
];

/** The worked example, sheet by sheet, in the columns of each sheet (a test fills a template with it and reads it). */
export const WORKED_EXAMPLE: readonly (readonly [string, readonly Line[]])[] = [
  [SHEET.pillars, [["P1", "Chiến lược", "Strategy", 10]]],
  [SHEET.indicators, [["P1.1", "Chiến lược, kế hoạch chuyển đổi số", "Digital-transformation strategy and plan"]]],
  [
    SHEET.criteria,
    [
      ["P1.1.1", "Cơ quan có kế hoạch chuyển đổi số được phê duyệt không?", "Is there an approved plan?", 2, "yesno", "", "", "", "", "", "required"],
      ["P1.1.2", "Kế hoạch có lộ trình theo giai đoạn không?", "Is the plan phased?", 2, "choice", "", "", "", "", "", "required"],
      ["P1.1.3", "Tỷ lệ cán bộ được đào tạo kỹ năng số (%)", "Share of staff trained in digital skills (%)", 2, "number", "percent", 0, 100, "0: 0; 30: 1; 70: 2", "", "optional"],
      ["P1.1.4", "Tỷ lệ tăng doanh thu số so với năm trước (%)", "Digital revenue growth (%)", 2, "number", "percent", 0, "", "", 20, "optional"],
      ["P1.1.5", "Kế hoạch được phổ biến qua những kênh nào?", "How is the plan shared?", 2, "multi", "", "", "", "", "", "none"],
    ],
  ],
  [
    SHEET.options,
    [
      ["P1.1.2", "a", "Chưa có", "None", 0],
      ["P1.1.2", "b", "Có kế hoạch năm", "A yearly plan", 1],
      ["P1.1.2", "c", "Có lộ trình tổng thể và hằng năm", "An overall and yearly roadmap", 2],
      ["P1.1.5", "a", "Hội nghị toàn cơ quan", "An all-staff meeting", 1],
      ["P1.1.5", "b", "Mạng nội bộ", "The intranet", 1],
      ["P1.1.5", "c", "Thư điện tử", "E-mail", 0.5],
    ],
  ],
];

const EXAMPLE_NOTES: readonly Line[] = [
  [],
  ["Ở ví dụ trên: trụ cột P1 có 10 điểm = 2 + 2 + 2 + 2 + 2. Tiêu chí P1.1.3 với 45% được 1 điểm (ngưỡng 30); P1.1.4 với 10% được 2 × 10 / 20 = 1 điểm; P1.1.5 chọn a và c được 1 + 0,5 = 1,5 điểm."],
  ["Mức xếp loại mẫu (trang " + SHEET.levels + "): weak | Yếu | Weak | 0;  average | Trung bình | Average | 50;  fair | Khá | Fair | 60;  good | Tốt | Good | 70;  excellent | Xuất sắc | Excellent | 80."],
];

export function writeInstructions(sheet: ExcelJS.Worksheet): void {
  sheet.getColumn(1).width = 22;
  sheet.getColumn(2).width = 60;
  for (let c = 3; c <= 11; c += 1) sheet.getColumn(c).width = 14;
  for (const line of INTRO) sheet.addRow([...line]);
  for (const [name, rows] of WORKED_EXAMPLE) {
    sheet.addRow([`Trang ${name}`]).font = { bold: true, italic: true };
    for (const row of rows) sheet.addRow([...row]);
  }
  for (const line of EXAMPLE_NOTES) sheet.addRow([...line]);
  sheet.getRow(1).font = { bold: true, size: 14 };
  for (const title of ["Các trang cần điền", "Kiểu trả lời (answer.type) và cách tính điểm", "Kiểm tra và nạp"]) {
    sheet.eachRow((row) => {
      if (row.getCell(1).value === title) row.font = { bold: true };
    });
  }
  sheet.getColumn(2).alignment = { wrapText: true, vertical: "top" };
}
