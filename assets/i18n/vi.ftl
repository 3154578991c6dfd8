# HoSo Intake — thông điệp tiếng Việt. One catalogue per language; every id
# here is in en.ftl with the same variables (a test checks it).

## Background tasks (the desktop's task bar)

task-progress-pages = { $pages } trang
task-built = Đã dựng { $documents } PDF/A ({ $pages } trang)
task-scanned = Đã quét { $pages } trang
task-scanned-then-stopped = Đã quét { $pages } trang, rồi dừng: { $why }
task-rescanned = Đã quét lại trang { $page }
task-read = Đã nhận dạng { $pages } trang
task-certified = Đã chứng thực: { $copies }
task-certified-copy = { $record } số { $number }
task-certified-copy-pending = { $record } số { $number } (chưa có dữ liệu kiểm tra dài hạn)
task-certified-before = đã xong trước đó: { $copies }
task-synced = Đã gửi { $synced } hồ sơ, { $postponed } chờ gửi lại, { $rejected } bị từ chối
task-internal-error = lỗi nội bộ, xem nhật ký
task-no-page = máy quét không trả về trang nào

## Errors a front end says in one language

# Technical detail no catalogue translates (an OS or parser error's own text).
detail = { $detail }

error-not-signed-in = chưa đăng nhập
error-only-certifier = chỉ lãnh đạo/giám sát được chứng thực
error-only-admin = chỉ quản trị viên
error-unknown-command = lệnh không có: { $command }
error-bad-arguments = tham số sai

## The command line's answers

doctor-summary = Kết quả: { $ok } đạt, { $warnings } cảnh báo, { $problems } lỗi
ledger-attempts = { $attempts } lần

## The desktop window (ui/src): labels, and the names of record states and page issues

ui-app-name = Tiếp nhận hồ sơ
ui-sign-in = Đăng nhập
ui-sign-out = Đăng xuất
ui-username = Tên đăng nhập
ui-password = Mật khẩu
ui-no-accounts = Chưa có tài khoản nào. Cán bộ CNTT tạo tài khoản đầu tiên bằng lệnh: hoso user add TÊN --name "Họ tên" --role admin
ui-records = Hồ sơ
ui-new-record = Tiếp nhận mới
ui-certification = Chứng thực
ui-sync = Đồng bộ
ui-diagnostics = Chẩn đoán
ui-settings = Cài đặt
ui-accounts = Tài khoản
ui-verify = Kiểm tra chữ ký
ui-verify-hint = Chọn một tệp PDF đã ký (bản sao điện tử của quầy này hoặc của cơ quan khác) để xem ai ký, ký khi nào, đường tin cậy, tình trạng thu hồi và tệp có bị sửa sau khi ký không.
ui-signed-file = Tệp PDF đã ký
ui-no-signature = Tệp không có chữ ký số.
ui-signature = Chữ ký
ui-signer = Người ký
ui-issuer = Đơn vị cấp
ui-signing-time = Thời điểm ký (người ký ghi)
ui-time-stamp = Dấu thời gian
ui-pades-level = Mức PAdES
ui-trust-path = Đường tin cậy
ui-revocation = Thu hồi
ui-changed-after-signing = Thay đổi sau khi ký
ui-code = Mã hồ sơ
ui-procedure = Thủ tục
ui-applicant = Người nộp
ui-state = Trạng thái
ui-received = Ngày nhận
ui-pages = Trang
ui-all = Tất cả
ui-name = Họ và tên
ui-personal-id = Số định danh (CCCD)
ui-phone = Điện thoại
ui-address = Địa chỉ
ui-read-card = Đọc thẻ CCCD trên mặt kính
ui-card-file = Chọn ảnh thẻ…
ui-create = Tạo hồ sơ
ui-checklist = Thành phần hồ sơ
ui-required = bắt buộc
ui-optional = không bắt buộc
ui-needs-cert = cần chứng thực
ui-scan = Quét
ui-scanner = Máy quét
ui-source = Khay
ui-feeder = Khay nạp giấy
ui-flatbed = Mặt kính
ui-duplex = Hai mặt
ui-resolution = Độ phân giải
ui-mode = Màu
ui-colour = Màu
ui-gray = Xám
ui-bw = Đen trắng
ui-import-files = Nhập tệp…
ui-pages-imported = Đã nhập { $n } trang
ui-pages-already = { $n } trang đã có trong hồ sơ
ui-drop-hint = PNG, JPEG, TIFF; hoặc kéo tệp thả vào đây
ui-build = Dựng PDF/A
ui-seal = Niêm phong và xếp hàng gửi
ui-slip = Phiếu tiếp nhận
ui-print = In
ui-remove = Bỏ trang
ui-move-up = Lên
ui-move-down = Xuống
ui-rescan = Quét lại
ui-turn = Xoay phải 90°
ui-view = Xem
ui-waiting-ocr = đang nhận dạng
ui-no-pages = Chưa có trang
ui-stale-doc = PDF cũ: trang đã thay đổi, dựng lại
ui-certify-queue = Hồ sơ chờ chứng thực
ui-certificate = Chứng thư số
ui-pin = Mã PIN của thiết bị ký
ui-certify-selected = Chứng thực các hồ sơ đã chọn
ui-title = Chức vụ
ui-nothing-waiting = Không có hồ sơ nào chờ.
ui-ledger = Sổ gửi
ui-attempts = Lần thử
ui-last-error = Lỗi gần nhất
ui-send-now = Gửi ngay
ui-retry = Gửi lại
ui-check = Kiểm tra
ui-run-again = Kiểm tra lại
ui-hint = Cách xử lý
ui-config-files = Tệp cấu hình
ui-settings-note = Thay đổi được ghi vào tệp cấu hình của máy này và thắng tệp chung của CNTT. Để trống một ô để dùng lại giá trị chung.
ui-settings-read-only = Chỉ quản trị viên thay đổi được cài đặt.
ui-save = Lưu
ui-saved = Đã lưu
ui-nothing-changed = Không có gì thay đổi
ui-setting = Thiết lập
ui-value = Giá trị
ui-origin = Nguồn
ui-src-default = mặc định
ui-src-system = tệp chung
ui-src-user = máy này
ui-src-environment = biến môi trường
ui-src-flag = tham số
ui-role = Vai trò
ui-reception = Tiếp nhận
ui-supervisor = Lãnh đạo / giám sát
ui-admin = Quản trị
ui-add = Thêm
ui-disable = Khoá
ui-enable = Mở khoá
ui-set-password = Đặt mật khẩu
ui-disabled = đã khoá
ui-tasks = Công việc
ui-page-image = Ảnh trang
ui-pdf = Bản PDF
ui-close = Đóng
ui-language = English
state-draft = Mới tạo
state-scanning = Đang quét
state-processing = Đang xử lý
state-review = Chờ kiểm tra
state-certification = Đã chứng thực
state-sealed = Đã niêm phong
state-queued = Chờ gửi
state-synced = Đã gửi
state-rejected = Bị từ chối
issue-blank = Trang trắng
issue-blurred = Mờ
issue-too-dark = Quá tối
issue-faint = Chữ nhạt
issue-low-dpi = Dưới 200 dpi: quét lại
issue-no-dpi = Không rõ dpi

## Signatures (hoso-sign): signing, verdicts, trust paths, revocation, time-stamps

sign-token = thiết bị ký / PKCS#11: { $detail }
sign-wrong-pin = sai mã PIN
sign-pin-locked = mã PIN đã bị khoá, liên hệ nhà cung cấp chứng thư
sign-token-busy = thiết bị ký đang ký một lô chứng thực khác, chờ lô đó xong
sign-certificate = chứng thư số: { $detail }
sign-expired = chứng thư số đã hết hạn: { $detail }
sign-not-yet-valid = chứng thư số chưa có hiệu lực: { $detail }
sign-pdf = PDF: { $detail }
sign-timestamp = không lấy được dấu thời gian: { $detail }
sign-pdf-unreadable = không đọc được tệp PDF: { $why }
sign-pdf-encrypted = tệp PDF được mã hoá: chưa kiểm tra được
sign-bad-byte-range = /ByteRange của chữ ký { $field } sai
sign-bad-contents = /Contents của chữ ký { $field } sai
sign-no-signature = tệp không có chữ ký số
sign-module-unloadable = không nạp được thư viện PKCS#11 { $module }: { $why }
sign-choose-certificate = thiết bị ký có { $count } chứng thư, hãy chọn một theo dấu vân tay
sign-certificate-not-found = không thấy chứng thư trên thiết bị ký
sign-no-private-key = thiết bị ký không có khoá của chứng thư này
sign-token-not-found = không thấy thiết bị ký { $label }: đã cắm chưa?
sign-p12-unreadable = { $file }: { $why } (sai mật khẩu?)
verdict-valid = HỢP LỆ
verdict-revocation-unknown = CHƯA KIỂM TRA ĐƯỢC THU HỒI (chữ ký đúng, chuỗi tin cậy, nhưng chưa biết chứng thư có bị thu hồi)
verdict-revoked = CHỨNG THƯ ĐÃ BỊ THU HỒI (chữ ký đúng nhưng chứng thư không còn giá trị)
verdict-untrusted = CHƯA TIN CẬY (không lên được chứng thư gốc)
verdict-changed = ĐÃ BỊ SỬA SAU KHI KÝ (phần đã ký còn nguyên, nhưng tài liệu bị thay đổi sau đó)
verdict-invalid = KHÔNG HỢP LỆ (tệp đã bị sửa hoặc chữ ký sai)
level-b-lt = B-LT: tệp tự mang dữ liệu kiểm tra thu hồi, kiểm tra được không cần mạng
level-b-t = B-T: có dấu thời gian
level-b-b = B-B: chữ ký cơ bản
time-proven = { $time } ({ $tsa }, đã chứng minh)
time-not-proven = { $time } ({ $tsa }, chưa chứng minh: { $why })
time-claimed = không có dấu thời gian: thời điểm ký do người ký tự ghi
change-added = thêm đối tượng { $object } ({ $kind }) sau khi ký
change-replaced = đối tượng { $object } ({ $kind }) bị thay sau khi ký
change-replaced-keys = đối tượng { $object } ({ $kind }) bị thay sau khi ký ({ $keys })
path-fault-no-roots = chưa cấu hình chứng thư gốc tin cậy
path-fault-unknown-issuer = không lên được chứng thư gốc tin cậy nào
path-fault-not-ca = một chứng thư không phải của tổ chức cấp (CA) đã cấp chứng thư khác
path-fault-not-cert-signer = chứng thư của đơn vị cấp không được phép ký chứng thư (keyCertSign)
path-fault-path-too-long = chuỗi dài hơn giới hạn của đơn vị cấp
path-fault-expired = một chứng thư trong chuỗi đã hết hạn
path-fault-not-yet-valid = một chứng thư trong chuỗi chưa có hiệu lực
path-fault-signer-key-usage = chứng thư của người ký không dùng để ký văn bản (keyUsage)
path-fault-ca-as-signer = chứng thư của tổ chức cấp (CA) dùng để ký văn bản
path-fault-algorithm = thuật toán hoặc khoá không được chấp nhận (SHA-1, RSA dưới 2048 bit, ...)
path-fault-bad-signature = chữ ký trên một chứng thư trong chuỗi không đúng
path-fault-critical-extension = chứng thư có phần mở rộng bắt buộc không được hỗ trợ
path-fault-name-constraints = tên nằm ngoài phạm vi đơn vị cấp cho phép
path-fault-revoked = chứng thư đã bị thu hồi
path-fault-malformed = chứng thư không đọc được: { $detail }
tsa-fault-unreadable = dấu thời gian không đọc được
tsa-fault-imprint-mismatch = dấu thời gian đóng cho giá trị khác chữ ký này
tsa-fault-bad-signature = chữ ký của đơn vị cấp dấu thời gian không đúng
tsa-fault-not-timestamping = chứng thư của đơn vị cấp dấu thời gian không dùng để cấp dấu thời gian
tsa-fault-untrusted = đơn vị cấp dấu thời gian chưa tin cậy được: { $why }
tsa-fault-revoked = chứng thư của đơn vị cấp dấu thời gian đã bị thu hồi
revocation-good = { $subject }: chưa bị thu hồi (theo { $source })
revocation-revoked = { $subject }: ĐÃ BỊ THU HỒI từ { $since } (theo { $source })
revocation-revoked-reason = { $subject }: ĐÃ BỊ THU HỒI từ { $since }, { $reason } (theo { $source })
revocation-unknown = { $subject }: chưa kiểm tra được việc thu hồi ({ $why })
revocation-no-address = chứng thư không ghi địa chỉ CRL hay OCSP
revocation-dss-useless = DSS: dữ liệu xác thực trong tệp không có câu trả lời còn giá trị
revocation-source-failed = { $kind } { $url }: { $why }
revocation-kept-failed = { $kind } { $url } (đã lưu): { $why }
revocation-offline = { $kind } { $url }: ngoại tuyến, chưa lưu
revocation-future = phát hành sau thời điểm hiện tại
revocation-stale = đã cũ (quá hạn cập nhật)
crl-pem-not-crl = PEM { $label }, không phải CRL
crl-unreadable = CRL không đọc được: { $why }
crl-other-issuer = CRL của đơn vị khác
crl-signature-unreadable = chữ ký CRL không đọc được
crl-bad-signature = chữ ký CRL không đúng: { $why }
crl-no-crl-sign = đơn vị cấp không được ký CRL (cRLSign)
crl-delta = CRL bổ sung (delta), không đủ
crl-out-of-scope = phạm vi CRL không gồm chứng thư này
crl-critical-extension = CRL có phần mở rộng bắt buộc lạ { $oid }
ocsp-unreadable = trả lời OCSP không đọc được: { $why }
ocsp-refused = máy chủ OCSP từ chối: { $status }
ocsp-empty = trả lời OCSP rỗng
ocsp-unknown-type = loại trả lời OCSP lạ { $oid }
ocsp-future = trả lời OCSP ghi thời điểm trong tương lai
ocsp-signature-unreadable = chữ ký OCSP không đọc được
ocsp-bad-signature = chữ ký OCSP không đúng: { $why }
ocsp-other-certificate = trả lời OCSP cho chứng thư khác
ocsp-unknown-certificate = máy chủ OCSP không biết chứng thư này
ocsp-responder-missing = không có chứng thư của máy chủ OCSP
ocsp-not-delegated = máy chủ OCSP không do đơn vị cấp ủy quyền
ocsp-responder-not-issuers = chứng thư máy chủ OCSP không do đơn vị cấp ký: { $why }
ocsp-responder-no-eku = chứng thư máy chủ OCSP thiếu OCSPSigning
ocsp-responder-not-valid = chứng thư máy chủ OCSP không có hiệu lực khi trả lời
ltv-gap = chữ ký { $signature }: { $why }
ltv-unreadable-signature = không đọc được chữ ký
ltv-no-signer = thiếu chứng thư của người ký
ltv-no-timestamp = không có dấu thời gian (cấu hình tsa_url): dữ liệu xác thực chỉ có giá trị khi còn mới
ltv-timestamp-unproven = dấu thời gian không chứng minh được thời điểm ký: { $why }

## Records, pages and the store (hoso-core, hoso-model, hoso-store)

state-wrong-for-pages = hồ sơ { $record } đang «{ $state }», không thêm trang được nữa
state-wrong-for-seal = hồ sơ { $record } đang «{ $state }», không niêm phong được: chỉ niêm phong hồ sơ đang chờ kiểm tra hoặc đã chứng thực
state-wrong-for-certify = hồ sơ { $record } đang «{ $state }»: chỉ chứng thực hồ sơ đang chờ kiểm tra hoặc đã chứng thực
state-change-refused = hồ sơ không chuyển được từ «{ $from }» sang «{ $to }»
store-cannot-open = không mở được kho dữ liệu ở { $folder }
procedure-unknown = không có thủ tục { $procedure } trong danh mục (`hoso procedures` liệt kê các thủ tục)
file-unreadable = không đọc được tệp { $file }
folder-unreadable = không đọc được thư mục { $folder }
card-unusable = ảnh thẻ { $file } không dùng được
card-unread = không đọc được mã QR hay vùng MRZ trên thẻ
card-unread-because = không đọc được mã QR hay vùng MRZ trên thẻ: { $why }
scanner-none = không tìm thấy máy quét: cắm máy quét, hoặc đặt `scanner` trong config.toml
audit-damaged-no-seal = nhật ký kiểm toán bị sửa ({ $at }), không niêm phong: chạy `hoso audit verify`
component-no-pdfa-build = thành phần { $component } chưa có PDF/A: dựng PDF/A trước (`hoso build`)
component-pdfa-stale = trang của thành phần { $component } đã thay đổi sau khi dựng PDF/A: dựng lại
component-needs-certification = thành phần { $component } cần chứng thực trước khi niêm phong (`hoso certify`)
component-no-pdf = thành phần chưa có PDF
record-no-documents = hồ sơ { $record } chưa có tài liệu: chạy `hoso build` trước
page-not-processed = trang { $component }.{ $page } chưa xử lý xong: chạy `hoso process` trước
process-busy = một tiến trình HoSo khác đang xử lý kho { $folder }
page-raw-lost = ảnh gốc bị mất hoặc hỏng: { $why }
page-unprocessable = không xử lý được trang: { $why }
document-kind-certified = Bản sao điện tử đã chứng thực
document-kind-digitised = Bản số hóa

## Certifying copies (hoso-core)

certify-agency-password = chưa có mật khẩu tệp khoá của cơ quan: đặt HOSO_AGENCY_P12_PASSWORD cho { $file }
certify-no-agency-key = chưa cấu hình khoá của cơ quan: đặt `agency_certificate` (dấu vân tay) hoặc `agency_pkcs12` trong config.toml
certify-untrusted = chứng thư «{ $subject }» không tin cậy được, không chứng thực: { $why }
certify-revoked = chứng thư đã bị thu hồi, không chứng thực: { $why }
certify-nothing-needed = không có thành phần nào cần chứng thực (chọn bằng --component)
certify-no-pdfa = thành phần { $component } chưa có PDF/A: chạy `hoso build`
certify-voided = số chứng thực { $number } đã huỷ

## Sync (hoso-core, hoso-sync)

sync-no-hub = chưa cấu hình máy chủ: đặt `hub_url` trong config.toml
sync-no-device = chưa cấu hình mã máy: đặt `device_id` trong config.toml (như đã đăng ký ở máy chủ)
sync-hub-ca-unreadable = không đọc được chứng thư CA của máy chủ { $file }

## Settings and configuration (hoso-core)

settings-no-folder = { $key }: không có thư mục { $value }
settings-no-file = { $key }: không có tệp { $value }
settings-not-url = { $key }: cần địa chỉ http(s)://…, không phải «{ $value }»
settings-not-scanner = { $key }: cần `sane:<thiết bị>`, `twain:<tên>`, `wia:<mã>` hoặc `escl:http://…` (xem `hoso devices`), không phải «{ $value }»
settings-not-bool = { $key }: true hoặc false, không phải «{ $value }»
settings-not-number = { $key }: cần một số nguyên từ 1, không phải «{ $value }»
settings-not-hex-key = { $key }: cần 64 chữ số hex mà `hoso-hub key` in ra
settings-fixed = { $key }: không đổi ở đây; chuyển kho dữ liệu là việc của CNTT (installer/README.md)
settings-no-home = không có thư mục người dùng để lưu thiết lập
settings-file-invalid = tệp cấu hình { $file } sai
settings-unknown-key = không có thiết lập «{ $key }»
settings-overridden = { $key }: đang đặt bằng { $source }, sẽ thắng tệp
settings-not-saved = thiết lập chưa được lưu
config-file-unreadable = không đọc được tệp cấu hình { $file }
config-no-unit = chưa cấu hình mã đơn vị tiếp nhận: đặt `unit = "000.00.01.H29"` trong config.toml, HOSO_UNIT hoặc --unit
config-bad-unit = mã đơn vị sai
config-bad-catalogue = danh mục thủ tục sai

## Importing page files (hoso-core, hoso-imaging)

import-not-found = { $file }: không tìm thấy tệp; kiểm tra lại đường dẫn
import-permission-denied = { $file }: không có quyền đọc tệp; nhờ CNTT cấp quyền
import-unreadable = { $file }: không đọc được tệp (có thể là thư mục hoặc ổ đĩa lỗi): { $why }
import-too-big = { $file }: tệp quá lớn ({ $mb } MB, tối đa 512 MB); hãy tách thành nhiều tệp
import-image = { $file }: { $why }
image-empty = tệp rỗng (0 byte); hãy quét hoặc sao chép lại
image-not-an-image = không phải ảnh PNG, JPEG hoặc TIFF (bắt đầu bằng { $start }); hãy lưu bản quét theo một trong các định dạng này
image-too-large = ảnh { $width }×{ $height } điểm ảnh, vượt giới hạn { $side } điểm ảnh/{ $megapixels } megapixel, có thể là tệp độc hại; hãy quét lại ở 300 dpi
image-too-many-frames = tệp TIFF có hơn { $count } trang; hãy tách nhỏ
image-damaged = ảnh bị hỏng hoặc không đầy đủ ({ $why }); hãy quét hoặc sao chép lại
image-unsupported = kiểu ảnh { $format } này chưa được hỗ trợ ({ $why }); hãy lưu thành PNG hoặc JPEG 8-bit
image-no-such-frame = tệp không có trang { $page }

## The quality gate (hoso-imaging)

quality-low-dpi = độ phân giải dưới 200 dpi, cần quét lại
quality-no-dpi = tệp không ghi độ phân giải
quality-blank = trang trắng? kiểm tra lại
quality-too-dark = trang quá tối
quality-faint = chữ quá mờ nhạt
quality-blurred = ảnh bị nhòe, nên quét lại

## The record's own rules (hoso-model)

identity-mrz-shape = vùng MRZ của thẻ gồm 3 dòng, mỗi dòng 30 ký tự (A-Z, 0-9, <); hãy đọc lại
identity-check-digit = số kiểm tra của trường { $field } không khớp; hãy đọc lại vùng MRZ
identity-date = ngày { $field } không phải ngày có thật
identity-inconsistent = số định danh trong vùng MRZ không khớp số giấy tờ
identity-qr-shape = chuỗi QR không phải mã QR của thẻ CCCD (7 trường, ngăn bằng |)
personal-id-shape = số định danh cá nhân có đúng 12 chữ số, không phải «{ $text }»
personal-id-province = «{ $text }» không bắt đầu bằng mã tỉnh (001 Hà Nội … 079 TP. Hồ Chí Minh … 096 Cà Mau)
personal-id-mismatch = số định danh { $id } ghi sinh năm { $id_year } ({ $id_sex }), nhưng người nộp sinh năm { $year } ({ $sex })
record-code-unit = mã đơn vị «{ $text }» phải có dạng 000.00.01.H29 (3.2.2 chữ số, rồi một chữ in hoa và 2 chữ số)
record-code-shape = mã hồ sơ «{ $text }» phải có dạng 000.00.01.H29-250801-0001
record-code-date = ngày trong mã hồ sơ «{ $text }» không phải ngày YYMMDD có thật
record-code-sequence = số thứ tự trong mã hồ sơ «{ $text }» phải gồm 4 chữ số, từ 0001 đến 9999

## The store (hoso-store)

store-not-found = không tìm thấy: { $what }
store-stale-state = hồ sơ { $record } đang «{ $actual }», không phải «{ $expected }» như đã đọc; hãy tải lại rồi thử lại
store-closed = hồ sơ { $record } đang «{ $state }»: không thêm trang được nữa
store-sequence-exhausted = đơn vị { $unit } đã dùng hết 9999 số hồ sơ của ngày { $day }
store-blob-damaged = tệp dữ liệu { $hash } bị mất hoặc hỏng trên đĩa; khôi phục từ bản sao lưu
account-password-short = mật khẩu phải có ít nhất { $min } ký tự
account-bad-username = tên đăng nhập không được trống hay có dấu cách
account-exists = tài khoản { $username } đã có
account-wrong-password = sai tên đăng nhập hoặc mật khẩu
account-disabled = tài khoản { $username } đã bị khoá
account-locked = tài khoản { $username } bị khoá sau { $failed } lần sai mật khẩu; nhờ quản trị viên đặt lại

## `hoso doctor` (hoso-core): what each check found, and what to do

doctor-config-none = không đọc được tệp cấu hình nào; chỉ dùng giá trị mặc định
doctor-config-none-hint = CNTT: tạo tệp { $file } (mẫu: installer/config.toml)
doctor-unit-none = chưa có mã đơn vị tiếp nhận: không đánh số hồ sơ được
doctor-unit-none-hint = CNTT: đặt `unit = "000.00.01.H29"` (mã đơn vị) trong tệp cấu hình
doctor-store-unwritable-hint = thư mục dữ liệu (data_dir) phải ghi được bởi tài khoản của quầy
doctor-store-ok = { $folder } (`hoso store check --deep` để băm lại)
doctor-store-empty = { $folder } (trống: tạo khi dùng lần đầu)
doctor-disk-unknown = không biết dung lượng trống: { $why }
doctor-disk-free = còn trống { $free }
doctor-disk-full-hint = đĩa đầy thì không quét được: giải phóng dung lượng hoặc chuyển data_dir
doctor-disk-low-hint = dưới { $warning }: mỗi trang quét cần khoảng 1 MB
doctor-ocr-threads-unset = OMP_THREAD_LIMIT chưa đặt
doctor-ocr-threads-wrong = OMP_THREAD_LIMIT là { $value }
doctor-ocr-threads-hint = thiếu nó, nhận dạng chậm 3-7 lần: mở ứng dụng bằng trình khởi chạy của nó
doctor-ocr-library-hint = cài tesseract-ocr (Linux), cài lại HoSo (Windows), hoặc đặt `ocr_library`
doctor-ocr-ok = Tesseract { $version } ({ $path }), ngôn ngữ { $languages }
doctor-ocr-models-hint = cài tesseract-ocr-vie và tesseract-ocr-osd, hoặc đặt `tessdata`
doctor-scanner-stack-hint-windows = cài lại HoSo Intake, rồi trình điều khiển TWAIN của máy quét
doctor-scanner-stack-hint = cài libsane1 và trình điều khiển SANE của máy quét (sane-airscan cho máy quét mạng)
doctor-scanner-escl = { $scanner } (eSCL, kiểm tra khi quét); { $finder } thấy { $count }
doctor-scanner-missing = không thấy máy quét đã cấu hình { $scanner }; { $finder } thấy: { $seen }
doctor-scanner-missing-hint = kiểm tra cáp USB và nguồn, rồi `hoso devices`; hoặc sửa `scanner`
doctor-scanner-no-twain = chưa cài trình điều khiển TWAIN nào cho máy quét
doctor-scanner-no-twain-hint = cài trình điều khiển TWAIN của hãng máy quét, đặt `scanner = "escl:http://…/eSCL"` (máy quét mạng) hoặc `watch_folder`
doctor-scanner-none = SANE không thấy máy quét nào
doctor-scanner-none-hint = cắm máy quét, hoặc dùng thư mục theo dõi (`watch_folder`)
doctor-none = không có
doctor-expired = { $name }: đã hết hạn ngày { $date }
doctor-expires-soon = { $name }: hết hạn ngày { $date }, còn { $days } ngày
doctor-valid-until = { $name }: còn hiệu lực đến { $date }
doctor-pkcs11-none = không có thư viện PKCS#11 ở { $module }
doctor-pkcs11-none-hint = quầy chứng thực: cài trình điều khiển thiết bị ký (OpenSC hoặc của CA), đặt `pkcs11_module`
doctor-pkcs11-choose-hint = đặt `pkcs11_module` là một trong: { $modules }
doctor-pkcs11-bits = { $module } là bản { $module_bits }, chương trình này là { $program_bits }
doctor-pkcs11-bits-hint = cài bản trình điều khiển cùng loại (64-bit: System32, không phải SysWOW64)
doctor-pkcs11-failed-hint = pcscd có chạy không, thư viện có đúng của nhà cung cấp không? (`pkcs11-tool --module … -L`)
doctor-token-none-labelled = không có thiết bị ký nhãn «{ $label }» chứa chứng thư đang cắm
doctor-token-none = không có thiết bị ký chứa chứng thư đang cắm
doctor-token-none-hint = cắm thiết bị ký USB của lãnh đạo (`hoso tokens`)
doctor-certificate-renew-hint = đề nghị CA gia hạn chứng thư trước khi hết hạn: chứng thư hết hạn không ký được
doctor-certificate-untrusted = { $found }; không tin cậy: { $why }
doctor-certificate-untrusted-hint = chứng thư không lên được chứng thư gốc trong `trust_roots`: xin CA chuỗi chứng thư, hoặc sửa `trust_roots`
doctor-certificate-revocation = { $found }; { $revocation }
doctor-certificate-revoked-hint = chứng thư đã bị thu hồi, không dùng để chứng thực được: xin CA chứng thư mới
doctor-certificate-unknown-hint = kết nối tới OCSP/CRL của CA, hoặc đặt CRL của CA vào thư mục revocation của kho
doctor-agency-missing = không có chứng thư { $fingerprint }… trên các thiết bị ký
doctor-agency-missing-hint = cắm thiết bị ký của cơ quan hoặc sửa `agency_certificate` (`hoso tokens`)
doctor-roots-none = chưa có `trust_roots`: chữ ký được kiểm tra mà không có chứng thư gốc tin cậy
doctor-roots-none-hint = CNTT: đặt chứng thư gốc quốc gia (PEM) vào `trust_roots`
doctor-roots-empty = { $file }: không có chứng thư nào
doctor-roots-ok = { $count } chứng thư gốc trong { $file }; { $each }
doctor-tsa-none = chưa có `tsa_url`: bản sao chứng thực được ký không có dấu thời gian (PAdES B-B) và không có dữ liệu kiểm tra dài hạn
doctor-tsa-none-hint = CNTT: đặt `tsa_url` là dịch vụ cấp dấu thời gian (RFC 3161) của CA
doctor-tsa-failed-hint = kiểm tra mạng và địa chỉ `tsa_url`: chứng thực sẽ dừng khi không có dấu thời gian
doctor-tsa-ok = { $url }: { $tsa } lúc { $time }, đường tin cậy { $path }
doctor-tsa-unproven = { $url }: { $tsa }: dấu thời gian của dịch vụ này không chứng minh được thời điểm ký: { $why }
doctor-tsa-unproven-hint = CNTT: thêm chứng thư gốc của đơn vị cấp dấu thời gian vào `trust_roots`
doctor-hub-none = chưa có `hub_url`: hồ sơ nằm chờ trên máy này
doctor-hub-no-device = đã đặt `hub_url` nhưng chưa đặt `device_id`
doctor-hub-no-device-hint = đặt `device_id` là mã máy đã đăng ký ở máy chủ
doctor-hub-key-damaged = device.key bị hỏng
doctor-hub-no-key = máy này chưa có khoá thiết bị
doctor-hub-no-key-hint = chạy `hoso sync key` và gửi khoá cho CNTT để `hoso-hub enrol`
doctor-hub-unreachable-hint = kiểm tra mạng, địa chỉ máy chủ, và `hub_ca` nếu dùng CA riêng
doctor-hub-ok = { $url }: trả lời, máy { $device } đã đăng ký
doctor-hub-not-enrolled = { $url }: máy { $device } chưa được đăng ký
doctor-hub-not-enrolled-hint = gửi khoá của máy này (`hoso sync key`) cho CNTT để `hoso-hub enrol`
doctor-hub-bad-signature = { $url }: máy chủ từ chối chữ ký
doctor-hub-bad-signature-hint = kiểm tra đồng hồ máy, và khoá đã đăng ký có đúng là của máy này không (`hoso sync key`)
doctor-hub-answered = { $url }: trả lời { $status }
doctor-clock-none = máy chủ không gửi giờ
doctor-clock-off = máy này lệch { $seconds } giây so với đồng hồ máy chủ
doctor-clock-off-hint = chỉnh giờ (NTP): máy chủ từ chối yêu cầu lệch quá 5 phút
doctor-clock-drift-hint = bật đồng bộ giờ NTP
doctor-clock-ok = lệch { $seconds } giây so với máy chủ

## The command line's answers (hoso-cli)

cli-error = Lỗi:
cli-caused-by = do:
cli-cannot-write = hoso: không ghi được kết quả: { $why }
cli-record-created = Đã mở hồ sơ { $code } ({ $procedure }, { $id })
cli-no-records = Chưa có hồ sơ nào.
cli-pages = { $pages } trang
cli-record = Hồ sơ { $code }
cli-label-procedure = thủ tục
cli-label-state = trạng thái
cli-label-received = tiếp nhận
cli-label-applicant = người nộp
cli-required = bắt buộc
cli-optional = không bắt buộc
cli-needs-certification = cần chứng thực
cli-import-already = { $file }: đã có trong hồ sơ, bỏ qua
cli-import-file = { $file } ({ $pages } trang)
cli-imported = Đã nhập { $pages } trang vào hồ sơ { $record }; { $refused } tệp bị từ chối
cli-processed = Đã xử lý { $processed } trang: { $read } đã nhận dạng chữ, { $blank } trang trắng cần kiểm tra, { $rejected } bị loại (dưới 200 dpi, quét lại), { $failed } lỗi
cli-ready-for-review = Chờ kiểm tra: { $code }
cli-page-heading = ── Trang { $page } ──
cli-confidence = (độ tin cậy { $confidence }/100, { $engine })
cli-no-text = (không có chữ được nhận dạng)
cli-texts-written = Đã ghi { $count } tệp văn bản vào { $folder }
cli-no-scanner = Không thấy máy quét nào.
cli-capabilities = nguồn giấy: { $sources }; chế độ màu: { $modes }; dpi: { $resolutions }; vùng quét tối đa { $width }×{ $height } mm
cli-page-stored = trang { $page } đã lưu
cli-scanned = Đã quét { $pages } trang vào hồ sơ { $record } từ ({ $device })
cli-watching = Đang theo dõi thư mục { $folder }
cli-watch-done = Đã nhập { $imported }, { $rejected } tệp bị từ chối
cli-applicant-from = Người nộp ({ $source }):
cli-label-name = họ tên
cli-label-personal-id = số định danh
cli-label-address = địa chỉ
cli-card-unread = Không đọc được thẻ.
cli-built = Đã dựng PDF/A cho hồ sơ { $record }:
cli-built-document = { $file }  { $pages } trang, { $kb } KB ({ $per_page } KB/trang)  { $blob }
cli-empty-components = thành phần chưa có trang: { $components }
cli-exported = Đã xuất hồ sơ { $record }:
cli-certified = Đã chứng thực hồ sơ { $record }:
cli-certified-copy = thành phần { $component }: số chứng thực { $number }, quyển { $book } ({ $kb } KB)
cli-ltv-added = đã thêm dữ liệu kiểm tra dài hạn (PAdES B-LT)
cli-ltv-pending = chưa thêm được dữ liệu kiểm tra dài hạn (thử lại khi niêm phong):
cli-ok = đạt
cli-failed = KHÔNG ĐẠT
cli-signature = Chữ ký { $index }: { $verdict }
cli-label-signer = người ký
cli-label-issuer = đơn vị cấp
cli-label-signing-time = thời điểm ký
cli-label-time-stamp = dấu thời gian
cli-label-level = mức PAdES
cli-label-byte-range = phạm vi ký
cli-byte-range-gap = phạm vi ký bỏ sót những byte người ký không ký: tệp chứa nội dung ngoài phần đã ký
cli-label-digest = mã băm
cli-weak-digest = { $algorithm }: thuật toán không đủ mạnh, không được chấp nhận
cli-label-signature-value = giá trị chữ ký
cli-label-chain = chuỗi chứng thư
cli-label-trust-path = đường tin cậy
cli-label-reason = lý do
cli-label-revocation = thu hồi
cli-label-valid-when-signed = chứng thư còn hiệu lực khi ký
cli-label-changed = thay đổi sau khi ký
cli-allowed-updates = có nội dung thêm sau chữ ký này, chỉ những gì được phép (chữ ký tiếp theo, dữ liệu kiểm tra, siêu dữ liệu)
cli-book-void = huỷ: { $reason }
cli-book-document = tài liệu { $document }
cli-book-signing = đang ký
cli-sealed = Đã niêm phong và xếp hàng gửi { $code }: { $files } tệp, mã băm bản kê { $digest }
cli-synced = Đồng bộ: { $synced } đã nhận, { $postponed } thử lại sau, { $rejected } bị từ chối ({ $blobs } tệp đã gửi, { $kb } KB)
cli-disabled = (đã khoá)
cli-files-read = Tệp đã đọc: { $files }
cli-user-file = Tệp của người dùng: { $file }
cli-audit-intact = Nhật ký nguyên vẹn ({ $entries } mục, head { $head })
cli-audit-tampered = NHẬT KÝ BỊ SỬA ĐỔI tại mục { $seq }: { $reason }
cli-fail = LỖI
cli-foreign-keys = khoá ngoại: { $result }
cli-blobs-checked = blobs: { $checked } đã kiểm, { $bad } hỏng/thiếu
cli-store-healthy = Kho dữ liệu tốt.
cli-store-problems = Kho dữ liệu có lỗi.
cli-demo-result = Kết quả nằm trong { $folder }
cli-label-database = cơ sở dữ liệu
cli-label-raw-pages = ảnh gốc và ảnh thu nhỏ
cli-label-show-again = xem lại
cli-label-recognised-text = chữ nhận dạng
cli-label-export = PDF/A tìm kiếm được và tệp XML
cli-ocr-heading = Nhận dạng chữ (OCR):
cli-words = { $words } từ

## The desktop shell (src-tauri) and the command line's own refusals

upload-damaged = tệp { $file } bị hỏng khi gửi
applicant-bad-id = số định danh sai: { $why }
scanner-not-chosen = chưa chọn máy quét
page-image-unreadable = ảnh trang không đọc được
page-removed-at-review = loại khi kiểm tra
page-rescanned = quét lại
desktop-no-webview = Chưa có Microsoft Edge WebView2 Runtime: ứng dụng cần nó để mở cửa sổ. Bộ phận CNTT cài WebView2 Runtime (Evergreen) rồi mở lại ứng dụng. ({ $why })
desktop-cannot-start = HoSo Intake không khởi động được: { $why }. Chạy `hoso doctor`.
desktop-cannot-run = HoSo Intake không chạy được: { $why }
cli-password-env = đặt mật khẩu trong biến môi trường HOSO_PASSWORD
cli-pin-env = chưa có mã PIN: đặt nó trong biến môi trường { $variable }
cli-no-watch-folder = chưa chọn thư mục: dùng --folder hoặc đặt `watch_folder` trong config.toml

## Scanners (hoso-scan)

scan-no-sane = không tìm thấy thư viện SANE ({ $detail }); cài libsane1 và sane-utils
scan-not-found = không tìm thấy máy quét { $scanner }
scan-no-local-driver = máy quét { $scanner }: trên Windows dùng máy quét TWAIN (twain:<tên>) hay WIA (wia:<mã>) như `hoso devices` liệt kê, máy quét mạng (eSCL) hoặc thư mục theo dõi
scan-busy = máy quét đang bận (một chương trình khác đang dùng)
scan-feeder-empty = khay nạp giấy trống: đặt giấy vào rồi quét lại
scan-jammed = kẹt giấy: gỡ giấy kẹt, các trang đã quét vẫn được giữ
scan-cover-open = nắp máy quét đang mở
scan-cancelled = đã huỷ quét
scan-unsupported = máy quét không hỗ trợ { $what }
scan-access-denied = không được phép dùng máy quét (kiểm tra nhóm scanner của tài khoản)
scan-device = lỗi máy quét: { $detail }
scan-double-feed = hai tờ giấy bị kéo cùng lúc: đặt lại tờ đó
scan-driver-stopped = trình điều khiển máy quét không phản hồi; tắt/bật máy quét rồi thử lại
scan-no-twain = không có TWAIN trên máy này ({ $detail }); cài trình điều khiển TWAIN của máy quét
scan-driver-hung = trình điều khiển máy quét không phản hồi và đã bị dừng; các trang đã quét vẫn được giữ. Tắt/bật máy quét rồi quét tiếp
scan-driver-crashed = trình điều khiển máy quét bị lỗi và đã dừng ({ $detail }); các trang đã quét vẫn được giữ
scan-no-worker = thiếu chương trình quét hoso-scan-worker ({ $detail }); cài lại HoSo Intake
scan-worker-direct = hoso-scan-worker: chương trình phụ của HoSo Intake, ứng dụng tự chạy nó (--serve), không chạy trực tiếp

## OCR and PDF (hoso-ocr, hoso-pdf)

ocr-no-library = không tìm thấy thư viện Tesseract (đã thử { $tried }); cài tesseract-ocr, hoặc đặt `ocr_library`
ocr-no-models = không khởi động được Tesseract với ngôn ngữ { $languages } (thư mục mô hình { $datapath }); cài tesseract-ocr-vie, tesseract-ocr-eng, tesseract-ocr-osd
ocr-default-models = mặc định
ocr-too-large = ảnh quá lớn để nhận dạng: { $width }×{ $height }
ocr-failed = Tesseract không nhận dạng được trang
pdf-font = phông chữ: { $detail }; cài fonts-liberation2
pdf-image = trang { $page }: ảnh không mã hoá được: { $why }
pdf-empty = tài liệu không có trang

## Sending to the hub (hoso-sync)

sync-transient = tạm thời không gửi được: { $detail }
sync-rejected = máy chủ từ chối: { $detail }
sync-conflict = xung đột: máy chủ đã có hồ sơ này với nội dung khác: { $detail }
sync-not-enrolled = 403: máy này chưa được đăng ký với máy chủ
sync-signature-refused = 401: chữ ký hoặc đồng hồ máy bị từ chối; kiểm tra giờ

## What a certified copy says on its last page (Vietnamese by law: the


## English is for reviewers; the copy always carries the Vietnamese)

certificate-statement = Chứng thực bản sao đúng với bản chính.
certificate-number = Số chứng thực: { $number }   Quyển số: { $book }
certificate-date = Ngày { $day } tháng { $month } năm { $year }
certificate-reason = Chứng thực bản sao đúng với bản chính

## Files and the store: what went wrong on the disk

file-cannot-write = không ghi được { $file }
file-cannot-create = không tạo được thư mục { $folder }
file-cannot-replace = không thay được { $file }
file-cannot-open = không mở được { $file }
process-cannot-lock = không khoá được kho dữ liệu để xử lý
sync-device-key-damaged = tệp khoá thiết bị device.key bị hỏng
catalogue-unreadable = không đọc được danh mục thủ tục { $file }
catalogue-invalid = danh mục thủ tục { $file } sai
catalogue-builtin-invalid = danh mục thủ tục có sẵn sai
catalogue-empty = danh mục thủ tục không có thủ tục nào
catalogue-duplicate = mã thủ tục «{ $code }» xuất hiện hai lần trong danh mục
catalogue-no-components = thủ tục «{ $code }» cần ít nhất một thành phần, mỗi thành phần một mã riêng
hash-invalid = không phải mã băm SHA-256 (cần 64 chữ số hex): «{ $text }»
settings-bad-number = { $key }: «{ $value }» không phải số
store-open = không mở được cơ sở dữ liệu { $file }: { $why }; kiểm tra thư mục có và ghi được
store-sql = lỗi cơ sở dữ liệu: { $why }
store-io = không truy cập được { $file }: { $why }
store-too-new = cơ sở dữ liệu có { $found } bước nâng cấp nhưng chương trình này chỉ biết { $known }; hãy cài bản mới hơn
store-lease-lost = công việc { $job } không còn do tiến trình này giữ
store-corrupt = dữ liệu đã lưu không hợp lệ: { $why }
record-state-unknown = không có trạng thái hồ sơ «{ $state }»

## The desktop's task bar while pages are read

task-progress-of = { $done }/{ $total } trang
task-progress-rate = { $done }/{ $total } trang · { $rate } trang/phút · còn khoảng { $left }

## Scanning stack after stack (a batch that waits for paper)

scan-waiting = Đã giữ { $pages } trang. Đặt xấp giấy tiếp theo vào khay rồi bấm Quét tiếp; bấm Xong khi hết giấy
scan-waiting-sensor = Đã giữ { $pages } trang. Đặt xấp giấy tiếp theo vào khay, máy sẽ tự quét tiếp; bấm Xong khi hết giấy
scan-waiting-fault = { $why }. Đã giữ { $pages } trang: gỡ giấy, đặt lại các tờ chưa quét rồi bấm Quét tiếp, hoặc bấm Xong
scan-stack = Đang quét xấp { $stack }
scan-stacks-done = Đã quét { $pages } trang trong { $stacks } xấp
ui-scan-next = Quét tiếp
ui-scan-finish = Xong
ui-wait-stacks = Chờ xấp tiếp theo
cli-wait-keys = Enter: quét xấp tiếp theo · x hoặc Ctrl-D: kết thúc
task-not-waiting = Việc quét này không chờ giấy (đã xong hoặc không có)

## Pages left out of the PDF/A (kept in the record)

ui-left-out-blank = Trang trắng · không đưa vào PDF/A
ui-left-out-separator = Tờ phân cách · không đưa vào PDF/A
ui-left-out-clerk = Không đưa vào PDF/A
ui-leave-out = Không đưa trang này vào PDF/A (vẫn giữ trong hồ sơ)
ui-put-back = Đưa trang này trở lại PDF/A
cli-page-left-out = Trang { $page } không còn trong PDF/A (vẫn giữ trong hồ sơ); dựng lại PDF/A để áp dụng
cli-page-put-back = Trang { $page } đã được đưa trở lại PDF/A; dựng lại PDF/A để áp dụng

## Separator sheets (a QR sheet in front of each component's pages)

scan-separator = Tờ phân cách { $code }: các trang sau vào thành phần { $component }
scan-separator-unknown = Tờ phân cách { $code }: hồ sơ này không có thành phần đó, các trang sau vẫn vào thành phần { $component }
ui-separator-sheets = In tờ phân cách
ui-separator-title = TỜ PHÂN CÁCH
ui-separator-hint = Đặt tờ này trước các trang của thành phần, rồi quét cả xấp; tờ này được giữ trong hồ sơ nhưng không đưa vào PDF/A

## Scan profiles

profile-no-name = Cấu hình quét phải có tên
profile-bad-resolution = Cấu hình quét "{ $profile }": độ phân giải { $dpi } dpi không dùng được (từ 100 đến 1200)
profile-bad-threshold = Cấu hình quét "{ $profile }": ngưỡng trang trắng phải từ 0 đến 100 (%)
profile-manual-duplex-feeder = Cấu hình quét "{ $profile }": quét hai mặt bằng tay chỉ dùng với khay nạp giấy một mặt (source = "feeder")
profile-manual-duplex-split = Cấu hình quét "{ $profile }": quét hai mặt bằng tay không tách thành phần theo số trang
profile-bad-split = Cấu hình quét "{ $profile }": số trang mỗi thành phần phải từ 1 trở lên
profile-duplicate = Hai cấu hình quét cùng tên "{ $profile }"
profile-unknown = Máy này không có cấu hình quét "{ $profile }"
profile-locked = Quầy này quét theo cấu hình do quản trị viên đặt: hãy chọn một cấu hình quét
settings-bad-profiles = { $key }: không đọc được danh sách cấu hình quét (dạng [{"{"} name = "…", … {"}"}])
scan-duplex-needs-wait = Quét hai mặt bằng tay cần chờ xấp thứ hai (mặt sau)
scan-waiting-turn-over = Đã quét { $pages } mặt trước. Lật ngược cả xấp giấy, đặt lại vào khay rồi bấm Quét tiếp để quét mặt sau
scan-duplex-interleaved = Đã xếp mặt trước và mặt sau của { $sheets } tờ theo đúng thứ tự
scan-duplex-unpaired = Số mặt trước ({ $fronts }) và mặt sau ({ $backs }) khác nhau: các trang được giữ theo thứ tự quét, hãy kiểm tra tờ bị kẹp đôi hoặc bỏ sót
scan-split = Đủ { $pages } trang: các trang sau vào thành phần { $component }
ui-scan-profile = Cấu hình quét
ui-scan-profile-keys = Bấm phím 1–9 để chọn cấu hình quét
ui-scan-profile-own = Tự chọn thông số (quản trị viên)
ui-manual-duplex = Hai mặt bằng tay
scan-slip = Phiếu tiếp nhận hồ sơ { $code }: các trang sau vào hồ sơ này
scan-slip-unknown = Phiếu tiếp nhận hồ sơ { $code }: không có hồ sơ này, hoặc hồ sơ không nhận thêm trang; các trang sau vẫn vào hồ sơ { $current }
cli-build-failed = Chưa dựng được PDF/A của hồ sơ { $code } (hãy dựng lại sau khi xem hồ sơ): { $why }
sync-hub-not-https = Hồ sơ chỉ được gửi tới máy chủ qua https:// (http:// chỉ dùng cho máy chủ trên chính máy này): { $url }
sync-no-hub-key = Chưa đặt khóa của máy chủ (hub_key): không kiểm tra được biên nhận, nên không gửi hồ sơ
doctor-hub-https-hint = Đặt hub_url là địa chỉ https:// của máy chủ đồng bộ (chứng chỉ do hub_ca cấp nếu là CA riêng)
doctor-hub-key-set = Khóa biên nhận của máy chủ đã đặt: mỗi biên nhận đều được kiểm tra
doctor-hub-key-hint = Chạy "hoso-hub key" trên máy chủ rồi chép kết quả vào hub_key
cli-audit-anchor-lost = Nhật ký không còn giữ đầu chuỗi mà biên nhận của hồ sơ { $record } (máy chủ nhận lúc { $accepted }) đã ký ({ $head }…): các mục sau mục { $after } đã bị viết lại hoặc cắt bỏ
cli-audit-anchored = { $anchors } biên nhận của máy chủ neo nhật ký; nhật ký được chứng minh nguyên vẹn đến mục { $seq }
cli-audit-no-anchor = Chưa có biên nhận nào của máy chủ neo nhật ký (chưa đồng bộ hồ sơ nào)
cli-audit-unverified = { $receipts } biên nhận không kiểm tra được (thiếu hub_key, hoặc chữ ký không đúng): không dùng làm mốc
cli-audit-hub-last = Máy chủ đã ký đầu chuỗi cuối cùng cho quầy này ở hồ sơ { $record }; đầu chuỗi đó đã được kiểm tra như các mốc khác

## The city's procedure list (hoso procedures import)

catalogue-import-unreadable = không đọc được tệp danh mục { $file }
catalogue-import-no-sheet = tệp { $file } không có trang tính nào
catalogue-import-not-utf8 = tệp { $file } không phải văn bản UTF-8: hãy lưu lại dạng «CSV UTF-8»
catalogue-import-no-headings = tệp { $file } không có dòng tiêu đề nêu mã thủ tục, tên thủ tục và thành phần hồ sơ
catalogue-import-no-code = dòng không có mã thủ tục
catalogue-import-no-name = thủ tục «{ $code }» không có tên
catalogue-import-other-name = thủ tục «{ $code }» mang tên khác với dòng đầu của nó
catalogue-import-bad-flag = ô «bắt buộc» hoặc «chứng thực» không phải có/không
catalogue-import-component-twice = thành phần «{ $code }» đã có ở thủ tục này
catalogue-import-no-components = thủ tục «{ $code }» không có thành phần hồ sơ nào: bỏ qua
catalogue-import-nothing = tệp { $file } không có thủ tục nào đọc được
catalogue-import-header = danh mục thủ tục nhập từ { $file } lúc { $at } (hoso procedures import)
cli-catalogue-row = dòng { $row }: { $why }
cli-catalogue-imported = Đã nhập { $procedures } thủ tục ({ $components } thành phần) từ { $rows } dòng vào { $file }; { $skipped } dòng bỏ qua. Danh mục này là danh mục của quầy từ bây giờ.
ui-procedure-search = Tìm thủ tục: mã, tên hoặc lĩnh vực (gõ có dấu hay không đều được)
ui-procedure-none = Không tìm thấy thủ tục nào
ui-procedure-more = Còn nhiều thủ tục khác: gõ thêm để thu hẹp
chip-no-service = dịch vụ thẻ thông minh (PC/SC) không chạy: trên Windows hãy bật dịch vụ Smart Card, trên Linux hãy chạy pcscd
chip-no-reader = không có đầu đọc thẻ nào được cắm vào máy này
chip-reader-not-found = không thấy đầu đọc «{ $reader }»; các đầu đọc đang có: { $readers }
chip-no-card = không có thẻ trên đầu đọc: hãy đặt thẻ căn cước lên đầu đọc rồi đọc lại
chip-removed = thẻ đã bị nhấc khỏi đầu đọc khi đang đọc: hãy đặt lại thẻ và đọc lại
chip-not-emrtd = thẻ này không có chip căn cước theo ICAO 9303 (không phải thẻ căn cước gắn chip?)
chip-access-refused = chip từ chối khóa MRZ: hãy kiểm tra số giấy tờ, ngày sinh và ngày hết hạn in trên thẻ
chip-bad-key = khóa MRZ sai dạng ở trường { $field }: số giấy tờ gồm chữ số (tối đa 9), ngày viết YYMMDD
chip-integrity = câu trả lời của chip không qua được kiểm tra toàn vẹn (mã xác thực sai): hãy đọc lại; nếu lặp lại, thẻ có thể đã bị can thiệp
chip-status = chip báo lỗi ở bước { $step } (mã { $sw })
chip-malformed = không đọc được tệp { $file } của chip
chip-random = hệ thống không cấp được số ngẫu nhiên để mở chip
chip-reader-error = lỗi đầu đọc thẻ: { $detail }
chip-pa-no-sod = chip không có tệp chữ ký (EF.SOD): không xác thực được dữ liệu
chip-pa-sod-unreadable = tệp chữ ký của chip (EF.SOD) không đọc được
chip-pa-algorithm = chip được ký bằng thuật toán HoSo không chấp nhận
chip-pa-changed = dữ liệu { $groups } trên chip không khớp với bản đã được ký: dữ liệu đã bị sửa
chip-pa-unlisted = dữ liệu { $groups } trên chip không có trong danh sách đã ký
chip-pa-no-signer = tệp chữ ký của chip không mang chứng thư của bên ký
chip-pa-bad-signature = chữ ký trên dữ liệu chip không đúng
chip-pa-untrusted = bên ký dữ liệu chip không thuộc cơ quan cấp thẻ (CSCA) đã cấu hình: { $why }
identity-source-typed = nhập tay
identity-source-qr = mã QR trên thẻ
identity-source-mrz = vùng MRZ trên thẻ
identity-source-chip = chip của thẻ
chip-refused = dữ liệu chip của thẻ không được chấp nhận: { $why }
chip-csca-unreadable = không đọc được tệp chứng thư CSCA đã cấu hình (csca)
identity-problem-not-authentic = dữ liệu chip không xác thực được (xác thực thụ động không đạt)
identity-problem-expired = thẻ đã hết hạn từ ngày { $expiry }
identity-problem-mismatch = chip và giấy tờ in/biểu mẫu không khớp ở { $field }: chip ghi «{ $chip }», nơi kia ghi «{ $other }»
chip-key-shape = khóa MRZ viết là SỐ-GIẤY-TỜ,YYMMDD,YYMMDD (số giấy tờ, ngày sinh, ngày hết hạn)
chip-key-needed = cần khóa MRZ để mở chip: cho --key, hoặc ảnh quét thẻ có vùng MRZ đọc được
cli-chip-verified = Đã đọc chip trên { $reader }: danh tính ĐÃ XÁC THỰC bằng chip
cli-chip-not-verified = Đã đọc chip trên { $reader }: danh tính CHƯA được xác thực
chip-pa-passed = đạt (dữ liệu nguyên vẹn, bên ký thuộc CSCA đã cấu hình)
cli-label-passive-auth = xác thực thụ động
cli-label-birth = ngày sinh
cli-label-sex = giới tính
cli-label-nationality = quốc tịch
cli-label-ethnicity = dân tộc
cli-label-religion = tôn giáo
cli-label-origin = quê quán
cli-label-residence = nơi thường trú
cli-label-marks = đặc điểm nhận dạng
cli-label-issued = ngày cấp
cli-label-expiry = có giá trị đến
cli-label-father = họ tên cha
cli-label-mother = họ tên mẹ
cli-label-spouse = họ tên vợ/chồng
cli-label-old-id = số CMND cũ
cli-label-portrait = ảnh chân dung
chip-read-again = hồ sơ đánh dấu «từ chip» cần lần đọc chip của chính người này: hãy đọc lại chip
ui-read-chip = Đọc chip
ui-chip-document = Số giấy tờ (9 số cuối)
ui-chip-birth = Ngày sinh (YYMMDD)
ui-chip-expiry = Có giá trị đến (YYMMDD)
ui-identity = Danh tính
ui-identity-verified = ĐÃ XÁC THỰC bằng chip
ui-identity-not-verified = CHƯA xác thực
identity-problem-field = chip và giấy tờ in/biểu mẫu không khớp ở { $field }
reuse-no-personal-id = người nộp của hồ sơ { $record } chưa có số định danh cá nhân: chưa tra được giấy tờ đã số hóa
reuse-none = Chưa có giấy tờ nào đã được số hóa cho người này.
reuse-found = { $count } giấy tờ đã được số hóa cho người này (hub đã ghi nhật ký lần tra cứu):
component-unknown = hồ sơ không có thành phần số { $component }
reuse-not-offered = hub không liệt kê giấy tờ { $sha256 } cho người nộp của hồ sơ này: hãy tra lại
reuse-attached = Đã gắn giấy tờ của hồ sơ { $original } ({ $unit }) vào thành phần { $component }, theo tham chiếu: không quét lại.
ui-reuse = Giấy tờ đã số hóa
ui-reuse-title = Giấy tờ đã số hóa cho số định danh { $id }
ui-reuse-attach = Gắn vào
ui-reused-from = Dùng lại từ hồ sơ { $code } ({ $unit }, niêm phong { $sealed })
ui-reuse-do = Dùng lại
cli-label-chip-access = Mở chip bằng
ui-reuse-unverified = Danh tính chưa được xác thực bằng chip: lần tra cứu này được ghi nhật ký là tra theo số định danh nhập tay. Hãy đối chiếu giấy tờ với người nộp.
doctor-csca-none = chưa có `csca`: chip của thẻ căn cước đọc được nhưng không bao giờ được xác thực
doctor-csca-none-hint = CNTT: đặt chứng thư CSCA của cơ quan cấp thẻ (PEM, DER hoặc .p7b) vào `csca`
