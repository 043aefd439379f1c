# Administration and audit (Vietnamese). Keys must match locales/en/admin.ftl.

admin-users-title = Người dùng
admin-teams-title = Tổ kiểm tra
admin-units-title = Đơn vị
admin-categories-title = Loại vi phạm
admin-articles-title = Bộ quy tắc ứng xử
audit-title = Nhật ký kiểm toán
