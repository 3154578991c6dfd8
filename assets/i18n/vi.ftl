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

error-not-signed-in = chưa đăng nhập
error-only-certifier = chỉ lãnh đạo/giám sát được chứng thực
error-only-admin = chỉ quản trị viên
error-unknown-command = lệnh không có: { $command }
error-bad-arguments = tham số sai

## The command line's answers

doctor-summary = Kết quả: { $ok } đạt, { $warnings } cảnh báo, { $problems } lỗi
ledger-attempts = { $attempts } lần
