package understand

import (
	"strings"

	"github.com/caxbot/caxbot/store"
)

// cue is what a phrase of a question says; a phrase may say several
// things ("chưa có người": negation and vacant).
type cue uint64

const (
	cueCount        cue = 1 << iota // bao nhiêu, mấy, số lượng
	cueList                         // những, các, danh sách, nào, gì
	cueUnitCommune                  // xã, thị trấn, đơn vị: communes are counted when next to cueCount/cueList
	cueUnitPost                     // vị trí, chỗ, chức danh
	cuePeople                       // người, cán bộ: people are counted
	cueChief                        // trưởng
	cueDeputy                       // phó
	cueOfficer                      // công an viên
	cuePolice                       // công an: only keeps the words from being read as a place
	cueRegular                      // chính quy
	cueSemi                         // bán chuyên trách
	cueVacant                       // khuyết, trống, chưa có người
	cueNeg                          // thiếu, chưa có, chưa đủ
	cueDone                         // đã có, đã xong
	cueBehind                       // quá hạn, chậm
	cueAll                          // đủ, cả, hết: every post of the kind
	cueHelp                         // hướng dẫn, trợ giúp
	cueHelpWeak                     // làm sao, cách: help only when nothing else is asked
	cueHistory                      // lịch sử, ai đã báo cáo
	cueMilestone                    // mốc, hạn, khi nào
	cueProgress                     // tiến độ: the plan's current milestone
	cueShare                        // tỷ lệ, phần trăm
	cueSummary                      // thống kê, tổng hợp: a count unless something else is asked
	cueWho                          // ai là, là ai
	cueSituation                    // tình hình, thế nào
	cueSince                        // từ khi nào: when the holder took the post
	cueProvince                     // toàn tỉnh: the user's province
	cueNational                     // cả nước, toàn quốc
	cueOwn                          // xã tôi, của mình: the user's own scope
	cueOwnDistrict                  // huyện tôi: the user's own district
	cueFiller                       // courtesy and grammar words, never a place
	cueNot                          // chưa, không: negation unless it ends a yes/no question
	cueMost                         // nhiều nhất, cao nhất
	cueLeast                        // ít nhất, thấp nhất
	cueRank                         // xếp hạng, top
	cueCompare                      // so sánh, so với
	cueEach                         // mỗi nơi, từng nơi: the same question for each place named
	cueByDistrict                   // từng huyện, các huyện, huyện nào: a breakdown by district
	cueByProvince                   // từng tỉnh, các tỉnh, tỉnh nào
	cueByCommune                    // từng xã, theo xã
	cueChange                       // bố trí thêm, báo cáo, cập nhật: what changed, over the reports
	cueRecent                       // gần đây, mới nhất
	cueGreeting                     // chào, xin chào
	cueThanks                       // cảm ơn
	cueIntro                        // tôi là, em là: a self-introduction, not the question
	cueTime                         // quý, tháng, năm, tuần: a window
	cueBound                        // từ, trước, sau, đến: a window's bound
	cueTail                         // phải không, đúng không: a yes/no question's end
	cueWhich                        // nào: which, or "none" after a negation
	cueWhat                         // gì: what
	cueAsk                          // hỏi, đề nghị, thống kê giúp: a request, never a place
	cueSame                         // thì sao, thế còn: the question before, about another place
	cueMany                         // nhiều: "nhiều ... nhất" is the most
	cueFew                          // ít: "ít ... nhất" is the fewest
	cueSuper                        // nhất
	cuePlural                       // những, các: a plural, which lists only when nothing else is asked
	cueNone                         // hoàn toàn chưa: not a single one
	cueAppoint                      // bố trí thêm, được bố trí: appointments, by the day the holder took the post
	cueMore                         // hơn: which of two has more
	cueOnTime                       // đúng hạn, kịp mốc: before the milestone's deadline
	cueEarliest                     // sớm nhất, đầu tiên: the earliest appointed
	cueDistrictWord                 // huyện, thành phố: a district-level unit, said as a unit
	cueReport                       // báo cáo: a change reported, or a request to report
	cueFact                         // đã qua đào tạo, chưa có quyết định: what a report says of a holder (factWords)
)

// lex is a phrase of the vocabulary with what it says, written with its
// diacritics: a user who types them must type these ("phố" is no "phó"),
// one who does not gets the first phrase of the list that folds alike.
type lex struct {
	phrase string
	cue    cue
}

// lexicon is the vocabulary of questions. The longest phrase that matches
// at a position wins, so "phó trưởng" is a deputy, not a deputy and a
// chief, and "cho em hỏi" is courtesy, not a post.
var lexicon = []lex{
	// how many, which
	{"bao nhiêu", cueCount}, {"mấy", cueCount}, {"số lượng", cueCount}, {"tổng số", cueCount},
	{"tổng cộng", cueCount}, {"đếm", cueCount}, {"số", cueCount}, {"tổng", cueCount}, {"bao nhiêu cái", cueCount},
	{"bao nhiêu phần trăm", cueCount | cueShare}, {"mấy phần trăm", cueCount | cueShare},
	{"những", cuePlural}, {"các", cuePlural}, {"danh sách", cueList}, {"liệt kê", cueList}, {"nào", cueWhich},
	{"kể tên", cueList}, {"cụ thể", cueList}, {"gồm", cueList}, {"là những", cuePlural}, {"gì", cueWhat},
	{"gửi danh sách", cueList}, {"cho danh sách", cueList}, {"lên danh sách", cueList}, {"gồm những", cueList},
	{"những gì", cueWhat}, {"cái gì", cueWhat}, {"chỗ nào", cueWhat}, {"ở đâu", cueWhat},
	{"đâu", cueWhat},
	// units
	{"xã", cueUnitCommune}, {"thị trấn", cueUnitCommune}, {"phường", cueUnitCommune},
	{"đơn vị", cueUnitCommune}, {"địa phương", cueUnitCommune}, {"xã thị trấn", cueUnitCommune},
	{"xã phường", cueUnitCommune}, {"nơi", cueUnitCommune},
	{"vị trí", cueUnitPost}, {"chỗ", cueUnitPost}, {"chức danh", cueUnitPost}, {"suất", cueUnitPost},
	{"biên chế", cueUnitPost}, {"chức vụ", cueUnitPost}, {"ghế", cueUnitPost},
	{"người", cuePeople}, {"cán bộ", cuePeople}, {"đồng chí", cuePeople}, {"nhân sự", cuePeople},
	{"lực lượng", cuePeople}, {"cán bộ chiến sĩ", cuePeople}, {"chiến sĩ", cuePeople},
	// posts
	{"trưởng", cueChief}, {"trưởng công an", cueChief}, {"cấp trưởng", cueChief}, {"trưởng đồn", cueChief},
	{"trưởng công an xã", cueChief}, {"trưởng công an thị trấn", cueChief}, {"trưởng ca", cueChief},
	{"phó", cueDeputy}, {"phó trưởng", cueDeputy}, {"phó công an", cueDeputy}, {"phó trưởng công an", cueDeputy},
	{"cấp phó", cueDeputy}, {"phó trưởng công an xã", cueDeputy}, {"phó trưởng công an thị trấn", cueDeputy},
	{"công an viên", cueOfficer}, {"công an viên xã", cueOfficer}, {"cán bộ công an viên", cueOfficer},
	{"công an", cuePolice}, {"công an xã", cuePolice}, {"công an thị trấn", cuePolice}, {"công an huyện", cuePolice},
	{"công an tỉnh", cuePolice}, {"lãnh đạo", cueFiller}, {"ban chỉ huy", cueFiller},
	// statuses
	{"chính quy", cueRegular}, {"công an chính quy", cueRegular | cuePolice}, {"người chính quy", cueRegular},
	{"chính quy hóa", cueRegular}, {"chính quy hẳn", cueRegular | cueAll}, {"chính quy hoàn toàn", cueRegular | cueAll},
	{"hoàn toàn", cueAll}, {"hoàn toàn chưa có", cueNeg | cueNone}, {"hoàn toàn không có", cueNeg | cueNone},
	{"chưa có ai là", cueNeg | cueNone},
	{"chưa chính quy", cueRegular | cueNeg}, {"không chính quy", cueRegular | cueNeg},
	{"không phải chính quy", cueRegular | cueNeg}, {"chưa phải chính quy", cueRegular | cueNeg},
	{"bán chuyên trách", cueSemi}, {"không chuyên trách", cueSemi}, {"bán chuyên", cueSemi},
	{"trống", cueVacant}, {"bỏ trống", cueVacant}, {"để trống", cueVacant}, {"còn trống", cueVacant},
	{"chỗ trống", cueVacant | cueUnitPost}, {"vị trí trống", cueVacant | cueUnitPost}, {"đang trống", cueVacant},
	{"khuyết", cueVacant}, {"vị trí khuyết", cueVacant | cueUnitPost}, {"còn khuyết", cueVacant},
	{"chưa có người", cueVacant | cueNeg}, {"không có người", cueVacant | cueNeg},
	{"chưa có ai", cueVacant | cueNeg}, {"không có ai", cueVacant | cueNeg}, {"chưa ai", cueVacant | cueNeg},
	{"chưa bố trí người", cueVacant | cueNeg}, {"chưa có người đảm nhiệm", cueVacant | cueNeg},
	{"không người", cueVacant | cueNeg}, {"chưa có người nào", cueVacant | cueNeg},
	// lacking, done
	{"thiếu", cueNeg}, {"còn thiếu", cueNeg}, {"đang thiếu", cueNeg}, {"chưa có", cueNeg},
	{"chưa đủ", cueNeg}, {"không đủ", cueNeg}, {"không có", cueNeg}, {"chưa được", cueNeg},
	{"chưa bố trí", cueNeg}, {"chưa bố trí được", cueNeg}, {"cần bổ sung", cueNeg}, {"còn thiếu gì", cueNeg | cueWhat},
	{"chưa đạt", cueNeg | cueBehind}, {"chưa hoàn thành", cueNeg | cueBehind}, {"chưa xong", cueNeg | cueBehind},
	{"không còn", cueNeg}, {"hết", cueAll},
	{"chưa", cueNot}, {"không", cueNot}, {"chẳng", cueNot},
	{"đã có", cueDone}, {"đã xong", cueDone}, {"xong", cueDone}, {"hoàn thành", cueDone},
	{"đã hoàn thành", cueDone}, {"đã đủ", cueDone | cueAll}, {"đã bố trí", cueDone},
	{"đã được bao nhiêu", cueProgress | cueCount}, {"có đủ", cueDone | cueAll}, {"đã đạt", cueDone}, {"đạt", cueDone},
	{"đủ", cueAll}, {"cả", cueAll}, {"tất cả", cueAll}, {"toàn bộ", cueAll}, {"đầy đủ", cueAll},
	{"cả hai", cueAll}, {"cả 2", cueAll}, {"hết cả", cueAll}, {"đủ cả", cueAll},
	{"quá hạn", cueBehind}, {"trễ hạn", cueBehind}, {"chậm", cueBehind}, {"đang chậm", cueBehind},
	{"bị chậm", cueBehind}, {"lạc hậu", cueBehind}, {"chậm tiến độ", cueBehind}, {"còn chậm", cueBehind},
	// rank, compare
	{"nhiều nhất", cueMost}, {"cao nhất", cueMost}, {"đứng đầu", cueMost}, {"lớn nhất", cueMost},
	{"tốt nhất", cueMost}, {"nhanh nhất", cueMost}, {"dẫn đầu", cueMost},
	{"ít nhất", cueLeast}, {"thấp nhất", cueLeast}, {"đứng cuối", cueLeast}, {"chậm nhất", cueLeast},
	{"kém nhất", cueLeast}, {"nhỏ nhất", cueLeast}, {"bét", cueLeast},
	{"xếp hạng", cueRank}, {"thứ hạng", cueRank}, {"top", cueRank}, {"xếp thứ", cueRank}, {"sắp xếp", cueRank},
	{"so sánh", cueCompare}, {"so với", cueCompare}, {"đối chiếu", cueCompare},
	{"hơn", cueMore}, {"nhiều hơn", cueMore | cueMany}, {"ít hơn", cueMore | cueFew}, {"cao hơn", cueMore | cueMany},
	{"thấp hơn", cueMore | cueFew}, {"bên nào", cueCompare}, {"nơi nào", cueCompare}, {"chỗ nào hơn", cueCompare},
	{"mỗi nơi", cueEach}, {"từng nơi", cueEach}, {"lần lượt", cueEach}, {"mỗi xã", cueEach}, {"từng xã", cueEach | cueByCommune},
	{"mỗi bên", cueEach}, {"mỗi đơn vị", cueEach}, {"từng đơn vị", cueEach}, {"mỗi chỗ", cueEach},
	{"theo xã", cueByCommune},
	{"từng huyện", cueByDistrict}, {"các huyện", cueByDistrict}, {"huyện nào", cueByDistrict | cueWhich},
	{"mỗi huyện", cueByDistrict}, {"theo huyện", cueByDistrict}, {"những huyện", cueByDistrict},
	{"tất cả các huyện", cueByDistrict}, {"toàn bộ các huyện", cueByDistrict}, {"theo từng huyện", cueByDistrict},
	{"từng huyện thành phố", cueByDistrict}, {"các huyện thành phố", cueByDistrict}, {"huyện thành phố nào", cueByDistrict | cueWhich},
	{"địa phương nào", cueWhich | cueUnitCommune},
	{"từng tỉnh", cueByProvince}, {"các tỉnh", cueByProvince}, {"tỉnh nào", cueByProvince | cueWhich},
	{"mỗi tỉnh", cueByProvince}, {"theo tỉnh", cueByProvince}, {"những tỉnh", cueByProvince},
	{"theo từng tỉnh", cueByProvince}, {"tỉnh thành nào", cueByProvince | cueWhich}, {"các tỉnh thành", cueByProvince},
	// intents
	{"help", cueHelp}, {"hướng dẫn", cueHelp}, {"trợ giúp", cueHelp}, {"cách dùng", cueHelp},
	{"sử dụng", cueHelp}, {"các lệnh", cueHelp}, {"lệnh", cueHelp}, {"menu", cueHelp},
	{"làm sao để", cueHelp}, {"làm thế nào để", cueHelp}, {"cách báo cáo", cueHelp}, {"làm được gì", cueHelp},
	{"dùng như thế nào", cueHelp}, {"dùng thế nào", cueHelp}, {"hỏi được gì", cueHelp},
	{"giúp", cueHelpWeak}, {"làm sao", cueHelpWeak}, {"làm thế nào", cueHelpWeak}, {"cách", cueHelpWeak},
	{"bắt đầu", cueHelpWeak}, {"start", cueHelpWeak},
	{"lịch sử", cueHistory}, {"nhật ký", cueHistory}, {"lịch sử báo cáo", cueHistory},
	{"ai báo cáo", cueHistory}, {"ai đã báo cáo", cueHistory}, {"ai cập nhật", cueHistory},
	{"ai đã cập nhật", cueHistory}, {"ai sửa", cueHistory}, {"ai đã sửa", cueHistory},
	{"ai đã nhập", cueHistory}, {"ai nhập", cueHistory}, {"báo cáo gần nhất", cueHistory}, {"báo cáo gần đây", cueHistory},
	{"thay đổi", cueChange}, {"biến động", cueChange}, {"báo cáo", cueReport}, {"đã báo cáo", cueChange},
	{"cập nhật", cueReport}, {"đã cập nhật", cueChange}, {"đã sửa", cueChange}, {"sửa đổi", cueChange},
	{"có báo cáo", cueChange}, {"chưa báo cáo", cueChange | cueNeg}, {"vừa báo cáo", cueChange},
	{"để báo cáo", cueFiller}, {"báo cáo lên", cueFiller}, {"lượt báo cáo", cueChange},
	{"thêm", cueAppoint}, {"bố trí thêm", cueAppoint}, {"thêm được", cueAppoint}, {"bổ sung được", cueAppoint},
	{"bổ sung thêm", cueAppoint}, {"tăng thêm", cueAppoint}, {"tăng", cueAppoint}, {"mới", cueAppoint},
	{"được bố trí mới", cueAppoint}, {"bố trí mới", cueAppoint}, {"mới được bố trí", cueAppoint},
	{"mới bố trí", cueAppoint}, {"điều động", cueAppoint}, {"bổ nhiệm", cueAppoint}, {"vừa", cueChange},
	{"bố trí được", cueAppoint}, {"được bố trí", cueAppoint}, {"về nhận nhiệm vụ", cueAppoint},
	{"đã bố trí được", cueAppoint}, {"đã bổ nhiệm được", cueAppoint}, {"bổ nhiệm được", cueAppoint},
	{"gần đây", cueRecent}, {"gần nhất", cueRecent | cueSuper}, {"mới nhất", cueRecent | cueSuper}, {"lần cuối", cueRecent},
	{"gần đây nhất", cueRecent | cueSuper}, {"vừa rồi", cueRecent}, {"mới đây", cueRecent}, {"trước đây", cueFiller},
	{"sớm nhất", cueEarliest}, {"đầu tiên", cueEarliest}, {"lâu nhất", cueEarliest}, {"sớm nhứt", cueEarliest},
	{"mốc", cueMilestone}, {"các mốc", cueMilestone | cueList}, {"hạn", cueMilestone},
	{"thời hạn", cueMilestone}, {"hạn chót", cueMilestone}, {"deadline", cueMilestone},
	{"khi nào", cueMilestone}, {"bao giờ", cueMilestone}, {"lộ trình", cueMilestone},
	{"kế hoạch", cueMilestone}, {"đề án", cueMilestone}, {"trước ngày", cueBound}, {"trước ngày nào", cueMilestone},
	{"ngày nào", cueMilestone}, {"thời gian", cueMilestone}, {"phải xong", cueMilestone},
	{"phải hoàn thành", cueMilestone}, {"chậm nhất là", cueMilestone}, {"đến hạn", cueMilestone},
	{"hết hạn", cueMilestone}, {"sắp đến hạn", cueMilestone}, {"mấy ngày", cueMilestone | cueCount},
	{"bao nhiêu ngày", cueMilestone | cueCount}, {"hạn cuối", cueMilestone}, {"mốc tiếp theo", cueMilestone},
	{"tiến độ", cueProgress}, {"đến đâu", cueProgress}, {"được bao nhiêu", cueProgress | cueCount},
	{"phần trăm", cueShare}, {"tỷ lệ", cueShare}, {"tỉ lệ", cueShare}, {"tỷ lệ phần trăm", cueShare},
	{"kết quả", cueProgress | cueSummary}, {"thống kê", cueSummary}, {"tổng hợp", cueSummary},
	{"tổng quan", cueSummary}, {"báo cáo tổng hợp", cueSummary}, {"tình hình chung", cueSituation},
	{"ai", cueWho}, {"ai là", cueWho}, {"là ai", cueWho}, {"tên gì", cueWho}, {"tên là gì", cueWho},
	{"họ tên", cueWho}, {"ai đang", cueWho}, {"ai giữ", cueWho}, {"ai làm", cueWho}, {"đồng chí nào", cueWho},
	{"người nào", cueWho}, {"những ai", cueWho}, {"ai phụ trách", cueWho}, {"ai đảm nhiệm", cueWho},
	{"tình hình", cueSituation}, {"thông tin", cueSituation}, {"hiện trạng", cueSituation},
	{"thế nào", cueSituation}, {"ra sao", cueSituation}, {"như thế nào", cueSituation},
	{"như nào", cueSituation}, {"bộ máy", cueSituation}, {"cơ cấu", cueSituation},
	{"chi tiết", cueSituation}, {"xem", cueSituation}, {"kiểm tra", cueSituation}, {"sao rồi", cueSituation},
	{"thế nào rồi", cueSituation}, {"đến đâu rồi", cueProgress}, {"sao", cueSituation},
	{"từ khi nào", cueSince}, {"từ bao giờ", cueSince}, {"từ ngày nào", cueSince},
	{"từ lúc nào", cueSince}, {"nhận chức", cueSince}, {"ngày nhận", cueSince}, {"từ năm nào", cueSince},
	{"bao lâu", cueSince}, {"được bao lâu", cueSince}, {"nhận nhiệm vụ", cueSince},
	// places without a name
	{"toàn tỉnh", cueProvince}, {"cả tỉnh", cueProvince}, {"tỉnh", cueDistrictWord}, {"trong tỉnh", cueProvince},
	{"tỉnh mình", cueProvince}, {"tỉnh ta", cueProvince}, {"tỉnh nhà", cueProvince}, {"tỉnh tôi", cueProvince},
	{"huyện", cueDistrictWord}, {"quận", cueDistrictWord}, {"thành phố", cueDistrictWord}, {"thị xã", cueDistrictWord},
	{"cấp huyện", cueByDistrict}, {"đơn vị cấp huyện", cueByDistrict}, {"cấp tỉnh", cueByProvince},
	{"cấp xã", cueByCommune}, {"đơn vị cấp xã", cueByCommune}, {"tỉnh thành", cueByProvince},
	{"thành phố mình", cueOwn | cueOwnDistrict}, {"thành phố tôi", cueOwn | cueOwnDistrict},
	{"thành phố em", cueOwn | cueOwnDistrict}, {"thành phố nhà", cueOwn | cueOwnDistrict},
	{"quận mình", cueOwn | cueOwnDistrict},
	{"toàn địa bàn tỉnh", cueProvince}, {"địa bàn tỉnh", cueProvince}, {"toàn địa bàn", cueFiller},
	{"cả nước", cueNational}, {"toàn quốc", cueNational}, {"trên cả nước", cueNational}, {"toàn ngành", cueNational},
	{"xã tôi", cueOwn}, {"xã mình", cueOwn}, {"xã em", cueOwn}, {"xã nhà", cueOwn}, {"xã ta", cueOwn},
	{"của tôi", cueOwn}, {"của mình", cueOwn}, {"của em", cueOwn}, {"chúng tôi", cueOwn}, {"chúng em", cueOwn},
	{"đơn vị tôi", cueOwn}, {"đơn vị mình", cueOwn}, {"đơn vị em", cueOwn}, {"chỗ em", cueOwn}, {"chỗ tôi", cueOwn},
	{"chỗ mình", cueOwn}, {"bên mình", cueOwn}, {"bên em", cueOwn}, {"bên tôi", cueOwn},
	{"địa bàn tôi", cueOwn}, {"địa bàn mình", cueOwn}, {"địa bàn em", cueOwn}, {"ở đây", cueOwn},
	{"thị trấn tôi", cueOwn}, {"thị trấn mình", cueOwn}, {"thị trấn em", cueOwn},
	{"phường tôi", cueOwn}, {"phường mình", cueOwn}, {"phường em", cueOwn},
	{"công an xã tôi", cueOwn}, {"công an xã mình", cueOwn}, {"công an xã em", cueOwn},
	{"huyện tôi", cueOwn | cueOwnDistrict}, {"huyện mình", cueOwn | cueOwnDistrict},
	{"huyện em", cueOwn | cueOwnDistrict}, {"huyện nhà", cueOwn | cueOwnDistrict}, {"huyện ta", cueOwn | cueOwnDistrict},
	{"của huyện", cueOwn | cueOwnDistrict}, {"toàn huyện", cueOwn | cueOwnDistrict}, {"cả huyện", cueOwn | cueOwnDistrict},
	{"trong huyện", cueOwn | cueOwnDistrict}, {"trên địa bàn huyện", cueOwn | cueOwnDistrict},
	// time
	{"quý", cueTime}, {"tháng", cueTime}, {"năm", cueTime}, {"tuần", cueTime}, {"ngày", cueTime},
	{"6 tháng đầu năm", cueTime}, {"6 tháng cuối năm", cueTime}, {"sáu tháng đầu năm", cueTime},
	{"sáu tháng cuối năm", cueTime}, {"nửa đầu năm", cueTime}, {"nửa cuối năm", cueTime},
	{"đến hết", cueBound}, {"tới hết", cueBound}, {"tính đến", cueBound}, {"tính tới", cueBound},
	{"đúng hạn", cueOnTime}, {"kịp mốc", cueOnTime}, {"kịp hạn", cueOnTime}, {"đúng mốc", cueOnTime},
	{"trước hạn", cueOnTime}, {"đúng tiến độ", cueOnTime}, {"kịp thời hạn", cueOnTime},
	{"sau hạn", cueBound}, {"sau mốc", cueBound}, {"trễ hạn so với", cueBound}, {"trước mốc", cueBound},
	{"hôm nay", cueTime}, {"hôm qua", cueTime}, {"tuần này", cueTime}, {"tuần trước", cueTime},
	{"tuần qua", cueTime}, {"tháng này", cueTime}, {"tháng trước", cueTime}, {"tháng qua", cueTime},
	{"năm nay", cueTime}, {"năm ngoái", cueTime}, {"năm trước", cueTime}, {"quý này", cueTime},
	{"quý trước", cueTime}, {"đầu năm", cueTime}, {"từ đầu năm", cueTime}, {"đến nay", cueFiller},
	{"tới nay", cueFiller}, {"đến giờ", cueFiller}, {"tới giờ", cueFiller}, {"đến hiện tại", cueFiller},
	{"từ", cueBound}, {"kể từ", cueBound}, {"trước", cueBound}, {"sau", cueBound}, {"đến", cueBound}, {"tới", cueBound},
	{"trong", cueFiller},
	{"thì sao", cueSame}, {"thế còn", cueSame}, {"còn thì sao", cueSame}, {"thì thế nào", cueSame}, {"thì sao nhỉ", cueSame},
	// yes/no tails
	{"phải không", cueTail}, {"đúng không", cueTail}, {"chứ", cueTail}, {"hả", cueTail}, {"hay chưa", cueTail},
	{"hay không", cueTail}, {"được chưa", cueTail}, {"có phải", cueFiller}, {"đúng chưa", cueTail},
	// greetings, introductions, requests
	{"chào", cueGreeting}, {"xin chào", cueGreeting}, {"chào đồng chí", cueGreeting}, {"chào anh", cueGreeting}, {"chào chị", cueGreeting}, {"chào hệ thống", cueGreeting}, {"hello", cueGreeting},
	{"hi", cueGreeting}, {"alo", cueGreeting}, {"kính chào", cueGreeting}, {"chào bot", cueGreeting},
	{"cảm ơn", cueThanks}, {"cám ơn", cueThanks}, {"thanks", cueThanks}, {"thank", cueThanks}, {"ok", cueThanks},
	{"được rồi", cueThanks},
	{"tôi là", cueIntro}, {"em là", cueIntro}, {"mình là", cueIntro}, {"tui là", cueIntro},
	{"tôi đang là", cueIntro}, {"em đang là", cueIntro}, {"tôi tên là", cueIntro}, {"em tên là", cueIntro},
	{"cho em hỏi", cueAsk}, {"cho tôi hỏi", cueAsk}, {"cho hỏi", cueAsk}, {"hỏi", cueAsk}, {"xin hỏi", cueAsk},
	{"em hỏi", cueAsk}, {"tôi hỏi", cueAsk}, {"muốn hỏi", cueAsk}, {"có hỏi", cueAsk}, {"hỏi là", cueAsk},
	{"cho biết", cueAsk}, {"cho em biết", cueAsk}, {"cho tôi biết", cueAsk}, {"đề nghị", cueAsk},
	{"đề nghị cho biết", cueAsk}, {"đề nghị báo cáo", cueAsk | cueSummary}, {"báo cáo giúp", cueAsk | cueSummary},
	{"thống kê giúp", cueAsk | cueSummary}, {"tổng hợp giúp", cueAsk | cueSummary}, {"giúp em", cueAsk | cueHelpWeak},
	{"giúp tôi", cueAsk | cueHelpWeak}, {"giúp với", cueHelpWeak}, {"nhờ", cueAsk}, {"vui lòng", cueAsk}, {"làm ơn", cueAsk}, {"báo cáo về", cueAsk | cueSummary},
	{"đề nghị thống kê", cueAsk | cueSummary}, {"đề nghị tổng hợp", cueAsk | cueSummary},
	{"cho xem", cueAsk | cueSituation}, {"cho em xem", cueAsk | cueSituation}, {"cho tôi xem", cueAsk | cueSituation},
	{"muốn biết", cueAsk}, {"cần biết", cueAsk}, {"nắm", cueAsk}, {"nắm được", cueAsk},
	// courtesy and grammar
	{"bot", cueFiller}, {"em", cueFiller}, {"anh", cueFiller}, {"chị", cueFiller}, {"ơi", cueFiller},
	{"ạ", cueFiller}, {"nhé", cueFiller}, {"nhỉ", cueFiller}, {"vậy", cueFiller}, {"thế", cueFiller},
	{"với", cueFiller}, {"xin", cueFiller}, {"bạn", cueFiller}, {"hiện nay", cueFiller},
	{"hiện tại", cueFiller}, {"bây giờ", cueFiller}, {"hiện", cueFiller}, {"lúc này", cueFiller},
	{"là", cueFiller}, {"ở", cueFiller}, {"của", cueFiller}, {"và", cueFiller}, {"có", cueFiller},
	{"thì", cueFiller}, {"được", cueFiller}, {"đang", cueFiller}, {"vẫn", cueFiller}, {"còn", cueFiller},
	{"đã", cueFiller}, {"tôi", cueFiller}, {"mình", cueFiller},
	{"nữa", cueFiller}, {"rồi", cueFiller}, {"thuộc", cueFiller}, {"tại", cueFiller}, {"trên", cueFiller},
	{"nay", cueFiller}, {"đó", cueFiller}, {"à", cueFiller}, {"ah", cueFiller}, {"nha", cueFiller},
	{"về", cueFiller}, {"còn lại", cueFiller}, {"hay", cueFiller}, {"hoặc", cueFiller}, {"mà", cueFiller},
	{"để", cueFiller}, {"địa bàn", cueFiller}, {"từng", cueFiller}, {"một", cueFiller}, {"bị", cueFiller},
	{"chuyên", cueFiller}, {"ủy ban nhân dân", cueFiller}, {"chủ tịch", cueFiller}, {"quản lý", cueFiller},
	{"phải", cueFiller}, {"bố trí", cueFiller}, {"thực hiện", cueFiller}, {"giữ chức", cueFiller},
	{"tiếp theo", cueFiller}, {"sắp tới", cueFiller}, {"tiếp", cueFiller}, {"biết", cueFiller},
	{"đưa", cueFiller}, {"theo", cueFiller}, {"nhất", cueSuper}, {"nhanh", cueFiller},
	{"nhiều", cueMany}, {"ít", cueFew}, {"cao", cueMany}, {"thấp", cueFew}, {"tốt", cueMany}, {"kém", cueFew},
	{"ít nhất một", cueFiller}, {"ít nhất là một", cueFiller}, {"tối thiểu", cueFiller},
	{"ngày mai", cueFiller}, {"sáng nay", cueFiller}, {"chiều nay", cueFiller}, {"họp", cueFiller},
	{"cuộc họp", cueFiller}, {"giao ban", cueFiller}, {"cấp trên", cueFiller}, {"lãnh đạo huyện", cueFiller},
	{"muốn", cueFiller}, {"cần", cueFiller}, {"ạh", cueFiller}, {"nhiêu", cueFiller}, {"đồng", cueFiller},
	{"các đồng chí", cueFiller}, {"hiện giờ", cueFiller}, {"giờ", cueFiller}, {"nhà", cueFiller},
	{"chúng ta", cueFiller}, {"ta", cueFiller}, {"họ", cueFiller}, {"ấy", cueFiller}, {"này", cueFiller},
	{"hệ thống", cueFiller}, {"trả lời", cueFiller}, {"giùm", cueFiller}, {"dùm", cueFiller},
	{"luôn", cueFiller}, {"ngay", cueFiller}, {"lắm", cueFiller}, {"thế thì", cueFiller}, {"nên", cueFiller},
	{"đảm nhiệm", cueFiller}, {"đảm nhận", cueFiller}, {"giữ", cueFiller}, {"làm", cueFiller},
	{"thanh tra", cueFiller}, {"kiểm điểm", cueFiller}, {"sơ kết", cueFiller}, {"tổng kết", cueFiller},
	{"thuộc diện", cueFiller}, {"diện", cueFiller}, {"trực thuộc trung ương", cueFiller}, {"trực thuộc", cueFiller},
	{"hành chính", cueFiller}, {"đơn vị hành chính", cueUnitCommune}, {"đơn vị hành chính cấp xã", cueUnitCommune},
	{"đơn vị hành chính cấp huyện", cueDistrictWord}, {"đơn vị cấp tỉnh", cueDistrictWord},
	{"thành ủy", cueFiller}, {"huyện ủy", cueFiller}, {"tỉnh ủy", cueFiller}, {"đảng ủy", cueFiller},
	{"tinh thần", cueFiller}, {"phấn đấu", cueFiller}, {"số liệu", cueFiller}, {"thống nhất số liệu", cueFiller},
	{"tính tất cả", cueFiller}, {"tính cả", cueFiller}, {"tính luôn", cueFiller}, {"tính theo", cueFiller},
	{"tính chung", cueFiller}, {"chung", cueFiller}, {"cục", cueFiller},
	{"nhiệm vụ", cueFiller}, {"công tác", cueFiller}, {"chỉ đạo", cueFiller}, {"yêu cầu", cueAsk},
	{"như", cueFiller}, {"hẳn", cueFiller}, {"chưa hẳn", cueFiller}, {"không hẳn", cueFiller},
	{"cho", cueFiller}, {"tình trạng", cueFiller}, {"trạng thái", cueFiller}, {"hiện có", cueFiller},
	{"có được", cueFiller}, {"đều", cueFiller}, {"nhau", cueFiller}, {"bên", cueFiller},
}

// entry is a phrase of the lexicon as the parser looks it up.
type entry struct {
	cue   cue
	toned []string // each word's toned key, or the word when it has no diacritic
}

// phrases maps a folded phrase to its readings, in lexicon order.
var phrases = func() map[string][]entry {
	m := make(map[string][]entry, len(lexicon)+len(factWords))
	for _, l := range append(factLexicon(), lexicon...) {
		var folds, toned []string
		for _, w := range splitWords(l.phrase) {
			folds = append(folds, w.fold)
			if w.toned == "" {
				toned = append(toned, w.fold)
			} else {
				toned = append(toned, w.toned)
			}
		}
		key := strings.Join(folds, " ")
		m[key] = append(m[key], entry{cue: l.cue, toned: toned})
	}
	return m
}()

// Room on the stack for a phrase's key and toned words while it is
// looked up: the lexicon's longest phrase is well within it, and a longer
// run of words only spills to the heap.
const (
	phraseBytes = 64
	phraseWords = 8
)

// maxPhrase is the number of words of the longest phrase.
var maxPhrase = func() int {
	n := 0
	for p := range phrases {
		n = max(n, len(strings.Fields(p)))
	}
	return n
}()

// vocabWords holds every folded word of the lexicon and the abbreviations:
// the words a typing leftover may be repaired into.
var vocabWords = func() map[string]bool {
	m := make(map[string]bool)
	for p := range phrases {
		for _, w := range strings.Fields(p) {
			m[w] = true
		}
	}
	for _, a := range abbreviations {
		m[iy(Fold(a.typed))] = true
	}
	return m
}()

// lexWords holds the folded words of the lexicon's phrases alone, the
// short forms left out: what words glued together may split into.
var lexWords = func() map[string]bool {
	m := make(map[string]bool)
	for p := range phrases {
		for _, w := range strings.Fields(p) {
			m[w] = true
		}
	}
	return m
}()

// reading returns the cue of a folded phrase typed with the toned keys
// ts ("" for a word typed without diacritics): the first reading whose
// diacritics agree with what was typed. The key comes as bytes, which
// the callers build in a buffer and the map lookup reads without a copy.
func reading(key []byte, ts []string) (cue, bool) {
	for _, e := range phrases[string(key)] {
		ok := len(e.toned) == len(ts)
		for k := 0; ok && k < len(ts); k++ {
			ok = ts[k] == "" || ts[k] == e.toned[k]
		}
		if ok {
			return e.cue, true
		}
	}
	return 0, false
}

// abbreviation is a short form officers type for speed, with its
// expansion. A short form with diacritics ("đc") matches only as typed; one
// without matches only a word typed without diacritics, so that "cả" and
// "cá" are not "ca" (công an).
type abbreviation struct {
	typed     string
	expansion string
}

var abbreviations = []abbreviation{
	{"ca", "công an"}, {"cax", "công an xã"}, {"cav", "công an viên"}, {"cv", "công an viên"}, {"cah", "công an huyện"},
	{"cat", "công an tỉnh"}, {"catt", "công an thị trấn"}, {"ctv", "công an viên"},
	{"tcax", "trưởng công an xã"}, {"tca", "trưởng công an"}, {"ptcax", "phó trưởng công an xã"},
	{"ptca", "phó trưởng công an"}, {"tcatt", "trưởng công an thị trấn"}, {"ptcatt", "phó trưởng công an thị trấn"},
	{"cq", "chính quy"}, {"ccq", "chưa chính quy"}, {"bct", "bán chuyên trách"}, {"kct", "không chuyên trách"},
	{"bcq", "bán chuyên trách"},
	{"tt", "thị trấn"}, {"ttr", "thị trấn"}, {"tp", "thành phố"}, {"tx", "thị xã"},
	{"h", "huyện"}, {"hy", "huyện"}, {"x", "xã"}, {"q", "quận"}, {"p", "phường"},
	{"ptr", "phó trưởng"}, {"pt", "phó trưởng"}, {"trg", "trưởng"}, {"tr", "trưởng"}, {"trưởg", "trưởng"},
	{"ko", "không"}, {"k", "không"}, {"kh", "không"}, {"khg", "không"}, {"hok", "không"}, {"hong", "không"},
	{"hông", "không"}, {"hem", "không"}, {"khum", "không"}, {"k0", "không"}, {"kg", "không"}, {"khong", "không"},
	{"dc", "được"}, {"đc", "được"}, {"dk", "được"}, {"đk", "được"}, {"dduoc", "được"},
	{"r", "rồi"}, {"rùi", "rồi"}, {"rui", "rồi"}, {"roài", "rồi"}, {"rồii", "rồi"},
	{"j", "gì"}, {"ji", "gì"}, {"gi", "gì"}, {"zì", "gì"},
	{"bn", "bao nhiêu"}, {"bnh", "bao nhiêu"}, {"bnhieu", "bao nhiêu"}, {"baonhieu", "bao nhiêu"},
	{"ubnd", "ủy ban nhân dân"}, {"ds", "danh sách"}, {"dsach", "danh sách"}, {"ng", "người"}, {"ngừoi", "người"},
	{"vt", "vị trí"}, {"sl", "số lượng"}, {"ntn", "như thế nào"}, {"ntnao", "như thế nào"}, {"tn", "thế nào"},
	{"mk", "mình"}, {"mik", "mình"}, {"mjk", "mình"}, {"mh", "mình"}, {"mjnh", "mình"}, {"mìk", "mình"},
	{"t", "tôi"}, {"tui", "tôi"}, {"tớ", "tôi"}, {"e", "em"},
	{"vs", "với"}, {"ak", "à"}, {"a", "ạ"}, {"nhe", "nhé"}, {"nhá", "nhé"},
	{"tq", "toàn quốc"}, {"tl", "tỷ lệ"}, {"stt", "thứ tự"}, {"nc", "nước"},
	{"hnay", "hôm nay"}, {"hqua", "hôm qua"}, {"bh", "bây giờ"}, {"bgio", "bây giờ"},
	{"ktra", "kiểm tra"}, {"thkê", "thống kê"}, {"tke", "thống kê"}, {"tk", "thống kê"},
	{"dv", "đơn vị"}, {"đv", "đơn vị"}, {"cb", "cán bộ"}, {"ld", "lãnh đạo"}, {"lđ", "lãnh đạo"},
}

// shortForm is an abbreviation as expand reads it, worked out once.
type shortForm struct {
	toned string // the short form's toned key: "" without diacritics
	words []word // the expansion's words, folded
}

// byTyped indexes the abbreviations by their folded short form.
var byTyped = func() map[string][]shortForm {
	m := make(map[string][]shortForm)
	for _, a := range abbreviations {
		k := iy(Fold(a.typed))
		sf := shortForm{toned: tonedKey(a.typed)}
		for _, e := range splitWords(a.expansion) {
			sf.words = append(sf.words, word{fold: e.fold})
		}
		m[k] = append(m[k], sf)
	}
	return m
}()

// expand returns the words an abbreviation typed as w stands for. They
// are shared by every call: callers copy them, never change them.
func expand(w word) ([]word, bool) {
	for _, sf := range byTyped[w.fold] {
		if (w.toned == "" && sf.toned == "") || (w.toned != "" && w.toned == sf.toned) {
			return sf.words, true
		}
	}
	return nil, false
}

// typeWords are the type words that may introduce a place name, with the
// levels the name may then have: "thành phố" is a district, or a
// province such as Hà Nội. A type word typed with diacritics must have
// them right: "phố" in "thành phố", not "phó".
var typeWords = func() []typeWord {
	var out []typeWord
	for _, tw := range []struct {
		phrase string
		levels []string
		ctype  store.CommuneType
	}{
		{"thị trấn", []string{LevelCommune}, store.ThiTran},
		{"thị xã", []string{LevelDistrict}, ""},
		{"thành phố", []string{LevelDistrict, LevelProvince}, ""},
		{"xã", []string{LevelCommune}, store.Xa},
		{"phường", []string{LevelCommune}, store.Phuong},
		{"huyện", []string{LevelDistrict}, ""},
		{"quận", []string{LevelDistrict}, ""},
		{"tỉnh", []string{LevelProvince}, ""},
	} {
		t := typeWord{levels: tw.levels, ctype: tw.ctype}
		for _, w := range splitWords(tw.phrase) {
			t.words = append(t.words, w.fold)
			t.toned = append(t.toned, w.toned)
		}
		t.phrase = strings.Join(t.words, " ")
		out = append(out, t)
	}
	return out
}()

type typeWord struct {
	words, toned []string
	phrase       string // words joined by spaces
	levels       []string
	ctype        store.CommuneType
}
