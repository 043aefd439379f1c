# Receipt codes that survive phones, dates as people type them, hotline numbers (issue 14).
follow-up-old-code = Mã của Quý khách có cả chữ cái (mã cấp trước đây)?
follow-up-old-code-hint = 16 ký tự chữ và số, ví dụ 7K3M-Q9XD-2HBT-W4RE. Không phân biệt chữ hoa, chữ thường; có thể bỏ dấu gạch. Nếu bàn phím tự thêm dấu tiếng Việt (Telex, VNI), hãy tắt bộ gõ tiếng Việt trước khi nhập.
report-date-placeholder = dd/mm/yyyy
hotline-footer = Tổng đài chăm sóc khách hàng
hotline-title = Cần hỗ trợ qua điện thoại?
hotline-lead = Tổng đài chăm sóc khách hàng của
hotline-code-hint = Tổng đài viên có thể hỏi mã tiếp nhận để tra cứu phản ánh; đừng đọc mã cho ai khác.
admin-unit-hotline = Số tổng đài chăm sóc khách hàng
admin-unit-hotline-hint = Chữ số, dấu cách, dấu chấm, dấu + ở đầu; nhiều số cách nhau bằng " / ", ví dụ 1900 1006 / 1900 9000. Để trống nếu đơn vị không có tổng đài riêng. Chân trang hiển thị số của các tổng công ty.
error-hotline-invalid = Số tổng đài không hợp lệ: mỗi số chỉ gồm 3–15 chữ số, dấu cách, dấu chấm và dấu + ở đầu; nhiều số cách nhau bằng " / ".
error-hotline-long = Quá nhiều số tổng đài (tối đa 120 ký tự).
