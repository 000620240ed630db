/**
 * Steps (trình tự thực hiện) and conditions (điều kiện) of the demo catalogue's best-known procedures,
 * shown on their procedure pages (issue 15). Demo data, written as a plain-language summary of what the
 * law in the `source` says (public texts: Luật Hộ tịch 2014 Điều 16, 18, 33–34; Luật Hôn nhân và gia đình
 * 2014 Điều 5, 8; Nghị định 01/2021/NĐ-CP Điều 80–87; Luật Doanh nghiệp 2020 Điều 17, 26–27, 188;
 * Luật Lý lịch tư pháp 2009 Điều 7, 44–46). It does not repeat the processing time or fee (the page shows
 * the catalogue's own) and must be checked against the national database of procedures
 * (csdl.dichvucong.gov.vn) before real use. Procedures not listed here have no guide: their page says
 * that the steps and conditions are not in the portal's catalogue yet, and where to ask.
 */
export type ProcedureGuide = {
  stepsVi: string[];
  stepsEn: string[];
  conditionsVi: string[];
  conditionsEn: string[];
  sourceVi: string;
  sourceEn: string;
};

export const procedureGuides: Record<string, ProcedureGuide> = {
  // Thủ tục đăng ký khai sinh
  "1.001193": {
    stepsVi: [
      "Người đi đăng ký khai sinh nộp tờ khai theo mẫu và giấy chứng sinh (hoặc giấy tờ thay thế) cho Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ, trực tuyến trên Cổng hoặc tại Bộ phận Một cửa.",
      "Công chức tư pháp – hộ tịch kiểm tra hồ sơ: nếu đủ thì tiếp nhận và hẹn ngày trả; nếu thiếu thì hướng dẫn bổ sung một lần, đầy đủ.",
      "Công chức ghi nội dung khai sinh vào Sổ hộ tịch, cập nhật Cơ sở dữ liệu hộ tịch điện tử và lấy số định danh cá nhân cho trẻ.",
      "Người đi đăng ký khai sinh kiểm tra nội dung, cùng công chức ký vào Sổ hộ tịch; Chủ tịch Ủy ban nhân dân cấp xã cấp Giấy khai sinh.",
    ],
    stepsEn: [
      "The person registering submits the declaration form and the birth certificate from the hospital (or a substitute document) to the commune People's Committee where the father or mother lives, online on the portal or at the one-stop counter.",
      "The justice and civil-status officer checks the dossier: if it is complete it is received and a return date is given; if not, everything missing is asked for once.",
      "The officer enters the birth in the civil-status register, updates the electronic civil-status database and obtains the child's personal identification number.",
      "The person registering checks the entry and signs the register with the officer; the chair of the commune People's Committee issues the birth certificate.",
    ],
    conditionsVi: [
      "Trong 60 ngày kể từ ngày sinh, cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con; nếu cha, mẹ không thể đi thì ông, bà, người thân thích khác hoặc người đang nuôi dưỡng trẻ đi đăng ký.",
      "Đăng ký tại Ủy ban nhân dân cấp xã nơi cư trú của người cha hoặc người mẹ.",
      "Không có giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận việc sinh; không có người làm chứng thì nộp giấy cam đoan về việc sinh.",
    ],
    conditionsEn: [
      "Within 60 days of the birth, the father or mother must register it; if they cannot, a grandparent, another close relative or the person caring for the child registers it.",
      "The birth is registered with the commune People's Committee where the father or the mother lives.",
      "Without a birth certificate from the hospital, a witness's written confirmation of the birth is submitted; without a witness, a signed statement about the birth.",
    ],
    sourceVi: "Luật Hộ tịch 2014 (Điều 15, 16); Nghị định 123/2015/NĐ-CP",
    sourceEn: "Law on Civil Status 2014 (Articles 15, 16); Decree 123/2015/ND-CP",
  },
  // Thủ tục đăng ký kết hôn
  "1.000894": {
    stepsVi: [
      "Hai bên nam, nữ nộp tờ khai đăng ký kết hôn theo mẫu cho Ủy ban nhân dân cấp xã nơi cư trú của một trong hai bên và xuất trình giấy tờ tùy thân.",
      "Công chức tư pháp – hộ tịch kiểm tra hồ sơ; thấy hai bên đủ điều kiện kết hôn thì ghi việc kết hôn vào Sổ hộ tịch.",
      "Hai bên cùng có mặt, cùng ký vào Sổ hộ tịch và Giấy chứng nhận kết hôn.",
      "Chủ tịch Ủy ban nhân dân cấp xã trao Giấy chứng nhận kết hôn cho hai bên.",
    ],
    stepsEn: [
      "The man and the woman submit the marriage registration form to the commune People's Committee where either of them lives and show their identity documents.",
      "The justice and civil-status officer checks the dossier; when both meet the conditions for marriage, the marriage is entered in the civil-status register.",
      "Both are present in person and both sign the register and the marriage certificate.",
      "The chair of the commune People's Committee hands the marriage certificate to both.",
    ],
    conditionsVi: [
      "Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên.",
      "Việc kết hôn do hai bên tự nguyện quyết định.",
      "Không bị mất năng lực hành vi dân sự.",
      "Không thuộc trường hợp cấm kết hôn: kết hôn giả tạo, tảo hôn, cưỡng ép kết hôn; người đang có vợ hoặc có chồng; giữa những người cùng dòng máu về trực hệ hoặc có họ trong phạm vi ba đời; giữa cha, mẹ nuôi với con nuôi và các trường hợp khác luật cấm.",
      "Hai bên phải cùng có mặt khi đăng ký.",
    ],
    conditionsEn: [
      "The man is at least 20 years old and the woman at least 18.",
      "Both decide to marry of their own free will.",
      "Neither has lost civil legal capacity.",
      "The marriage is not prohibited: sham, child or forced marriage; a person who is already married; people of the same direct bloodline or related within three generations; adoptive parent and adopted child, and the other cases the law forbids.",
      "Both must be present at registration.",
    ],
    sourceVi: "Luật Hôn nhân và gia đình 2014 (Điều 5, 8); Luật Hộ tịch 2014 (Điều 17, 18)",
    sourceEn: "Law on Marriage and Family 2014 (Articles 5, 8); Law on Civil Status 2014 (Articles 17, 18)",
  },
  // Thủ tục đăng ký khai tử
  "1.000656": {
    stepsVi: [
      "Người đi đăng ký khai tử nộp tờ khai theo mẫu và Giấy báo tử (hoặc giấy tờ thay thế) cho Ủy ban nhân dân cấp xã nơi cư trú cuối cùng của người chết.",
      "Công chức tư pháp – hộ tịch kiểm tra; thấy việc khai tử đúng thì ghi nội dung khai tử vào Sổ hộ tịch và cùng người đi khai tử ký tên.",
      "Chủ tịch Ủy ban nhân dân cấp xã cấp Trích lục khai tử; thông tin của người chết được cập nhật trong cơ sở dữ liệu.",
    ],
    stepsEn: [
      "The person registering submits the declaration form and the death notice (or a substitute document) to the commune People's Committee where the deceased last lived.",
      "The justice and civil-status officer checks it; when correct, the death is entered in the civil-status register, signed by the officer and the person registering.",
      "The chair of the commune People's Committee issues the death registration extract; the deceased's record is updated in the database.",
    ],
    conditionsVi: [
      "Trong 15 ngày kể từ ngày có người chết, vợ, chồng, con, cha, mẹ hoặc người thân thích khác có trách nhiệm đi đăng ký khai tử; nếu không có người thân thích thì đại diện cơ quan, tổ chức, cá nhân liên quan.",
      "Không xác định được nơi cư trú cuối cùng thì đăng ký tại nơi người đó chết hoặc nơi phát hiện thi thể.",
    ],
    conditionsEn: [
      "Within 15 days of the death, the spouse, a child, a parent or another close relative must register it; without relatives, a representative of the organisation or person concerned.",
      "When the last place of residence is not known, the death is registered where the person died or the body was found.",
    ],
    sourceVi: "Luật Hộ tịch 2014 (Điều 32, 33, 34)",
    sourceEn: "Law on Civil Status 2014 (Articles 32, 33, 34)",
  },
  // Đăng ký thành lập hộ kinh doanh
  "1.001612": {
    stepsVi: [
      "Chủ hộ kinh doanh (hoặc người được ủy quyền) nộp hồ sơ đăng ký hộ kinh doanh cho cơ quan đăng ký kinh doanh nơi đặt trụ sở hộ kinh doanh, trực tuyến hoặc trực tiếp.",
      "Cơ quan đăng ký kinh doanh trao giấy biên nhận và kiểm tra tính hợp lệ của hồ sơ.",
      "Hồ sơ hợp lệ thì cấp Giấy chứng nhận đăng ký hộ kinh doanh; chưa hợp lệ thì thông báo bằng văn bản, nêu rõ lý do và nội dung cần sửa đổi, bổ sung.",
      "Cơ quan đăng ký kinh doanh gửi thông tin hộ kinh doanh cho cơ quan thuế.",
    ],
    stepsEn: [
      "The head of the household business (or an authorised person) submits the registration dossier to the business registration office where the business is based, online or in person.",
      "The business registration office gives a receipt and checks that the dossier is valid.",
      "When it is valid, the household business registration certificate is issued; when not, the office says in writing why and what to correct or add.",
      "The business registration office passes the household business's details to the tax authority.",
    ],
    conditionsVi: [
      "Chủ hộ là cá nhân hoặc thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi dân sự đầy đủ.",
      "Ngành, nghề kinh doanh không thuộc danh mục cấm đầu tư kinh doanh.",
      "Tên hộ kinh doanh gồm cụm từ “Hộ kinh doanh” và tên riêng, không trùng tên riêng của hộ kinh doanh đã đăng ký trên cùng địa bàn.",
      "Mỗi cá nhân, thành viên hộ gia đình chỉ được đăng ký một hộ kinh doanh trong phạm vi toàn quốc.",
      "Nộp đủ lệ phí đăng ký.",
    ],
    conditionsEn: [
      "The head is an individual, or a member of a family, who is a Vietnamese citizen with full civil legal capacity.",
      "The business lines are not among those in which investment is prohibited.",
      "The name is “Hộ kinh doanh” followed by a proper name that no registered household business in the same area already uses.",
      "Each individual or family member may register only one household business in the whole country.",
      "The registration fee is paid.",
    ],
    sourceVi: "Nghị định 01/2021/NĐ-CP (Điều 80, 82, 87, 88)",
    sourceEn: "Decree 01/2021/ND-CP (Articles 80, 82, 87, 88)",
  },
  // Đăng ký thành lập doanh nghiệp tư nhân
  "2.001610": {
    stepsVi: [
      "Người thành lập doanh nghiệp nộp hồ sơ đăng ký doanh nghiệp cho Phòng Đăng ký kinh doanh cấp tỉnh nơi đặt trụ sở chính, trực tuyến qua Cổng thông tin quốc gia về đăng ký doanh nghiệp hoặc trực tiếp.",
      "Phòng Đăng ký kinh doanh xem xét tính hợp lệ của hồ sơ.",
      "Hồ sơ hợp lệ thì cấp Giấy chứng nhận đăng ký doanh nghiệp; chưa hợp lệ thì thông báo bằng văn bản nội dung cần sửa đổi, bổ sung.",
      "Doanh nghiệp công bố nội dung đăng ký trên Cổng thông tin quốc gia về đăng ký doanh nghiệp.",
    ],
    stepsEn: [
      "The founder submits the enterprise registration dossier to the provincial business registration office where the head office is, online on the national business registration portal or in person.",
      "The business registration office examines whether the dossier is valid.",
      "When it is valid, the enterprise registration certificate is issued; when not, the office says in writing what to correct or add.",
      "The enterprise publishes its registration details on the national business registration portal.",
    ],
    conditionsVi: [
      "Ngành, nghề đăng ký kinh doanh không bị cấm đầu tư kinh doanh.",
      "Tên doanh nghiệp đặt đúng quy định và không trùng, không gây nhầm lẫn với doanh nghiệp đã đăng ký.",
      "Chủ doanh nghiệp tư nhân là một cá nhân không thuộc đối tượng bị cấm thành lập, quản lý doanh nghiệp; mỗi cá nhân chỉ được thành lập một doanh nghiệp tư nhân và không đồng thời là chủ hộ kinh doanh hay thành viên hợp danh.",
      "Hồ sơ hợp lệ và nộp đủ lệ phí đăng ký.",
    ],
    conditionsEn: [
      "The business lines are not among those in which investment is prohibited.",
      "The enterprise's name follows the rules and does not duplicate or mislead with a registered enterprise's.",
      "The owner is one individual not barred from founding or managing enterprises; each individual may found only one private enterprise and may not at the same time head a household business or be a general partner.",
      "The dossier is valid and the registration fee is paid.",
    ],
    sourceVi: "Luật Doanh nghiệp 2020 (Điều 17, 26, 27, 188); Nghị định 01/2021/NĐ-CP",
    sourceEn: "Law on Enterprises 2020 (Articles 17, 26, 27, 188); Decree 01/2021/ND-CP",
  },
  // Cấp Phiếu Lý lịch tư pháp
  "3.000333": {
    stepsVi: [
      "Người yêu cầu nộp Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp kèm bản chụp giấy tờ tùy thân cho Sở Tư pháp, trực tuyến hoặc trực tiếp.",
      "Sở Tư pháp tra cứu, xác minh thông tin lý lịch tư pháp, phối hợp với cơ quan Công an, Tòa án khi cần.",
      "Sở Tư pháp cấp Phiếu lý lịch tư pháp và trả theo cách người yêu cầu đã chọn.",
    ],
    stepsEn: [
      "The applicant submits the request form for a judicial record card with a copy of an identity document to the provincial Department of Justice, online or in person.",
      "The Department of Justice searches and verifies the judicial record, with the police and courts when needed.",
      "The Department of Justice issues the judicial record card and delivers it the way the applicant chose.",
    ],
    conditionsVi: [
      "Công dân Việt Nam, người nước ngoài đã hoặc đang cư trú tại Việt Nam có quyền yêu cầu cấp Phiếu lý lịch tư pháp.",
      "Phiếu lý lịch tư pháp số 2 chỉ cấp cho chính người được cấp phiếu, không ủy quyền người khác nhận thay.",
    ],
    conditionsEn: [
      "Vietnamese citizens and foreigners who live or have lived in Vietnam may request a judicial record card.",
      "Card no. 2 is issued only to the person it concerns; no one else may request it on their behalf.",
    ],
    sourceVi: "Luật Lý lịch tư pháp 2009 (Điều 7, 41, 44, 45, 46)",
    sourceEn: "Law on Judicial Records 2009 (Articles 7, 41, 44, 45, 46)",
  },
};
