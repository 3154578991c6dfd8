// Vietnamese by default, English on request; the choice is remembered.

import type { RecordState } from "./bindings/RecordState";

const strings = {
  appName: ["Tiếp nhận hồ sơ", "Record intake"],
  signIn: ["Đăng nhập", "Sign in"],
  signOut: ["Đăng xuất", "Sign out"],
  username: ["Tên đăng nhập", "Username"],
  password: ["Mật khẩu", "Password"],
  noAccounts: [
    'Chưa có tài khoản nào. Cán bộ CNTT tạo tài khoản đầu tiên bằng lệnh: hoso user add TÊN --name "Họ tên" --role admin',
    'No account exists yet. IT creates the first one with: hoso user add NAME --name "Full name" --role admin',
  ],
  records: ["Hồ sơ", "Records"],
  newRecord: ["Tiếp nhận mới", "New record"],
  certification: ["Chứng thực", "Certification"],
  sync: ["Đồng bộ", "Sync"],
  diagnostics: ["Chẩn đoán", "Diagnostics"],
  settings: ["Cài đặt", "Settings"],
  accounts: ["Tài khoản", "Accounts"],
  verify: ["Kiểm tra chữ ký", "Verify signatures"],
  verifyHint: [
    "Chọn một tệp PDF đã ký (bản sao điện tử của quầy này hoặc của cơ quan khác) để xem ai ký, ký khi nào, đường tin cậy, tình trạng thu hồi và tệp có bị sửa sau khi ký không.",
    "Pick a signed PDF (an electronic copy from this counter or another agency) to see who signed, when, the trust path, revocation and whether the file changed after signing.",
  ],
  signedFile: ["Tệp PDF đã ký", "Signed PDF"],
  noSignature: ["Tệp không có chữ ký số.", "The file has no digital signature."],
  signature: ["Chữ ký", "Signature"],
  signer: ["Người ký", "Signer"],
  issuer: ["Đơn vị cấp", "Issuer"],
  signingTime: ["Thời điểm ký (người ký ghi)", "Signing time (as the signer wrote)"],
  timeStamp: ["Dấu thời gian", "Time-stamp"],
  padesLevel: ["Mức PAdES", "PAdES level"],
  trustPath: ["Đường tin cậy", "Trust path"],
  revocation: ["Thu hồi", "Revocation"],
  changedAfterSigning: ["Thay đổi sau khi ký", "Changed after signing"],
  code: ["Mã hồ sơ", "Record code"],
  procedure: ["Thủ tục", "Procedure"],
  applicant: ["Người nộp", "Applicant"],
  state: ["Trạng thái", "State"],
  received: ["Ngày nhận", "Received"],
  pages: ["Trang", "Pages"],
  all: ["Tất cả", "All"],
  name: ["Họ và tên", "Full name"],
  personalId: ["Số định danh (CCCD)", "Personal ID"],
  phone: ["Điện thoại", "Phone"],
  address: ["Địa chỉ", "Address"],
  readCard: ["Đọc thẻ CCCD trên mặt kính", "Read the ID card on the glass"],
  cardFile: ["Chọn ảnh thẻ…", "Card image file…"],
  create: ["Tạo hồ sơ", "Open record"],
  checklist: ["Thành phần hồ sơ", "Checklist"],
  required: ["bắt buộc", "required"],
  optional: ["không bắt buộc", "optional"],
  needsCert: ["cần chứng thực", "needs certification"],
  scan: ["Quét", "Scan"],
  scanner: ["Máy quét", "Scanner"],
  source: ["Khay", "Source"],
  feeder: ["Khay nạp giấy", "Feeder"],
  flatbed: ["Mặt kính", "Flatbed"],
  duplex: ["Hai mặt", "Duplex"],
  resolution: ["Độ phân giải", "Resolution"],
  mode: ["Màu", "Colour"],
  colour: ["Màu", "Colour"],
  gray: ["Xám", "Grey"],
  bw: ["Đen trắng", "Black & white"],
  importFiles: ["Nhập tệp…", "Import files…"],
  pagesImported: ["Đã nhập {n} trang", "{n} page(s) imported"],
  pagesAlready: ["{n} trang đã có trong hồ sơ", "{n} page(s) already in the record"],
  dropHint: ["PNG, JPEG, TIFF; hoặc kéo tệp thả vào đây", "PNG, JPEG, TIFF; or drop files here"],
  build: ["Dựng PDF/A", "Build PDF/A"],
  seal: ["Niêm phong và xếp hàng gửi", "Seal and queue"],
  slip: ["Phiếu tiếp nhận", "Receipt slip"],
  print: ["In", "Print"],
  remove: ["Bỏ trang", "Remove page"],
  moveUp: ["Lên", "Earlier"],
  moveDown: ["Xuống", "Later"],
  rescan: ["Quét lại", "Rescan"],
  turn: ["Xoay phải 90°", "Turn right 90°"],
  view: ["Xem", "View"],
  waitingOcr: ["đang nhận dạng", "being read"],
  noPages: ["Chưa có trang", "No pages yet"],
  staleDoc: ["PDF cũ: trang đã thay đổi, dựng lại", "Old PDF: pages changed, build again"],
  certifyQueue: ["Hồ sơ chờ chứng thực", "Records awaiting certification"],
  certificate: ["Chứng thư số", "Certificate"],
  pin: ["Mã PIN của thiết bị ký", "Token PIN"],
  certifySelected: ["Chứng thực các hồ sơ đã chọn", "Certify selected records"],
  title: ["Chức vụ", "Title"],
  nothingWaiting: ["Không có hồ sơ nào chờ.", "Nothing is waiting."],
  ledger: ["Sổ gửi", "Sync ledger"],
  attempts: ["Lần thử", "Attempts"],
  lastError: ["Lỗi gần nhất", "Last error"],
  sendNow: ["Gửi ngay", "Send now"],
  retry: ["Gửi lại", "Send again"],
  check: ["Kiểm tra", "Check"],
  runAgain: ["Kiểm tra lại", "Check again"],
  hint: ["Cách xử lý", "What to do"],
  configFiles: ["Tệp cấu hình", "Configuration files"],
  settingsNote: [
    "Thay đổi được ghi vào tệp cấu hình của máy này và thắng tệp chung của CNTT. Để trống một ô để dùng lại giá trị chung.",
    "Changes are written to this PC's configuration file and win over IT's machine-wide file. Empty a field to use the shared value again.",
  ],
  settingsReadOnly: ["Chỉ quản trị viên thay đổi được cài đặt.", "Only administrators can change settings."],
  save: ["Lưu", "Save"],
  saved: ["Đã lưu", "Saved"],
  nothingChanged: ["Không có gì thay đổi", "Nothing changed"],
  setting: ["Thiết lập", "Setting"],
  value: ["Giá trị", "Value"],
  origin: ["Nguồn", "Where from"],
  src_default: ["mặc định", "default"],
  src_system: ["tệp chung", "machine-wide file"],
  src_user: ["máy này", "this PC"],
  src_environment: ["biến môi trường", "environment"],
  src_flag: ["tham số", "flag"],
  role: ["Vai trò", "Role"],
  reception: ["Tiếp nhận", "Reception"],
  supervisor: ["Lãnh đạo / giám sát", "Supervisor"],
  admin: ["Quản trị", "Administrator"],
  add: ["Thêm", "Add"],
  disable: ["Khoá", "Disable"],
  enable: ["Mở khoá", "Enable"],
  setPassword: ["Đặt mật khẩu", "Set password"],
  disabled: ["đã khoá", "disabled"],
  tasks: ["Công việc", "Tasks"],
  pageImage: ["Ảnh trang", "Page image"],
  pdf: ["Bản PDF", "PDF"],
  close: ["Đóng", "Close"],
  language: ["English", "Tiếng Việt"],
} as const;

export type Key = keyof typeof strings;

let lang: 0 | 1 = localStorage.getItem("hoso.lang") === "en" ? 1 : 0;

export function t(key: Key): string {
  return strings[key][lang];
}

export function toggleLanguage(): void {
  lang = lang === 0 ? 1 : 0;
  localStorage.setItem("hoso.lang", lang === 1 ? "en" : "vi");
  document.documentElement.lang = lang === 1 ? "en" : "vi";
}

export function isEnglish(): boolean {
  return lang === 1;
}

/** A label for every record state (tsc refuses a state left out). */
const stateLabels: Record<RecordState, [string, string]> = {
  draft: ["Mới tạo", "Draft"],
  scanning: ["Đang quét", "Scanning"],
  processing: ["Đang xử lý", "Processing"],
  review: ["Chờ kiểm tra", "Review"],
  certification: ["Đã chứng thực", "Certified"],
  sealed: ["Đã niêm phong", "Sealed"],
  queued: ["Chờ gửi", "Queued"],
  synced: ["Đã gửi", "Synced"],
  rejected: ["Bị từ chối", "Rejected"],
};

export function stateLabel(state: RecordState): string {
  return stateLabels[state][lang];
}

export const recordStates = Object.keys(stateLabels) as RecordState[];

const issueLabels: Record<string, [string, string]> = {
  blank: ["Trang trắng", "Blank"],
  blurred: ["Mờ", "Blurred"],
  too_dark: ["Quá tối", "Too dark"],
  faint: ["Chữ nhạt", "Faint"],
  low_dpi: ["Dưới 200 dpi: quét lại", "Below 200 dpi: rescan"],
  no_dpi: ["Không rõ dpi", "No dpi"],
};

export function issueLabel(issue: string): string {
  return issueLabels[issue]?.[lang] ?? issue;
}
