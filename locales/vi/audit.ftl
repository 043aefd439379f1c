# The audit trail screens (Vietnamese). Keys must match locales/en/audit.ftl.
# audit-title lives in admin.ftl.

audit-lead = Mọi thao tác của nhân viên và của hệ thống, mục mới nhất ở trên cùng. Mỗi mục được nối với mục trước bằng mã băm, nên việc sửa hay xóa một dòng đều bị phát hiện.
audit-filters = Lọc nhật ký
audit-filters-invalid = Bộ lọc chưa hợp lệ, hãy sửa rồi lọc lại:
audit-filter-actor = Người thực hiện
audit-filter-action = Thao tác
audit-filter-object-type = Loại đối tượng
audit-filter-object-id = Mã đối tượng
audit-filter-from = Từ ngày
audit-filter-to = Đến ngày
audit-filter-any = Tất cả
audit-filter-submit = Lọc
audit-filter-clear = Xóa bộ lọc
audit-filter-hint = Người thực hiện: một phần địa chỉ thư, không phân biệt chữ hoa chữ thường. Mã đối tượng phải khớp chính xác. Ngày tính theo giờ Hà Nội (năm-tháng-ngày) và bao gồm cả ngày cuối.
audit-count = { $count } mục phù hợp
audit-showing = đang hiển thị mục { $first }–{ $last }
audit-empty = Không có mục nào phù hợp với bộ lọc.
audit-col-id = Số
audit-col-time = Thời gian (giờ Hà Nội)
audit-col-actor = Người thực hiện
audit-col-action = Thao tác
audit-col-object = Đối tượng
audit-col-details = Chi tiết
audit-user-id = tài khoản #{ $id }
audit-pagination = Phân trang
audit-previous = ← Trang trước
audit-next = Trang sau →
audit-page = Trang { $page } / { $pages }
audit-export = Tải xuống CSV
audit-export-hint = Tệp CSV (UTF-8) gồm mọi mục phù hợp với bộ lọc, cũ nhất trước, tối đa { $limit } dòng; thời gian theo giờ UTC. Ô bắt đầu bằng = + - @ được thêm dấu ' ở đầu để bảng tính không chạy như công thức. Mỗi lần tải xuống đều được ghi vào nhật ký.
audit-export-capped = Tệp chỉ gồm { $limit } mục đầu tiên; hãy thu hẹp bộ lọc để lấy phần còn lại.
audit-verify-link = Kiểm tra tính toàn vẹn của nhật ký
audit-verify-title = Kiểm tra tính toàn vẹn
audit-verify-lead = Hệ thống tính lại mã băm của từng mục theo thứ tự ghi, so với mã đã lưu và với liên kết tới mục liền trước.
audit-verify-intact = Nhật ký nguyên vẹn: đã kiểm tra { $entries } mục.
audit-verify-broken-content = Nhật ký bị phá vỡ tại mục #{ $id }: nội dung của mục không còn khớp với mã băm đã lưu (mục đã bị sửa).
audit-verify-broken-link = Nhật ký bị phá vỡ tại mục #{ $id }: liên kết tới mục liền trước không khớp (một mục trước nó đã bị xóa hoặc thay thế).
audit-verify-broken-next = Các mục trước đó vẫn nguyên vẹn. Hãy báo ngay cho bộ phận an ninh thông tin và giữ nguyên cơ sở dữ liệu để điều tra.
audit-verify-entry = Mục bị phát hiện
audit-back = Quay lại nhật ký
error-audit-date = Ngày không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày, ví dụ 2026-11-27.
error-audit-range = Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.
