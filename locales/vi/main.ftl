# Vietnamese catalogue (default language). Keys must match locales/en/main.ftl exactly.
#
# Glossary (every catalogue follows it; the English catalogue says the same things):
# - Người gửi không rõ danh tính → "phản ánh" (tip, Luật Tố cáo Điều 25); người gửi ghi rõ họ
#   tên và đã được xác minh → "tố cáo" (denunciation). Không dùng lẫn hai từ cho một hồ sơ; chỉ
#   tố cáo mới "thụ lý", phản ánh được "tiếp nhận xử lý".
# - Bộ phận xử lý: gọi theo tên chính thức trong dữ liệu của từng tổ (ví dụ "Phòng Thanh tra –
#   Bảo vệ – Pháp chế"); khi nói chung: "bộ phận kiểm tra". Một tổ xử lý: "tổ kiểm tra"; thành
#   viên: "cán bộ kiểm tra"; người phụ trách tổ: "tổ trưởng". Không dùng "thanh tra viên" (chức
#   danh công chức nhà nước), "Ban Thanh tra", "đoàn kiểm tra".
# - Khách hàng: "Quý khách". Nhân viên ngành Điện bị phản ánh: "nhân viên".
# - "Tố cáo có ghi rõ họ tên" (không phải "có ghi danh"); "Phản ánh, tố cáo đúng"; "Không đúng";
#   "Người giám sát nhật ký"; ngày tháng ghi rõ ("kể từ ngày …"), không ghi "kể từ hôm nay".

## Site frame
site-name = Cổng phản ánh ứng xử ngành Điện
site-tagline = Phản ánh, tố cáo hành vi sai phạm của nhân viên ngành Điện — an toàn, có thể ẩn danh
skip-to-content = Chuyển đến nội dung chính
nav-home = Trang chủ
nav-report = Gửi phản ánh
nav-follow-up = Theo dõi phản ánh
nav-main = Điều hướng chính
switch-language = English
switch-language-label = Xem trang bằng tiếng Anh
footer-text = Cổng phản ánh ứng xử — Tập đoàn Điện lực Việt Nam. Trang này không dùng cookie theo dõi, không tải tài nguyên của bên thứ ba và không lưu địa chỉ IP của Quý khách.

## Home
home-title = Phản ánh hành vi của nhân viên ngành Điện
home-lead = Nếu nhân viên điện lực đòi tiền, gây khó khăn, ghi sai chỉ số, cắt điện trái quy định hoặc cư xử thiếu tôn trọng, Quý khách có thể báo cho bộ phận kiểm tra — ẩn danh hoặc ghi rõ danh tính.
home-cta-report = Gửi phản ánh
home-cta-follow-up = Tôi đã có mã tiếp nhận
home-what-title = Quý khách có thể phản ánh những gì
home-what-1 = Thái độ thiếu tôn trọng, thô lỗ, gây khó khăn
home-what-2 = Nhũng nhiễu, gợi ý hoặc đòi tiền, nhận hối lộ
home-what-3 = Chậm trễ thủ tục cấp điện, giải quyết yêu cầu
home-what-4 = Ghi chỉ số công tơ, tính tiền điện sai; thu tiền sai quy định
home-what-5 = Ngừng cấp điện không đúng quy định
home-what-6 = Không đeo thẻ, không xuất trình giấy tờ; tiết lộ thông tin khách hàng; sử dụng rượu bia khi làm nhiệm vụ
home-anonymity-title = Danh tính của Quý khách được bảo vệ như thế nào
home-anonymity-1 = Không cần tài khoản. Cổng không lưu địa chỉ IP, thông tin trình duyệt hay nhật ký nội dung Quý khách gửi.
home-anonymity-2 = Nếu gửi ẩn danh, Quý khách chỉ nhận một mã tiếp nhận. Không ai — kể cả quản trị viên — có thể tìm lại mã này; chỉ người giữ mã mới theo dõi được phản ánh.
home-anonymity-3 = Nếu tố cáo có ghi rõ họ tên, họ tên, địa chỉ, số điện thoại của Quý khách được mã hóa và lưu riêng. Cán bộ kiểm tra chỉ thấy "có cung cấp danh tính"; muốn xem phải có lý do và được người giữ bí mật danh tính phê duyệt, mọi bước đều được ghi nhật ký (Luật Tố cáo 2018, Điều 9 và 47).
home-anonymity-4 = Người bị nêu trong phản ánh và đồng nghiệp cùng đơn vị của họ không được xem phản ánh: cổng đối chiếu mã nhân viên, họ tên Quý khách nhập và nhân viên được xác nhận với danh bạ nhân sự ở mỗi lần mở hồ sơ. Càng ghi rõ đơn vị, họ tên hoặc mã nhân viên, việc loại trừ càng chắc chắn.
home-steps-title = Sau khi Quý khách gửi
home-step-received = Tiếp nhận: phản ánh được ghi nhận ngay và Quý khách nhận mã tiếp nhận.
home-step-accept = Thụ lý: trong vòng 7 ngày làm việc, bộ phận kiểm tra quyết định thụ lý hoặc không thụ lý (có thể kéo dài đến 10 ngày làm việc khi cần kiểm tra, xác minh) và nêu lý do nếu không thụ lý.
home-step-notify = Thông báo: trong vòng 5 ngày làm việc kể từ khi thụ lý, Quý khách được thông báo qua trang theo dõi.
home-step-resolve = Giải quyết: trong vòng 30 ngày kể từ ngày thụ lý; vụ việc phức tạp có thể gia hạn một lần (tối đa 30 ngày), đặc biệt phức tạp hai lần — mỗi lần gia hạn đều có lý do và được thông báo cho Quý khách.
home-step-conclude = Kết luận: Quý khách xem được kết luận và việc xử lý, rồi có thể đánh giá mức độ hài lòng.
home-steps-law = Các thời hạn trên là của Luật Tố cáo 2018 (Điều 24, 29, 30) và áp dụng cho tố cáo có ghi rõ họ tên, tính từ ngày người tố cáo được xác minh. Phản ánh ẩn danh không thuộc trình tự tố cáo: được xem xét trong vòng 7 ngày làm việc và trả lời kết quả trong vòng 30 ngày kể từ khi nhận (chỉ tiêu phục vụ của EVN).
home-kinds-title = Ẩn danh hay ghi rõ họ tên?
home-kind-anonymous = Phản ánh ẩn danh: không cần cung cấp thông tin cá nhân. Cán bộ kiểm tra xem xét, xác minh và trả lời kết quả theo chỉ tiêu phục vụ của EVN, không theo trình tự tố cáo (Điều 25 Luật Tố cáo).
home-kind-named = Tố cáo có ghi rõ họ tên: Quý khách cung cấp họ tên, địa chỉ, số điện thoại; cán bộ kiểm tra liên hệ để xác minh người tố cáo (qua điện thoại, tại quầy giao dịch, hoặc đơn có chữ ký), sau đó tố cáo được giải quyết trong thời hạn luật định và danh tính của Quý khách được giữ bí mật.

## Report form
report-title = Gửi phản ánh
report-intro = Các mục có dấu * là bắt buộc. Hãy mô tả sự việc càng cụ thể càng tốt; đừng ghi thông tin cá nhân của Quý khách vào phần mô tả nếu muốn ẩn danh.
report-errors-summary = Có { $count } mục cần sửa. Các thông tin Quý khách đã nhập vẫn được giữ nguyên.
report-section-where = Sự việc xảy ra ở đâu, khi nào
report-unit = Đơn vị điện lực *
report-unit-hint = Chọn đơn vị gần nhất với nơi xảy ra sự việc (điện lực hoặc phòng giao dịch khách hàng).
report-unit-choose = — Chọn đơn vị —
report-unit-filter = Tìm đơn vị
report-unit-filter-hint = Gõ tên tỉnh, thành phố hoặc điện lực (có thể không dấu), ví dụ "hai phong", rồi bấm Lọc danh sách.
report-unit-filter-submit = Lọc danh sách
report-unit-filter-clear = Hiện tất cả
report-unit-filter-none = Không tìm thấy đơn vị phù hợp. Hãy thử từ khác hoặc hiện tất cả.
report-date = Ngày xảy ra *
report-date-hint = Ngày/tháng/năm, ví dụ 20/11/2026 hoặc 1/2/2026; không sau hôm nay.
report-time = Giờ (nếu nhớ)
report-time-hint = Ví dụ 14:30.
report-section-what = Chuyện gì đã xảy ra
report-category = Loại vi phạm *
report-category-choose = — Chọn loại vi phạm —
report-description = Mô tả sự việc *
report-description-hint = Từ { $min } đến { $max } ký tự: ai, làm gì, ở đâu, có ai chứng kiến.
report-section-staff = Nhân viên liên quan (nếu biết)
report-staff-hint = Không bắt buộc. Thông tin này giúp xác minh và bảo đảm người bị phản ánh không được xem hồ sơ.
report-staff-name = Họ tên nhân viên
report-staff-number = Số thẻ / mã nhân viên
report-staff-description = Đặc điểm nhận dạng
report-staff-description-hint = Ví dụ: trang phục, phương tiện, biển số xe, tối đa { $max } ký tự.
report-section-identity = Quý khách muốn gửi như thế nào
report-identity = Hình thức gửi *
report-identity-anonymous = Ẩn danh — tôi không cung cấp danh tính
report-identity-named = Tố cáo có ghi rõ họ tên — tôi cung cấp họ tên, địa chỉ, số điện thoại
report-identity-named-hint = Chỉ điền các mục dưới đây nếu chọn tố cáo có ghi rõ họ tên. Thông tin được mã hóa và giữ bí mật.
report-full-name = Họ và tên
report-address = Địa chỉ
report-phone = Số điện thoại
report-escalate = Gửi thẳng lên cấp trên của đơn vị (ví dụ khi Quý khách lo ngại đơn vị tại chỗ không khách quan)
report-submit = Gửi phản ánh
report-privacy-note = Khi bấm Gửi, phản ánh được lưu ngay và Quý khách nhận mã tiếp nhận. Cổng không lưu địa chỉ IP hay thông tin trình duyệt của Quý khách.

## Receipt
receipt-title = Đã tiếp nhận phản ánh
receipt-lead = Phản ánh của Quý khách đã được lưu an toàn. Đây là mã tiếp nhận của Quý khách:
receipt-code-label = Mã tiếp nhận
receipt-read-aloud = Mã gồm 25 chữ số, chia 5 nhóm, mỗi nhóm 5 số; có thể đọc từng nhóm.
receipt-expected = Các mốc Quý khách có thể chờ đợi
receipt-warning-title = Hãy ghi lại mã này ngay
receipt-warning = Mã chỉ hiển thị một lần và không thể khôi phục: cổng không lưu mã, kể cả quản trị viên cũng không tìm lại được. Mất mã thì Quý khách không thể theo dõi hay trả lời câu hỏi của cán bộ kiểm tra.
receipt-print = In mã tiếp nhận
receipt-print-hint = Quý khách có thể in trang này hoặc chép mã ra giấy. Đừng chụp ảnh màn hình trên máy dùng chung.
receipt-next = Sau đó, vào mục "Theo dõi phản ánh" và nhập mã để xem tiến độ, trả lời cán bộ kiểm tra.
receipt-follow-up = Đi tới Theo dõi phản ánh
receipt-gone-title = Mã tiếp nhận đã được hiển thị
receipt-gone = Vì lý do bảo mật, mã tiếp nhận chỉ hiển thị một lần. Nếu Quý khách đã ghi lại mã, hãy dùng nó ở trang Theo dõi phản ánh. Phản ánh của Quý khách vẫn được lưu.

## Follow-up
follow-up-title = Theo dõi phản ánh
follow-up-lead = Nhập mã tiếp nhận Quý khách nhận được khi gửi phản ánh.
follow-up-receipt = Mã tiếp nhận
follow-up-receipt-hint = 25 chữ số, ví dụ 12345 67890 12345 67890 12345. Có thể gõ liền hoặc cách nhau bằng dấu cách, dấu gạch.
follow-up-submit = Xem phản ánh
follow-up-leave = Thoát khỏi phản ánh này
status-title = Phản ánh của Quý khách
status-current = Tình trạng hiện tại
status-received-at = Tiếp nhận lúc
status-details = Nội dung đã gửi
status-unit = Đơn vị
status-category = Loại vi phạm
status-occurred = Thời điểm xảy ra
status-description = Mô tả
status-staff-name = Nhân viên
status-staff-number = Số thẻ
status-staff-description = Đặc điểm nhận dạng
status-kind = Hình thức
status-kind-anonymous = Ẩn danh (tin báo)
status-kind-named = Tố cáo có ghi rõ họ tên — danh tính được mã hóa, giữ bí mật
status-escalated = Đã yêu cầu gửi lên cấp trên của đơn vị
status-timeline = Diễn biến
status-messages = Trao đổi với cán bộ kiểm tra
status-no-messages = Chưa có tin nhắn.
status-unread = Mới
status-reply = Trả lời hoặc bổ sung thông tin
status-reply-hint = Tối đa { $max } ký tự. Cán bộ kiểm tra sẽ đọc được nội dung này.
status-reply-submit = Gửi trả lời

## Case status, as the reporter reads it
status-received = Đã tiếp nhận
status-received-explained = Phản ánh của Quý khách đã được ghi nhận và đang chờ xem xét. Các mốc thời hạn áp dụng được nêu bên dưới.
status-accepted = Đã tiếp nhận xử lý
status-accepted-explained = Phản ánh của Quý khách đã được tiếp nhận xử lý. Các mốc thời hạn áp dụng được nêu bên dưới.
status-declined = Không xử lý
status-declined-explained = Phản ánh này không được xử lý tiếp. Lý do được nêu trong phần trao đổi.
status-investigating = Đang xác minh
status-investigating-explained = Cán bộ kiểm tra đang xác minh sự việc và có thể gửi câu hỏi cho Quý khách tại đây.
status-awaiting-reporter = Chờ Quý khách trả lời
status-awaiting-reporter-explained = Cán bộ kiểm tra cần thêm thông tin từ Quý khách. Quý khách vui lòng đọc tin nhắn và trả lời bên dưới.
status-concluded = Đã có kết luận
status-concluded-explained = Việc xác minh đã kết thúc. Xem tóm tắt kết luận trong phần trao đổi.
status-closed = Đã đóng
status-closed-explained = Hồ sơ đã đóng. Cảm ơn Quý khách đã góp phần giúp ngành Điện phục vụ tốt hơn.

## Timeline events and authors
event-received = Phản ánh được tiếp nhận
event-reporter-replied = Quý khách đã gửi trả lời
author-reporter = Quý khách
author-system = Hệ thống
author-staff = Cán bộ kiểm tra
msg-auto-ack = Chúng tôi đã nhận được phản ánh của Quý khách. Cán bộ kiểm tra sẽ xem xét trong vòng 7 ngày làm việc và trả lời kết quả tại trang này. Quý khách vui lòng giữ mã tiếp nhận để theo dõi và trả lời câu hỏi của cán bộ kiểm tra.
msg-auto-ack-named = Chúng tôi đã nhận được tố cáo của Quý khách. Trước khi xem xét thụ lý theo Luật Tố cáo, cán bộ kiểm tra sẽ liên hệ để xác minh người tố cáo (qua điện thoại, tại quầy giao dịch, hoặc đơn có chữ ký). Quý khách vui lòng giữ mã tiếp nhận để theo dõi.

## Flash messages
flash-reply-sent = Đã gửi trả lời của Quý khách.
flash-follow-up-expired = Phiên theo dõi đã hết hạn hoặc chưa mở. Vui lòng nhập lại mã tiếp nhận.
flash-follow-up-left = Quý khách đã thoát khỏi phản ánh. Trên máy dùng chung, hãy đóng trình duyệt.

## Field errors
error-unit-required = Hãy chọn đơn vị điện lực trong danh sách.
error-category-required = Hãy chọn loại vi phạm.
error-date-required = Hãy nhập ngày xảy ra sự việc.
error-date-invalid = Ngày không hợp lệ; hãy dùng định dạng ngày/tháng/năm.
error-date-future = Ngày xảy ra không thể sau hôm nay.
error-date-too-old = Sự việc đã quá 10 năm; cổng không tiếp nhận.
error-time-invalid = Giờ không hợp lệ; ví dụ 14:30.
error-description-required = Hãy mô tả sự việc.
error-description-short = Mô tả quá ngắn; hãy viết ít nhất 20 ký tự.
error-description-long = Mô tả quá dài; tối đa 5000 ký tự.
error-too-long = Nội dung quá dài.
error-staff-number-invalid = Số thẻ chỉ gồm chữ cái không dấu, chữ số và các dấu - / .
error-identity-required = Hãy chọn gửi ẩn danh hoặc tố cáo có ghi rõ họ tên.
error-full-name-required = Khi tố cáo có ghi rõ họ tên, hãy nhập họ và tên.
error-address-required = Khi tố cáo có ghi rõ họ tên, hãy nhập địa chỉ.
error-phone-required = Khi tố cáo có ghi rõ họ tên, hãy nhập số điện thoại.
error-phone-invalid = Số điện thoại không hợp lệ (9–15 chữ số, có thể bắt đầu bằng +).
error-reply-required = Hãy nhập nội dung trả lời.
error-reply-long = Trả lời quá dài; tối đa 5000 ký tự.
error-receipt-generic = Không mở được phản ánh với mã này. Hãy kiểm tra lại mã và thử lại.

## Error pages
error-title = Lỗi { $status }
error-back-home = Về trang chủ
error-request-id = Mã yêu cầu (hãy cung cấp khi liên hệ hỗ trợ)
error-400 = Yêu cầu không hợp lệ.
error-403 = Bạn không có quyền thực hiện thao tác này.
error-404 = Không tìm thấy trang bạn yêu cầu.
error-413 = Nội dung gửi lên quá lớn.
error-422 = Dữ liệu gửi lên không hợp lệ. Hãy quay lại và kiểm tra các mục đã nhập.
error-429 = Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.
error-500 = Đã xảy ra lỗi trong hệ thống. Không có dữ liệu nào của bạn bị mất; vui lòng thử lại sau.
error-csrf = Biểu mẫu đã hết hạn hoặc không hợp lệ, nên không có gì được lưu. Hãy tải lại trang và gửi lại.
error-slow-down = Bạn đã nhập sai nhiều lần. Vui lòng đợi { $seconds } giây rồi thử lại.
error-locked-out = Bạn đã nhập sai quá nhiều lần. Chức năng này tạm khóa trong { $minutes } phút.

# Status words by track (domain::track::status_label_key, status_explained_key)
status-accepted-denunciation = Đã thụ lý
status-declined-denunciation = Không thụ lý
status-received-candidate-explained = Tố cáo của Quý khách đã được ghi nhận. Trước khi thụ lý, cán bộ kiểm tra sẽ liên hệ để xác minh người tố cáo (qua điện thoại, tại quầy giao dịch, hoặc đơn có chữ ký) theo Điều 22, 23 Luật Tố cáo.
status-received-denunciation-explained = Người tố cáo đã được xác minh. Tố cáo đang chờ quyết định thụ lý trong thời hạn của Điều 24 Luật Tố cáo.
status-accepted-denunciation-explained = Tố cáo của Quý khách đã được thụ lý; thời hạn giải quyết là 30 ngày kể từ ngày thụ lý (Điều 30 Luật Tố cáo).
status-declined-denunciation-explained = Tố cáo không được thụ lý. Lý do được nêu trong phần trao đổi.
status-track = Loại
status-dates = Các mốc thời hạn
status-date-review = Hạn xem xét phản ánh (chỉ tiêu phục vụ của EVN)
status-date-result = Hạn trả lời kết quả (chỉ tiêu phục vụ của EVN)
status-date-verify = Hạn xác minh người tố cáo
status-date-acceptance = Hạn quyết định thụ lý (Điều 24 Luật Tố cáo)
status-date-notify = Hạn thông báo thụ lý cho người tố cáo (Điều 29 Luật Tố cáo)
status-date-resolution = Hạn giải quyết tố cáo (Điều 30 Luật Tố cáo)

## A denunciation's procedure (Luật Tố cáo Điều 33, 34, 40), as the denouncer reads it
status-suspended = Tạm đình chỉ giải quyết
status-suspended-explained = Việc giải quyết tố cáo đang tạm đình chỉ để chờ kết quả của cơ quan, tổ chức khác hoặc kết quả giám định (khoản 1 Điều 34 Luật Tố cáo). Thời gian tạm đình chỉ không tính vào thời hạn giải quyết; Quý khách sẽ được thông báo khi việc giải quyết tiếp tục.
status-terminated = Đình chỉ giải quyết
status-terminated-explained = Việc giải quyết tố cáo đã được đình chỉ theo khoản 3 Điều 34 Luật Tố cáo. Lý do được nêu trong phần trao đổi.
status-date-suspended = Tạm đình chỉ từ ngày (thời hạn giải quyết tạm dừng)
event-withdrawal-recorded = Ghi nhận việc rút tố cáo
event-suspended = Tạm đình chỉ việc giải quyết tố cáo
event-resumed = Tiếp tục giải quyết tố cáo
event-terminated = Đình chỉ việc giải quyết tố cáo
event-notice-sent = Đã gửi thông báo bằng văn bản
event-conclusion-published = Công khai kết luận nội dung tố cáo
msg-withdrawal-part = Việc Quý khách rút một phần nội dung tố cáo đã được ghi nhận. Các nội dung còn lại tiếp tục được giải quyết (Điều 33 Luật Tố cáo).
msg-withdrawal-whole = Việc Quý khách rút toàn bộ nội dung tố cáo đã được ghi nhận (Điều 33 Luật Tố cáo). Người giải quyết tố cáo sẽ ra quyết định đình chỉ việc giải quyết và gửi cho Quý khách.
msg-withdrawal-continues = Việc Quý khách rút tố cáo đã được ghi nhận. Theo khoản 3 Điều 33 Luật Tố cáo, nội dung tố cáo vẫn tiếp tục được giải quyết.
msg-resolution-suspended = Việc giải quyết tố cáo được tạm đình chỉ theo khoản 1 Điều 34 Luật Tố cáo. Thời gian tạm đình chỉ không tính vào thời hạn giải quyết.
msg-resolution-resumed = Việc giải quyết tố cáo được tiếp tục theo khoản 2 Điều 34 Luật Tố cáo. Thời hạn giải quyết mới được nêu tại trang này.
msg-resolution-terminated = Việc giải quyết tố cáo được đình chỉ theo khoản 3 Điều 34 Luật Tố cáo. Quyết định đình chỉ được gửi cho Quý khách.
msg-conclusion-published = Tóm tắt kết luận nội dung tố cáo đã được công khai tại trang «Minh bạch kết quả giải quyết phản ánh», không kèm thông tin nhận dạng Quý khách hay người bị tố cáo (Điều 40 Luật Tố cáo).
status-handled-by = Đơn vị xử lý
report-consent = Tôi đã đọc Thông báo xử lý dữ liệu cá nhân và đồng ý để Cổng xử lý họ tên, địa chỉ, số điện thoại của tôi nhằm giải quyết tố cáo, kể cả nhắn tin SMS tới số này các thông báo về đơn (không kèm nội dung đơn).
report-consent-hint = Chỉ cần khi gửi đơn có danh tính. Sau này Quý khách có thể xem, sửa hoặc rút lại danh tính bằng mã tiếp nhận.
error-consent-required = Đơn tố cáo có danh tính cần sự đồng ý của Quý khách: hãy đọc thông báo và đánh dấu ô đồng ý, hoặc chọn gửi ẩn danh.
consent-notice-link = Thông báo xử lý dữ liệu cá nhân
