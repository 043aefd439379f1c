# Personal data (Vietnamese): the public privacy notice (/privacy), the admins' record of
# processing (/admin/privacy) and the names of the retention classes. Keys must match
# locales/en/privacy.ftl.

privacy-link = Bảo vệ dữ liệu cá nhân

# The names of the retention classes (domain::retention::RetentionClass::label_key).
retention-class-tip-no-substance = Phản ánh không có cơ sở
retention-class-tip-substantiated = Phản ánh có cơ sở (toàn bộ hoặc một phần)
retention-class-denunciation-no-substance = Tố cáo không có cơ sở, đã rút hoặc bị đình chỉ giải quyết
retention-class-denunciation-substantiated = Tố cáo đúng hoặc đúng một phần
retention-class-disciplinary = Vụ việc có quyết định xử lý kỷ luật

# /privacy
privacy-title = Thông báo xử lý dữ liệu cá nhân
privacy-lead = Trang này cho Quý khách biết Cổng phản ánh thu thập những dữ liệu nào, để làm gì, ai được xem, lưu trong bao lâu và Quý khách có những quyền gì, theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.
privacy-contents = Nội dung
privacy-controller-title = Ai chịu trách nhiệm về dữ liệu
privacy-controller-text = Bên kiểm soát dữ liệu cá nhân của Cổng là { $controller }. Đơn vị này quyết định mục đích và cách xử lý dữ liệu Quý khách gửi qua Cổng và chịu trách nhiệm về việc đó theo pháp luật.
privacy-collected-title = Cổng thu thập những gì
privacy-collected-tip-title = Phản ánh ẩn danh
privacy-collected-tip = Chỉ những gì Quý khách tự nhập và tải lên: đơn vị, ngày (và giờ) xảy ra, loại vi phạm, nội dung mô tả, thông tin về nhân viên bị phản ánh nếu Quý khách ghi (họ tên, mã nhân viên, đặc điểm nhận dạng), các tệp chứng cứ; sau đó là tin nhắn Quý khách trả lời và đánh giá mức độ hài lòng. Không có họ tên, địa chỉ hay số điện thoại của Quý khách.
privacy-collected-named-title = Tố cáo có ghi rõ họ tên
privacy-collected-named = Những thông tin như phản ánh ẩn danh, cộng thêm họ tên, địa chỉ và số điện thoại của Quý khách, cùng sự đồng ý của Quý khách với thông báo này (chỉ lưu phiên bản thông báo và ngày đồng ý).
privacy-collected-commend-title = Khen ngợi nhân viên
privacy-collected-commend = Đơn vị, họ tên hoặc mã nhân viên được khen nếu Quý khách ghi, và lời khen. Không có thông tin nào về người gửi.
privacy-collected-never = Cổng không lưu địa chỉ IP, thông tin trình duyệt hay thiết bị của Quý khách, không ghi nội dung Quý khách gửi vào nhật ký và không dùng cookie theo dõi. Địa chỉ IP chỉ được giữ tạm trong bộ nhớ để chặn việc dò mã hoặc gửi tràn lan, không bao giờ được ghi ra đĩa.
privacy-collected-cookies = Các cookie Cổng đặt cho Quý khách: ngôn ngữ đã chọn; mã chống giả mạo biểu mẫu; một cookie mã hóa đưa mã tiếp nhận đến trang biên nhận, bị xóa ngay khi mã được hiển thị; và khi Quý khách mở phản ánh bằng mã tiếp nhận, một cookie mã hóa cho biết phản ánh đang mở, hết hiệu lực sau { $minutes } phút không sử dụng.
privacy-purpose-title = Để làm gì và căn cứ pháp lý
privacy-purpose-denunciation = Giải quyết tố cáo theo Luật Tố cáo số 25/2018/QH14: xác minh người tố cáo, xem xét, kết luận và thông báo cho Quý khách. Luật này buộc đơn vị giữ bí mật họ tên, địa chỉ, bút tích và thông tin cá nhân khác của người tố cáo (Điều 9, Điều 47).
privacy-purpose-tip = Xem xét phản ánh, kiến nghị để kiểm tra, chấn chỉnh việc phục vụ khách hàng và xử lý vi phạm của nhân viên, qua đó nâng cao chất lượng dịch vụ; trả lời Quý khách trên trang theo dõi.
privacy-purpose-consent = Với tố cáo có ghi rõ họ tên, việc xử lý họ tên, địa chỉ, số điện thoại dựa trên sự đồng ý của Quý khách, thể hiện bằng ô đồng ý (không được chọn sẵn) trên biểu mẫu. Quý khách có thể rút lại sự đồng ý bất cứ lúc nào (xem mục Quyền của Quý khách).
privacy-purpose-sms = Báo tin cho người tố cáo có ghi rõ họ tên bằng SMS tới số điện thoại đã cho (đơn được thụ lý hay không, gia hạn, kết luận, có tin nhắn mới), và gửi mã tiếp nhận qua SMS khi Quý khách gọi tổng đài và đồng ý. Tin nhắn đi qua nhà cung cấp dịch vụ SMS của đơn vị (bên xử lý dữ liệu), chỉ gồm số điện thoại và lời báo; không bao giờ kèm nội dung đơn, họ tên hay người bị tố cáo.
privacy-purpose-statistics = Thống kê để lãnh đạo theo dõi chất lượng phục vụ và để công khai trên trang minh bạch: chỉ là các con số, không có lời Quý khách viết hay danh tính của Quý khách.
privacy-purpose-law = Mọi việc xử lý trên tuân theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15. Dữ liệu không được dùng vào mục đích khác, không được bán hay chuyển cho bên thứ ba, trừ khi cơ quan nhà nước có thẩm quyền yêu cầu theo quy định của pháp luật.
privacy-access-title = Ai được xem dữ liệu của Quý khách
privacy-access-team = Cán bộ kiểm tra của tổ kiểm tra được giao xử lý (của đơn vị bị phản ánh, hoặc của cấp trên với vi phạm nghiêm trọng) xem nội dung, tệp chứng cứ và tin nhắn. Nhân viên bị phản ánh và đồng nghiệp cùng đơn vị của họ không được xem (Cổng nhận ra họ qua danh bạ nhân sự: càng ghi rõ họ tên, mã nhân viên, việc loại trừ càng chắc chắn).
privacy-access-identity = Họ tên, địa chỉ, số điện thoại của người tố cáo được mã hóa và lưu riêng. Chỉ cán bộ của tổ đang xử lý vụ việc mới được xem, khi nêu lý do bằng văn bản và được người giữ bí mật danh tính phê duyệt; mỗi lần phê duyệt chỉ có hiệu lực 24 giờ. Người giữ bí mật danh tính chỉ thấy yêu cầu và lý do, không thấy danh tính. Mọi bước đều được ghi vào nhật ký kiểm toán.
privacy-access-accused = Người bị tố cáo được thông báo nội dung tố cáo nhưng không bao giờ được biết ai là người tố cáo.
privacy-access-leadership = Lãnh đạo chỉ xem số liệu thống kê (số lượng, thời gian xử lý, kết quả), không xem nội dung phản ánh hay danh tính; ở cấp đơn vị nhỏ, số liệu từ 1 đến 4 được ẩn để không ai bị nhận ra.
privacy-access-others = Quản trị viên quản lý tài khoản và danh mục; kiểm toán viên đọc nhật ký kiểm toán, vốn không chứa nội dung phản ánh hay danh tính. Cả hai đều không mở được phản ánh.
privacy-retention-title = Lưu trong bao lâu
privacy-retention-lead = Dữ liệu cá nhân của một vụ việc được lưu trong suốt thời gian xử lý. Sau khi vụ việc kết thúc, dữ liệu được lưu thêm theo thời hạn dưới đây, tùy kết quả xử lý:
privacy-retention-class = Loại hồ sơ
privacy-retention-period = Thời hạn lưu sau khi kết thúc
privacy-years = { $years } năm
privacy-retention-purge = Hết thời hạn, dữ liệu bị xóa vĩnh viễn: khóa mã hóa riêng của phản ánh bị hủy, các tệp chứng cứ bị xóa, nội dung, tin nhắn và danh tính không còn ai đọc được. Chỉ giữ lại những gì cần cho số liệu thống kê (ngày, đơn vị, loại vi phạm, kết quả). Tổ trưởng tổ kiểm tra được báo trước { $days } ngày; việc xóa chỉ được hoãn khi hồ sơ phải được giữ lại theo quy định của pháp luật (ví dụ đang được cơ quan có thẩm quyền xem xét), có ghi rõ lý do.
privacy-retention-basis = Thời hạn được đặt theo thực tiễn lưu trữ hồ sơ giải quyết khiếu nại, tố cáo và có thể được đơn vị điều chỉnh; trang này luôn hiển thị thời hạn đang áp dụng.
privacy-rights-title = Quyền của Quý khách
privacy-rights-lead = Theo Luật Bảo vệ dữ liệu cá nhân, Quý khách có quyền:
privacy-right-see = Xem dữ liệu cá nhân Cổng đang lưu về mình: thông tin danh tính đã cung cấp và danh sách các tệp đã gửi.
privacy-right-correct = Sửa thông tin liên hệ (họ tên, địa chỉ, số điện thoại) khi có sai sót hoặc thay đổi.
privacy-right-withdraw = Rút lại danh tính (rút lại sự đồng ý): họ tên, địa chỉ, số điện thoại bị xóa vĩnh viễn và vụ việc tiếp tục được xử lý như một phản ánh ẩn danh; tổ kiểm tra chỉ được biết là danh tính đã được rút lại.
privacy-right-ask = Được biết, hỏi về việc xử lý dữ liệu của mình, phản đối hoặc khiếu nại về việc xử lý đó.
privacy-rights-how = Cách thực hiện: vào trang Theo dõi phản ánh, nhập mã tiếp nhận, rồi chọn "Dữ liệu của tôi". Mã tiếp nhận là cách duy nhất chứng minh phản ánh là của Quý khách: Cổng không lưu mã này, và nếu mất mã thì không ai, kể cả EVN, khôi phục được.
privacy-rights-never-share = Đừng đưa mã tiếp nhận cho bất kỳ ai, kể cả nhân viên EVN. Với câu hỏi chung về việc xử lý dữ liệu, Quý khách liên hệ theo địa chỉ ở mục Liên hệ mà không cần nêu mã.
privacy-rights-follow-up = Theo dõi phản ánh
privacy-rights-my-data = Dữ liệu của tôi
privacy-evidence-title = Tệp chứng cứ có thể chứa dữ liệu của chính Quý khách
privacy-evidence-text = Ảnh, ghi âm, video và tài liệu có thể cho thấy khuôn mặt, giọng nói, biển số xe, nhà cửa hoặc vị trí của Quý khách và của người khác. Xin chỉ gửi những gì cần cho phản ánh.
privacy-evidence-photos = Với ảnh (JPEG, PNG, WebP, HEIC), Cổng tạo một bản sao đã xóa thông tin ẩn trong tệp (vị trí GPS, thiết bị, thời điểm chụp) và cán bộ kiểm tra xem bản sao này; bản gốc chỉ được tải về khi người giữ bí mật danh tính phê duyệt. Những gì nhìn thấy trong ảnh (khuôn mặt, biển số xe) thì không bị xóa.
privacy-evidence-documents = Tài liệu, ghi âm và video giữ nguyên thông tin ẩn bên trong (tên tác giả, thiết bị, vị trí); nếu không muốn, Quý khách hãy xóa trước khi gửi.
privacy-evidence-encrypted = Mọi tệp được mã hóa ngay khi đang tải lên, trước khi được ghi ra đĩa.
privacy-contact-title = Liên hệ
privacy-contact-text = Mọi câu hỏi, yêu cầu hoặc khiếu nại về dữ liệu cá nhân, xin gửi đến: { $contact }.
privacy-contact-authority = Quý khách cũng có quyền khiếu nại đến cơ quan chuyên trách bảo vệ dữ liệu cá nhân: Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an.
privacy-version-title = Phiên bản
privacy-version-text = Thông báo phiên bản { $version }, áp dụng từ ngày { $date }. Khi Quý khách đồng ý gửi tố cáo có ghi rõ họ tên, Cổng ghi lại phiên bản này và ngày đồng ý.

# /admin/privacy
admin-privacy-title = Hồ sơ hoạt động xử lý dữ liệu cá nhân
admin-privacy-lead = Hồ sơ ghi nhận hoạt động xử lý dữ liệu cá nhân của Cổng theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, đúng với phiên bản phần mềm đang chạy. Văn bản gốc nằm trong mã nguồn (docs/privacy/record-of-processing.md), cùng thư mục với đánh giá tác động và quy trình xử lý sự cố lộ lọt dữ liệu.
admin-privacy-retention-title = Thời hạn lưu đang áp dụng
admin-privacy-retention-lead = Đọc từ cấu hình đang chạy ([default.retention]); số năm tính từ ngày vụ việc kết thúc. Tổ trưởng được báo trước { $days } ngày khi dữ liệu sắp bị xóa.
admin-privacy-class = Loại hồ sơ
admin-privacy-years = Thời hạn
admin-privacy-setting = Tham số cấu hình
admin-privacy-notice = Thông báo công khai tại /privacy: phiên bản { $version }, áp dụng từ ngày { $date }.
admin-privacy-notice-link = Xem thông báo công khai
admin-privacy-document = Hồ sơ xử lý
