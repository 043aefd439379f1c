# Admin: staff directory and its import, routing rules, public holidays, canned replies
# (Vietnamese). Keys must match locales/en/admin_directory.ftl.

## Staff directory

admin-staff-title = Danh bạ nhân viên
admin-staff-list-lead = Nhân viên mà phản ánh có thể nêu tên. Cổng dùng danh bạ để loại trừ xung đột lợi ích: thanh tra viên không bao giờ thấy hồ sơ nêu tên đồng nghiệp cùng đơn vị. Nhân viên không bị xóa; người nghỉ việc được ngừng hoạt động.
admin-staff-add = Thêm nhân viên
admin-staff-import = Nhập từ tệp CSV
admin-staff-search = Tìm theo họ tên hoặc mã nhân viên
admin-staff-search-hint = Gõ có dấu hay không dấu đều được, ví dụ “nguyen van” tìm thấy “Nguyễn Văn”.
admin-staff-found = Tìm thấy { $count } nhân viên khớp với “{ $query }”.
admin-staff-none = Danh bạ chưa có nhân viên nào. Hãy thêm từng người hoặc nhập tệp xuất từ hệ thống nhân sự.
admin-staff-none-found = Không có nhân viên nào khớp với nội dung tìm kiếm.
admin-staff-number = Mã nhân viên
admin-staff-number-hint = Chữ không dấu, chữ số và các dấu - / . (tối đa 32 ký tự), ví dụ HN-000123. Chữ thường được tự đổi sang chữ in hoa. Mã không sửa được sau khi tạo.
admin-staff-number-fixed = Mã nhân viên cố định, không sửa được.
admin-staff-name = Họ và tên
admin-staff-unit = Đơn vị
admin-staff-unit-choose = Chọn đơn vị
admin-staff-position = Chức danh
admin-staff-position-hint = Không bắt buộc.
admin-staff-status = Trạng thái
admin-staff-active = Đang làm việc
admin-staff-inactive = Đã ngừng hoạt động
admin-staff-actions = Thao tác
admin-staff-edit = Sửa
admin-staff-deactivate = Ngừng hoạt động
admin-staff-reactivate = Kích hoạt lại
admin-staff-back = ← Danh bạ nhân viên
admin-staff-cancel = Hủy
admin-staff-new-title = Thêm nhân viên
admin-staff-create = Thêm nhân viên
admin-staff-edit-title = Sửa nhân viên { $number }
admin-staff-save = Lưu thay đổi
admin-staff-other-actions = Thao tác khác
admin-staff-deactivate-title = Ngừng hoạt động nhân viên { $number }
admin-staff-deactivate-lead = Nhân viên vẫn ở trong danh bạ nhưng phản ánh mới nêu mã này không còn được gắn với họ. Các hồ sơ cũ và các loại trừ xung đột lợi ích đã ghi vẫn giữ nguyên.
admin-staff-deactivate-submit = Xác nhận ngừng hoạt động
admin-staff-reactivate-title = Kích hoạt lại nhân viên { $number }
admin-staff-reactivate-lead = Phản ánh mới nêu mã nhân viên này sẽ lại được gắn với họ.
admin-staff-reactivate-submit = Xác nhận kích hoạt lại
admin-staff-already-active = Nhân viên này đang hoạt động.
admin-staff-already-inactive = Nhân viên này đã ngừng hoạt động.

## Staff import

admin-staff-import-title = Nhập danh bạ từ tệp CSV
admin-staff-import-lead = Tải lên tệp xuất từ hệ thống nhân sự. Việc nhập là “tất cả hoặc không”: chỉ cần một dòng lỗi là không dòng nào được nhập, và mọi dòng lỗi đều được liệt kê để sửa. Nhân viên đã có mã trong danh bạ được cập nhật (họ tên, đơn vị, chức danh, trạng thái); mã mới được thêm vào.
admin-staff-import-format-title = Định dạng tệp
admin-staff-import-format = Văn bản UTF-8 (chấp nhận BOM), các cột ngăn cách bằng dấu phẩy (không dùng dấu chấm phẩy), ô chứa dấu phẩy hoặc xuống dòng đặt trong dấu ngoặc kép. Dòng đầu tiên là tiêu đề nêu tên các cột, theo thứ tự bất kỳ. Dòng chỉ gồm ô trống được bỏ qua.
admin-staff-import-col-number = Bắt buộc. Mã nhân viên: chữ không dấu, chữ số và các dấu - / . (tối đa 32 ký tự); không được trùng trong tệp.
admin-staff-import-col-name = Bắt buộc. Họ và tên, tối đa 200 ký tự.
admin-staff-import-col-unit = Bắt buộc. Mã đơn vị như trên màn hình Đơn vị, ví dụ EVNHANOI; đơn vị phải đang hoạt động.
admin-staff-import-col-position = Không bắt buộc (có thể bỏ cả cột). Chức danh, tối đa 200 ký tự.
admin-staff-import-col-active = Không bắt buộc (có thể bỏ cả cột). true hoặc false (cũng nhận 1/0, yes/no, có/không); để trống nghĩa là đang làm việc.
admin-staff-import-example = Ví dụ:
admin-staff-import-file = Tệp CSV
admin-staff-import-file-hint = Tối đa { $limit }. Tệp lớn hơn hãy nhập bằng dòng lệnh.
admin-staff-import-submit = Kiểm tra và nhập
admin-staff-import-cli = Trên máy chủ, có thể nhập cùng định dạng bằng lệnh:
admin-staff-import-done-title = Đã nhập xong
admin-staff-import-done = Đã nhập { $rows } dòng: thêm mới { $inserted }, cập nhật { $updated }, không thay đổi { $unchanged }.
admin-staff-import-missing-kept = Nhân viên có trong danh bạ nhưng không có trong tệp được giữ nguyên; hãy ngừng hoạt động họ trên màn hình danh bạ nếu cần.
admin-staff-import-see-list = Xem danh bạ
admin-staff-import-refused = Không nhập được: { $count } dòng cần sửa. Chưa có dòng nào được nhập.
admin-staff-import-fix = Hãy sửa các dòng dưới đây trong tệp rồi tải lên lại.
admin-staff-import-bad-lines = Các dòng lỗi
admin-staff-import-line-number = Dòng
admin-staff-import-reason = Lý do
admin-staff-import-line = Dòng { $line }: { $reason }

## Routing rules

admin-routing-title = Quy tắc chuyển phản ánh
admin-routing-intro = Mỗi quy tắc nói: phản ánh về đơn vị này và các đơn vị cấp dưới (thuộc loại vi phạm này, hoặc mọi loại) được chuyển đến đoàn thanh tra này. Khi có phản ánh mới, cổng chọn đoàn như sau:
admin-routing-how-walk = Bắt đầu từ đơn vị bị phản ánh rồi đi dần lên các cấp trên; đơn vị gần nhất có kết quả phù hợp sẽ quyết định.
admin-routing-how-specific = Tại mỗi đơn vị, quy tắc cụ thể nhất thắng: quy tắc cho đúng loại vi phạm, rồi quy tắc cho mọi loại, rồi đoàn thanh tra thuộc chính đơn vị đó.
admin-routing-how-severe = Loại vi phạm nghiêm trọng bỏ qua quy tắc cho mọi loại và đoàn của các đơn vị dưới cấp tổng công ty, nên mặc định được chuyển đến Ban Thanh tra – Kiểm tra của tổng công ty hoặc của EVN; quy tắc cho đúng loại vi phạm đó vẫn được áp dụng ở mọi cấp.
admin-routing-how-above = Khi người phản ánh chọn gửi lên cấp trên, việc tìm kiếm bắt đầu từ đơn vị cấp trên của đơn vị bị phản ánh.
admin-routing-how-conflict = Quy tắc trỏ đến đoàn đã ngừng hoạt động bị bỏ qua; đoàn mà mọi thành viên đều có xung đột lợi ích với hồ sơ cũng bị bỏ qua và việc tìm kiếm tiếp tục lên cấp trên.
admin-routing-add = Thêm quy tắc
admin-routing-none = Chưa có quy tắc nào: mọi phản ánh được chuyển đến đoàn thanh tra gần nhất trên cây đơn vị.
admin-routing-unit = Đơn vị
admin-routing-unit-hint = Quy tắc áp dụng cho đơn vị này và mọi đơn vị cấp dưới.
admin-routing-unit-choose = Chọn đơn vị
admin-routing-category = Loại vi phạm
admin-routing-category-hint = Chọn “Mọi loại vi phạm” để áp dụng cho mọi loại không có quy tắc riêng (trừ loại nghiêm trọng dưới cấp tổng công ty).
admin-routing-any-category = Mọi loại vi phạm
admin-routing-severe = nghiêm trọng
admin-routing-team = Đoàn thanh tra
admin-routing-team-choose = Chọn đoàn thanh tra
admin-routing-team-inactive = Đoàn đã ngừng hoạt động: quy tắc đang bị bỏ qua.
admin-routing-actions = Thao tác
admin-routing-delete = Xóa
admin-routing-back = ← Quy tắc chuyển phản ánh
admin-routing-cancel = Hủy
admin-routing-new-title = Thêm quy tắc chuyển phản ánh
admin-routing-new-lead = Quy tắc chỉ áp dụng cho phản ánh gửi sau khi lưu; hồ sơ đã có không bị chuyển lại.
admin-routing-create = Thêm quy tắc
admin-routing-delete-title = Xóa quy tắc chuyển phản ánh
admin-routing-delete-lead = Sau khi xóa, phản ánh mới về đơn vị này được chuyển theo các quy tắc còn lại. Hồ sơ đã có không bị chuyển lại. Việc xóa được ghi vào nhật ký kiểm toán.
admin-routing-delete-submit = Xác nhận xóa quy tắc

## Public holidays

admin-holiday-title = Ngày nghỉ lễ
admin-holiday-lead = Thời hạn tính theo ngày làm việc (thụ lý trong 7 ngày làm việc, thông báo trong 5 ngày làm việc) bỏ qua thứ Bảy, Chủ nhật và các ngày dưới đây. Mỗi ngày nghỉ là một dòng. Ngày Tết Nguyên Đán và ngày nghỉ liền kề 2/9 thay đổi theo thông báo hằng năm của Chính phủ: hãy kiểm tra và sửa khi có thông báo. Thay đổi chỉ ảnh hưởng các thời hạn được tính từ nay; thời hạn đã tính không thay đổi.
admin-holiday-years = Chọn năm
admin-holiday-add = Thêm ngày nghỉ
admin-holiday-count = { $count } ngày nghỉ, trong đó { $weekdays } ngày rơi vào ngày làm việc.
admin-holiday-none = Chưa có ngày nghỉ nào trong năm này.
admin-holiday-day = Ngày
admin-holiday-day-hint = Mỗi ngày nghỉ nhập một lần; ví dụ Tết nghỉ 5 ngày thì thêm 5 dòng.
admin-holiday-weekday = Thứ
admin-holiday-weekday-mon = Thứ Hai
admin-holiday-weekday-tue = Thứ Ba
admin-holiday-weekday-wed = Thứ Tư
admin-holiday-weekday-thu = Thứ Năm
admin-holiday-weekday-fri = Thứ Sáu
admin-holiday-weekday-sat = Thứ Bảy
admin-holiday-weekday-sun = Chủ nhật
admin-holiday-name-vi = Tên tiếng Việt
admin-holiday-name-en = Tên tiếng Anh
admin-holiday-actions = Thao tác
admin-holiday-delete = Xóa
admin-holiday-back = ← Ngày nghỉ lễ
admin-holiday-cancel = Hủy
admin-holiday-new-title = Thêm ngày nghỉ
admin-holiday-new-lead = Ngày nghỉ mới được dùng cho các thời hạn tính từ nay.
admin-holiday-create = Thêm ngày nghỉ
admin-holiday-delete-title = Xóa ngày nghỉ { $date }
admin-holiday-delete-lead = Sau khi xóa, ngày này được tính là ngày làm việc (nếu không phải thứ Bảy, Chủ nhật) cho các thời hạn tính từ nay. Việc xóa được ghi vào nhật ký kiểm toán.
admin-holiday-delete-submit = Xác nhận xóa ngày nghỉ

## Canned replies

admin-canned-title = Mẫu trả lời
admin-canned-list-lead = Các mẫu thanh tra viên chèn vào tin nhắn gửi người phản ánh trên trang hồ sơ. Chỉ mẫu đang dùng mới được đề xuất. Mẫu không bị xóa; mẫu ngừng sử dụng có thể dùng lại.
admin-canned-add = Thêm mẫu trả lời
admin-canned-none = Chưa có mẫu trả lời nào.
admin-canned-code = Mã
admin-canned-code-hint = Chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ cái, tối đa 40 ký tự, ví dụ ask_more_details. Mã không sửa được sau khi tạo.
admin-canned-code-fixed = Mã cố định, không sửa được.
admin-canned-reply-title = Tiêu đề
admin-canned-title-vi = Tiêu đề tiếng Việt
admin-canned-title-en = Tiêu đề tiếng Anh
admin-canned-body-vi = Nội dung tiếng Việt
admin-canned-body-en = Nội dung tiếng Anh
admin-canned-body-hint = Văn bản được chèn vào ô tin nhắn, thanh tra viên có thể sửa trước khi gửi. Không ghi thông tin của một hồ sơ cụ thể.
admin-canned-status = Trạng thái
admin-canned-active = Đang dùng
admin-canned-inactive = Ngừng sử dụng
admin-canned-actions = Thao tác
admin-canned-edit = Sửa
admin-canned-deactivate = Ngừng sử dụng
admin-canned-reactivate = Dùng lại
admin-canned-back = ← Mẫu trả lời
admin-canned-cancel = Hủy
admin-canned-new-title = Thêm mẫu trả lời
admin-canned-create = Thêm mẫu
admin-canned-edit-title = Sửa mẫu trả lời { $code }
admin-canned-save = Lưu thay đổi
admin-canned-other-actions = Thao tác khác
admin-canned-deactivate-title = Ngừng sử dụng mẫu { $code }
admin-canned-deactivate-lead = Mẫu sẽ không còn được đề xuất trên trang hồ sơ. Các tin nhắn đã gửi không thay đổi.
admin-canned-deactivate-submit = Xác nhận ngừng sử dụng
admin-canned-reactivate-title = Dùng lại mẫu { $code }
admin-canned-reactivate-lead = Mẫu sẽ lại được đề xuất trên trang hồ sơ.
admin-canned-reactivate-submit = Xác nhận dùng lại
admin-canned-already-active = Mẫu này đang được dùng.
admin-canned-already-inactive = Mẫu này đã ngừng sử dụng.

## Errors

error-admin-staff-number-required = Hãy nhập mã nhân viên.
error-admin-staff-number-invalid = Mã nhân viên chỉ gồm chữ không dấu, chữ số và các dấu - / . (tối đa 32 ký tự).
error-admin-staff-number-taken = Đã có nhân viên mang mã này.
error-admin-staff-name-required = Hãy nhập họ và tên.
error-admin-staff-name-long = Họ tên quá dài; tối đa 200 ký tự.
error-admin-staff-unit-required = Hãy chọn đơn vị trong danh sách.
error-admin-staff-unit-closed = Đơn vị này đã ngừng hoạt động; hãy chọn đơn vị khác.
error-admin-staff-position-long = Chức danh quá dài; tối đa 200 ký tự.
error-import-file-required = Hãy chọn một tệp CSV không rỗng.
error-import-file-too-large = Tệp lớn hơn { $limit }; hãy chia nhỏ tệp hoặc nhập bằng dòng lệnh.
error-import-empty = Tệp rỗng: thiếu dòng tiêu đề.
error-import-separator = Các cột phải ngăn cách bằng dấu phẩy, không phải dấu chấm phẩy; hãy xuất lại tệp với dấu phẩy.
error-import-header-missing = Dòng tiêu đề thiếu cột bắt buộc: { $columns }.
error-import-header-unknown = Cột “{ $column }” không được hỗ trợ; các cột hợp lệ là employee_number, full_name, unit_code, position, active.
error-import-header-duplicate = Cột “{ $column }” xuất hiện hai lần.
error-import-no-rows = Tệp chỉ có dòng tiêu đề, không có nhân viên nào.
error-import-columns = Dòng có { $found } cột trong khi tiêu đề có { $expected } cột.
error-import-encoding = Dòng không phải văn bản UTF-8 hợp lệ; hãy lưu tệp với bảng mã UTF-8.
error-import-unreadable = Không đọc được dòng này.
error-import-number-missing = Thiếu mã nhân viên.
error-import-number-invalid = Mã nhân viên không hợp lệ: chỉ gồm chữ không dấu, chữ số và các dấu - / . (tối đa 32 ký tự).
error-import-duplicate = Mã nhân viên trùng với dòng { $first }.
error-import-name-missing = Thiếu họ và tên.
error-import-name-long = Họ tên quá dài; tối đa 200 ký tự.
error-import-unit-missing = Thiếu mã đơn vị.
error-import-unit-unknown = Không có đơn vị nào mang mã “{ $code }”.
error-import-unit-closed = Đơn vị “{ $code }” đã ngừng hoạt động.
error-import-position-long = Chức danh quá dài; tối đa 200 ký tự.
error-import-active-invalid = Giá trị “{ $value }” của cột active không hợp lệ; dùng true hoặc false.
error-admin-routing-unit-required = Hãy chọn đơn vị trong danh sách.
error-admin-routing-unit-closed = Đơn vị này đã ngừng hoạt động; hãy chọn đơn vị khác.
error-admin-routing-category-invalid = Hãy chọn một loại vi phạm đang dùng, hoặc “Mọi loại vi phạm”.
error-admin-routing-team-required = Hãy chọn đoàn thanh tra trong danh sách.
error-admin-routing-team-inactive = Đoàn thanh tra này đã ngừng hoạt động; hãy chọn đoàn khác.
error-admin-routing-duplicate = Đơn vị này đã có quy tắc cho loại vi phạm này; hãy xóa quy tắc cũ trước.
error-admin-holiday-day-taken = Ngày này đã là ngày nghỉ.
error-admin-holiday-name-required = Hãy nhập tên ngày nghỉ.
error-admin-holiday-name-long = Tên quá dài; tối đa 200 ký tự.
error-admin-holiday-year-range = Ngày phải nằm trong khoảng năm 2000 đến năm 2100.
error-admin-canned-code-required = Hãy nhập mã mẫu trả lời.
error-admin-canned-code-invalid = Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ cái, tối đa 40 ký tự.
error-admin-canned-code-taken = Đã có mẫu trả lời dùng mã này.
error-admin-canned-title-required = Hãy nhập tiêu đề.
error-admin-canned-title-long = Tiêu đề quá dài; tối đa 200 ký tự.
error-admin-canned-body-required = Hãy nhập nội dung.
error-admin-canned-body-long = Nội dung quá dài; tối đa 5000 ký tự.

## Flash messages

flash-admin-staff-created = Đã thêm nhân viên.
flash-admin-staff-updated = Đã lưu thay đổi của nhân viên.
flash-admin-staff-deactivated = Đã ngừng hoạt động nhân viên.
flash-admin-staff-reactivated = Đã kích hoạt lại nhân viên.
flash-admin-routing-created = Đã thêm quy tắc chuyển phản ánh.
flash-admin-routing-deleted = Đã xóa quy tắc chuyển phản ánh.
flash-admin-holiday-created = Đã thêm ngày nghỉ.
flash-admin-holiday-deleted = Đã xóa ngày nghỉ.
flash-admin-canned-created = Đã thêm mẫu trả lời.
flash-admin-canned-updated = Đã lưu thay đổi của mẫu trả lời.
flash-admin-canned-deactivated = Đã ngừng sử dụng mẫu trả lời.
flash-admin-canned-reactivated = Đã dùng lại mẫu trả lời.
