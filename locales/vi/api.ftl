# API JSON /api/v1: tiêu đề và chi tiết lỗi (RFC 9457), trang tài liệu API, trang quản trị mã truy cập API.

api-title-400 = Yêu cầu không hợp lệ
api-title-401 = Chưa xác thực
api-title-403 = Không có quyền
api-title-404 = Không tìm thấy
api-title-405 = Phương thức không được hỗ trợ
api-title-406 = Không thể trả về định dạng yêu cầu
api-title-413 = Dữ liệu quá lớn
api-title-415 = Kiểu nội dung không được hỗ trợ
api-title-422 = Dữ liệu không được chấp nhận
api-title-429 = Quá nhiều yêu cầu
api-title-500 = Lỗi máy chủ
api-detail-400 = Nội dung yêu cầu hoặc một tiêu đề (header) không đúng định dạng.
api-detail-401 = Cần một mã truy cập (Bearer) hợp lệ, còn hạn và chưa bị thu hồi trong tiêu đề Authorization.
api-detail-403 = Mã truy cập này không có phạm vi (scope) cần cho thao tác này.
api-detail-404 = Không có tài nguyên này, hoặc bạn không được xem nó.
api-detail-415 = Nội dung phải là application/json (tệp đính kèm: multipart/form-data).
api-detail-422 = Nội dung yêu cầu không khớp với lược đồ của thao tác này.
api-detail-500 = Đã xảy ra lỗi. Khi liên hệ, vui lòng cung cấp mã yêu cầu.
api-detail-invalid = Một số trường cần sửa lại.
api-detail-key-reused = Idempotency-Key này đã được dùng cho một báo cáo có nội dung khác.
api-detail-retry = Vui lòng thử lại sau { $seconds } giây.

api-docs-title = Tài liệu API
api-docs-intro = API JSON có phiên bản của cổng, mô tả bằng OpenAPI 3.1. Tài liệu máy đọc được:
api-docs-operations = Các thao tác
api-docs-schemas = Lược đồ dữ liệu
api-docs-parameters = Tham số
api-docs-request = Nội dung gửi
api-docs-responses = Phản hồi
api-docs-security = Xác thực
api-docs-none = không cần
api-docs-required = bắt buộc
api-docs-optional = không bắt buộc
api-docs-problems = Lỗi trả về theo RFC 9457 (application/problem+json), tiêu đề và chi tiết theo ngôn ngữ trong Accept-Language (mặc định tiếng Việt).
api-docs-problem-invalid = problem-invalid-fields: một số trường bị từ chối; danh sách errors nêu từng trường, mã và thông báo.
api-docs-problem-key = problem-idempotency-key-reused: Idempotency-Key đã được dùng cho một nội dung khác.
