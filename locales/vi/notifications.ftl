# Notifications (platform::notify): no report text, no names, no receipt code — only the case
# reference and a link.
notify-subject = Cổng phản ánh EVN – hồ sơ {$reference}
notify-digest-subject = Cổng phản ánh EVN – tóm tắt hằng ngày
notify-digest-intro = Các hồ sơ cần Quý vị xử lý:
notify-case-new = Hồ sơ {$reference} mới được chuyển đến nhóm của Quý vị, cần Quý vị xử lý: {$link}
notify-case-assigned = Hồ sơ {$reference} đã được giao cho Quý vị xử lý: {$link}
notify-case-reply = Người phản ánh đã gửi thông tin mới trong hồ sơ {$reference}: {$link}
notify-identity-decided = Yêu cầu xem danh tính trong hồ sơ {$reference} đã có quyết định: {$link}
notify-deadline-50 = Hồ sơ {$reference} đã qua một nửa thời hạn giải quyết: {$link}
notify-deadline-75 = Hồ sơ {$reference} đã qua 75% thời hạn giải quyết: {$link}
notify-deadline-90 = Hồ sơ {$reference} đã qua 90% thời hạn giải quyết, cần Quý vị xử lý: {$link}
notify-deadline-100 = Hồ sơ {$reference} đã đến hạn giải quyết: {$link}
notify-case-overdue = Hồ sơ {$reference} của nhóm Quý vị phụ trách đã quá hạn: {$link}
notify-reporter-accepted = Cổng phản ánh EVN: tố cáo của Quý khách đã được thụ lý. Vui lòng tra cứu bằng mã tiếp nhận tại {$link}
notify-reporter-not-accepted = Cổng phản ánh EVN: đã có quyết định về việc thụ lý tố cáo của Quý khách. Vui lòng tra cứu bằng mã tiếp nhận tại {$link}
notify-reporter-extended = Cổng phản ánh EVN: thời hạn giải quyết tố cáo của Quý khách đã được gia hạn. Vui lòng tra cứu bằng mã tiếp nhận tại {$link}
notify-reporter-concluded = Cổng phản ánh EVN: đã có kết luận về tố cáo của Quý khách. Vui lòng tra cứu bằng mã tiếp nhận tại {$link}
notify-reporter-message = Cổng phản ánh EVN: có thông tin mới về phản ánh của Quý khách, vui lòng tra cứu bằng mã tiếp nhận tại {$link}
notify-test = Thư thử của Cổng phản ánh EVN: việc gửi thư hoạt động. {$link}

# /admin/notifications
admin-notify-title = Thông báo gửi đi
admin-notify-lead = Thư điện tử và tin nhắn SMS do cổng gửi: chỉ có mã hồ sơ và đường dẫn, không có nội dung phản ánh, họ tên hay mã tiếp nhận.
admin-notify-no-smtp = Chưa cấu hình máy chủ thư (smtp_url): thư điện tử được xếp hàng và chưa được gửi.
admin-notify-no-sms = Chưa cấu hình cổng SMS (sms_gateway.url): tin nhắn được xếp hàng và chưa được gửi.
admin-notify-status-pending = Đang chờ
admin-notify-status-sending = Đang gửi
admin-notify-status-sent = Đã gửi
admin-notify-status-failed = Thất bại
admin-notify-test = Gửi thư thử cho tôi
admin-notify-kind = Loại
admin-notify-channel = Kênh
admin-notify-recipient = Người nhận
admin-notify-reporter = người tố cáo
admin-notify-status = Trạng thái
admin-notify-attempts = Số lần thử
admin-notify-last-error = Lỗi gần nhất
admin-notify-times = Thời điểm
admin-notify-next = lần thử tiếp:
admin-notify-actions = Thao tác
admin-notify-retry = Gửi lại
admin-notify-none = Chưa có thông báo nào.
flash-admin-notify-retried = Thông báo đã được xếp hàng gửi lại.
flash-admin-notify-test-queued = Thư thử đã được xếp hàng gửi đến địa chỉ của Quý vị.
error-admin-notify-not-failed = Chỉ gửi lại được thông báo đã thất bại.

# /staff/account/notifications
staff-notify-title = Nhận thông báo
staff-notify-lead = Cổng gửi thư điện tử khi có hồ sơ mới, hồ sơ được giao, người phản ánh trả lời hoặc hồ sơ sắp đến hạn. Thư chỉ có mã hồ sơ và đường dẫn.
staff-notify-legend = Cách nhận
staff-notify-mode-immediate = Gửi ngay
staff-notify-mode-digest = Một thư tóm tắt mỗi ngày lúc {$hour} giờ
staff-notify-mode-off = Không nhận thư
staff-notify-save = Lưu
flash-staff-notify-saved = Đã lưu cách nhận thông báo.
error-staff-notify-mode = Vui lòng chọn một cách nhận thông báo.
notify-retention-warning = Hồ sơ {$reference} sắp hết thời hạn lưu trữ; dữ liệu cá nhân sẽ bị xóa sau ít nhất 30 ngày nếu không được giữ lại: {$link}
notify-receipt-code = Mã tiếp nhận phản ánh của Quý khách: {$reference}. Giữ kín mã này; tra cứu tại {$link}
