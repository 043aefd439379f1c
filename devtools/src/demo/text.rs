//! Vietnamese phrase banks for demo data: people's names, report descriptions built from
//! templates per category, and the messages inspectors and reporters exchange. Pure.

use rand::seq::SliceRandom;
use rand::Rng;

const SURNAMES: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
    "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Đinh",
];
const MIDDLE_MALE: &[&str] = &[
    "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân", "Quốc", "Tiến",
];
const MIDDLE_FEMALE: &[&str] = &["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Mỹ"];
const GIVEN_MALE: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Phong", "Thắng", "Quân", "Khánh", "Bình",
    "Hiếu", "Trung", "Đạt", "Cường", "Huy", "Thành", "Vinh", "Tùng",
];
const GIVEN_FEMALE: &[&str] = &[
    "Lan", "Hương", "Mai", "Hoa", "Thảo", "Trang", "Linh", "Ngọc", "Hà", "Yến", "Nhung", "Phương",
    "Vân", "Hạnh", "Dung", "Oanh",
];

/// Positions in the staff directory.
pub const POSITIONS: &[&str] = &[
    "Nhân viên ghi chỉ số",
    "Nhân viên thu tiền điện",
    "Giao dịch viên",
    "Kỹ thuật viên vận hành",
    "Công nhân sửa chữa điện",
    "Nhân viên kiểm tra sử dụng điện",
    "Tổ trưởng tổ quản lý khách hàng",
    "Nhân viên kinh doanh",
    "Công nhân treo tháo công tơ",
];

const STREETS: &[&str] = &[
    "đường Lê Lợi",
    "phố Huế",
    "đường Trần Hưng Đạo",
    "đường Nguyễn Trãi",
    "ngõ 12 Trần Duy Hưng",
    "đường Hai Bà Trưng",
    "đường Lý Thường Kiệt",
    "hẻm 45 Cách Mạng Tháng Tám",
    "đường Điện Biên Phủ",
    "đường Quang Trung",
    "thôn Đông, xã Hòa Bình",
    "tổ 7, phường Tân Mai",
    "khu phố 3, phường Linh Trung",
    "đường Nguyễn Văn Cừ",
    "đường Võ Thị Sáu",
];

/// A Vietnamese full name; `female` picks the female name lists.
pub fn full_name(rng: &mut impl Rng, female: bool) -> String {
    let surname = pick(rng, SURNAMES);
    let (middle, given) = if female {
        (pick(rng, MIDDLE_FEMALE), pick(rng, GIVEN_FEMALE))
    } else {
        (pick(rng, MIDDLE_MALE), pick(rng, GIVEN_MALE))
    };
    format!("{surname} {middle} {given}")
}

/// A street address in a unit.
pub fn address(rng: &mut impl Rng, unit_name: &str) -> String {
    format!(
        "Số {} {}, khu vực {}",
        rng.gen_range(1..250),
        pick(rng, STREETS),
        unit_name
    )
}

/// A mobile phone number.
pub fn phone(rng: &mut impl Rng) -> String {
    let prefix = pick(
        rng,
        &[
            "090", "091", "093", "096", "097", "098", "086", "088", "070",
        ],
    );
    format!("{prefix}{:07}", rng.gen_range(0..10_000_000))
}

/// How a reporter refers to a named staff member.
pub fn named_staff(name: &str) -> String {
    format!("nhân viên {name}")
}

/// How a reporter refers to a staff member they cannot name.
pub fn unnamed_staff(rng: &mut impl Rng) -> &'static str {
    pick(
        rng,
        &[
            "một nhân viên điện lực",
            "nhân viên ghi chỉ số",
            "nhân viên thu tiền điện",
            "một giao dịch viên",
            "nhân viên kỹ thuật",
            "người tự xưng là nhân viên điện lực",
        ],
    )
}

/// What a reporter remembers of someone they could not name.
pub fn staff_description(rng: &mut impl Rng) -> String {
    let gender = pick(rng, &["Nam", "Nữ"]);
    let age = rng.gen_range(22..55);
    let detail = pick(
        rng,
        &[
            "mặc áo đồng phục EVN, đi xe máy",
            "đeo kính, nói giọng miền Trung",
            "dáng người cao, có hình xăm ở tay",
            "không mặc đồng phục, đi cùng một người khác",
            "làm việc ở quầy số 2 phòng giao dịch",
        ],
    );
    format!("{gender}, khoảng {age} tuổi, {detail}.")
}

fn amount(rng: &mut impl Rng) -> &'static str {
    pick(
        rng,
        &[
            "200.000",
            "300.000",
            "500.000",
            "1.000.000",
            "2.000.000",
            "5.000.000",
        ],
    )
}

/// A report description for `category` (its code); `staff` is how the person is referred to,
/// `unit` the unit's Vietnamese name.
pub fn description(rng: &mut impl Rng, category: &str, staff: &str, unit: &str) -> String {
    let street = pick(rng, STREETS);
    let day = rng.gen_range(1..29);
    let month = rng.gen_range(1..13);
    let opener = match rng.gen_range(0..5) {
        0 => format!("Ngày {day}/{month}, tôi đến phòng giao dịch của {unit} để làm thủ tục."),
        1 => format!(
            "Khoảng {} giờ ngày {day}/{month}, nhân viên điện lực đến nhà tôi ở {street} để kiểm tra công tơ.",
            rng.gen_range(7..18)
        ),
        2 => format!("Tôi là khách hàng sử dụng điện tại {street}, thuộc {unit}."),
        3 => format!("Gia đình tôi ở {street} có việc cần liên hệ với {unit}."),
        _ => format!("Tôi xin phản ánh sự việc xảy ra tại {unit} vào ngày {day}/{month}."),
    };
    let cap = capitalise(staff);
    let core = match category {
        "rude" => match rng.gen_range(0..4) {
            0 => format!("{cap} có thái độ cáu gắt, nói trống không và quát tôi khi tôi hỏi về hóa đơn."),
            1 => format!("Khi tôi đề nghị giải thích chỉ số công tơ, {staff} lớn tiếng, dùng lời lẽ thiếu tôn trọng và bỏ đi giữa chừng."),
            2 => format!("Tôi gọi điện hỏi lịch cắt điện, {staff} trả lời rất thiếu lịch sự và cúp máy khi tôi chưa nói hết."),
            _ => format!("{cap} tỏ thái độ khó chịu, bắt tôi chờ hơn một tiếng dù quầy không đông khách."),
        },
        "bribery" => match rng.gen_range(0..3) {
            0 => format!("{cap} gợi ý tôi đưa thêm {} đồng tiền bồi dưỡng để được lắp công tơ nhanh hơn.", amount(rng)),
            1 => format!("Để được cấp điện sớm cho cửa hàng, tôi bị {staff} yêu cầu chi ngoài {} đồng, không có biên nhận.", amount(rng)),
            _ => format!("{cap} nói nếu không đưa {} đồng thì hồ sơ nâng công suất sẽ bị trả lại.", amount(rng)),
        },
        "delay" => match rng.gen_range(0..3) {
            0 => format!("Hồ sơ đề nghị cấp điện mới của tôi nộp từ {} tuần trước nhưng đến nay vẫn chưa được giải quyết, không ai thông báo lý do.", rng.gen_range(2..9)),
            1 => "Tôi báo sự cố mất điện từ sáng nhưng đến tối nhân viên mới đến xử lý, dù đã gọi tổng đài nhiều lần.".to_string(),
            _ => format!("Yêu cầu di dời công tơ của tôi đã được hẹn ba lần, lần nào {staff} cũng không đến."),
        },
        "billing" => match rng.gen_range(0..3) {
            0 => format!("Hóa đơn tiền điện tháng này tăng gấp {} lần so với tháng trước dù gia đình không dùng thêm thiết bị nào.", rng.gen_range(2..5)),
            1 => format!("Chỉ số công tơ ghi trên hóa đơn cao hơn chỉ số thực tế tôi chụp lại được, chênh lệch khoảng {} kWh.", rng.gen_range(50..600)),
            _ => format!("Tôi bị tính tiền điện theo giá kinh doanh dù chỉ dùng cho sinh hoạt; {staff} không giải thích được lý do."),
        },
        "power_cut" => match rng.gen_range(0..3) {
            0 => format!("Khu vực tôi bị cắt điện {} giờ mà không có thông báo trước, ảnh hưởng đến việc kinh doanh.", rng.gen_range(3..12)),
            1 => "Lịch cắt điện thông báo đến 11 giờ nhưng đến 17 giờ vẫn chưa có điện trở lại.".to_string(),
            _ => format!("Nhà tôi bị cắt điện vì lý do nợ tiền dù tôi đã thanh toán đầy đủ; {staff} vẫn cắt."),
        },
        "collection" => match rng.gen_range(0..2) {
            0 => format!("{cap} thu của tôi {} đồng nhưng không đưa biên lai, sau đó tôi vẫn nhận được thông báo nợ.", amount(rng)),
            _ => format!("Tiền điện tôi đã nộp nhưng hệ thống vẫn báo chưa thanh toán, và {staff} dọa cắt điện nếu không nộp lại."),
        },
        "no_badge" => "Người đến kiểm tra công tơ tự xưng là nhân viên điện lực nhưng không đeo thẻ, không mặc đồng phục và không xuất trình giấy tờ.".to_string(),
        "fraud" => match rng.gen_range(0..2) {
            0 => format!("Tôi nghi ngờ {staff} đã sửa chỉ số công tơ của một số hộ trong xóm để thu thêm tiền."),
            _ => format!("Có dấu hiệu {staff} lập khống biên bản vi phạm sử dụng điện để phạt tiền khách hàng."),
        },
        "data_disclosure" => "Thông tin cá nhân và số điện thoại của tôi trong hồ sơ khách hàng bị cung cấp cho một công ty bán thiết bị năng lượng mặt trời.".to_string(),
        "harassment" => format!("{cap} nhiều lần nhắn tin, gọi điện ngoài giờ với nội dung không phù hợp sau khi đến nhà tôi ghi chỉ số."),
        _ => match rng.gen_range(0..2) {
            0 => "Đội thi công để lại dây điện, vật tư bừa bãi trước cửa nhà tôi nhiều ngày không thu dọn.".to_string(),
            _ => format!("Cột điện trước nhà bị nghiêng sau bão, tôi đã báo {staff} nhưng chưa được xử lý."),
        },
    };
    let detail = pick(
        rng,
        &[
            "Sự việc có nhiều người chứng kiến.",
            "Tôi có chụp ảnh và ghi âm lại cuộc trao đổi.",
            "Đây không phải lần đầu tôi gặp tình trạng này.",
            "Hàng xóm của tôi cũng phản ánh tình trạng tương tự.",
            "",
        ],
    );
    let request = pick(
        rng,
        &[
            "Đề nghị Ban Thanh tra xem xét, xử lý nghiêm và phản hồi cho tôi.",
            "Mong điện lực kiểm tra lại và có câu trả lời rõ ràng.",
            "Tôi đề nghị được giải thích và hoàn trả số tiền đã thu sai.",
            "Rất mong được quan tâm giải quyết sớm.",
        ],
    );
    let mut text = format!("{opener} {core}");
    if !detail.is_empty() {
        text.push(' ');
        text.push_str(detail);
    }
    text.push(' ');
    text.push_str(request);
    text
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The inspector's conclusion for a finding (its stored code).
pub fn conclusion(rng: &mut impl Rng, finding: &str) -> &'static str {
    match finding {
        "substantiated" => pick(rng, &[
            "Kết quả xác minh cho thấy nội dung phản ánh là đúng. Đơn vị đã kiểm điểm nhân viên liên quan, áp dụng hình thức kỷ luật theo quy định và xin lỗi khách hàng.",
            "Phản ánh đúng sự thật. Nhân viên liên quan bị khiển trách, đơn vị đã hoàn trả khoản tiền thu sai cho khách hàng.",
        ]),
        "partly_substantiated" => pick(rng, &[
            "Nội dung phản ánh đúng một phần: nhân viên có thái độ chưa phù hợp, nhưng không có việc thu tiền ngoài quy định. Đơn vị đã nhắc nhở nhân viên.",
            "Một phần nội dung phản ánh được xác nhận; chỉ số công tơ đã được điều chỉnh lại, các nội dung khác không có cơ sở.",
        ]),
        "unsubstantiated" => pick(rng, &[
            "Qua kiểm tra hồ sơ, dữ liệu camera và làm việc với các bên liên quan, không có cơ sở xác định sai phạm như nội dung phản ánh.",
            "Kiểm định công tơ cho kết quả đạt yêu cầu, hóa đơn được lập đúng quy định. Nội dung phản ánh không đúng.",
        ]),
        _ => pick(rng, &[
            "Không đủ thông tin để xác minh nhân viên liên quan; đơn vị đã chấn chỉnh chung việc giao tiếp với khách hàng.",
            "Người phản ánh không cung cấp thêm thông tin, không thể xác minh nội dung. Hồ sơ được lưu để đối chiếu khi có phản ánh tương tự.",
        ]),
    }
}

pub fn decline_reason(rng: &mut impl Rng) -> &'static str {
    pick(rng, &[
        "Nội dung phản ánh không thuộc phạm vi xử lý của ngành điện; đã hướng dẫn người phản ánh gửi đến cơ quan có thẩm quyền.",
        "Phản ánh trùng với hồ sơ khác đang được giải quyết; kết quả sẽ được thông báo theo hồ sơ đó.",
        "Nội dung không rõ ràng, không đủ thông tin để thụ lý. Đề nghị gửi lại phản ánh với thông tin cụ thể hơn.",
    ])
}

pub fn question(rng: &mut impl Rng) -> &'static str {
    pick(rng, &[
        "Đề nghị anh/chị cho biết thời gian cụ thể và mô tả thêm đặc điểm nhận dạng của nhân viên.",
        "Anh/chị vui lòng cung cấp ảnh chụp hóa đơn hoặc biên lai liên quan để chúng tôi đối chiếu.",
        "Xin anh/chị cho biết có người làm chứng hay không và số điện thoại liên hệ của họ (nếu đồng ý).",
        "Anh/chị vui lòng cho biết mã khách hàng in trên hóa đơn tiền điện.",
    ])
}

pub fn reply(rng: &mut impl Rng) -> &'static str {
    pick(rng, &[
        "Sự việc xảy ra khoảng 9 giờ sáng, nhân viên nam, khoảng 30 tuổi, đi xe máy có logo EVN.",
        "Tôi đã chụp hóa đơn và biên lai, mã khách hàng của tôi là PD0100123456.",
        "Hàng xóm nhà bên cạnh có chứng kiến và sẵn sàng làm chứng nếu cần.",
        "Tôi không nhớ rõ tên, chỉ biết nhân viên làm ở quầy giao dịch số 2.",
    ])
}

pub fn internal_note(rng: &mut impl Rng) -> &'static str {
    pick(
        rng,
        &[
            "Đã đề nghị đơn vị cung cấp sổ giao ca và dữ liệu camera tại phòng giao dịch.",
            "Đã làm việc với tổ trưởng tổ ghi chỉ số; nhân viên liên quan đã có bản tường trình.",
            "Kiểm tra lịch sử chỉ số công tơ trên CMIS: có chênh lệch bất thường tháng trước.",
            "Cần đối chiếu với các phản ánh trước đây về cùng nhân viên.",
            "Đã gửi công tơ đi kiểm định, chờ kết quả.",
        ],
    )
}

pub fn staff_update(rng: &mut impl Rng) -> &'static str {
    pick(rng, &[
        "Chúng tôi đang xác minh nội dung phản ánh và sẽ thông báo kết quả trong thời hạn quy định.",
        "Đoàn kiểm tra đã làm việc với đơn vị liên quan; kết quả sẽ được gửi tới anh/chị.",
        "Cảm ơn anh/chị đã cung cấp thông tin. Chúng tôi đang tiếp tục xác minh.",
    ])
}

pub fn extension_reason(rng: &mut impl Rng) -> &'static str {
    pick(
        rng,
        &[
            "Vụ việc phức tạp, cần xác minh thêm tại nhiều đơn vị.",
            "Chờ kết quả kiểm định công tơ của đơn vị đo lường độc lập.",
            "Cần lấy thêm lời khai của người làm chứng.",
        ],
    )
}

/// A random element of a non-empty constant list.
fn pick<T: Copy + Default>(rng: &mut impl Rng, items: &[T]) -> T {
    items.choose(rng).copied().unwrap_or_default()
}
