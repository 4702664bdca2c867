package understand

import "strings"

// cue is what a phrase of a question says; a phrase may say several
// things ("chưa có người": negation and vacant).
type cue uint32

const (
	cueCount       cue = 1 << iota // bao nhiêu, mấy
	cueList                        // những, các, danh sách, nào
	cueUnitCommune                 // xã, thị trấn, đơn vị: communes are counted when next to cueCount/cueList
	cueUnitPost                    // vị trí, chỗ, người, chức danh
	cueChief                       // trưởng
	cueDeputy                      // phó
	cueOfficer                     // công an viên
	cuePolice                      // công an: only keeps the words from being read as a place
	cueRegular                     // chính quy
	cueSemi                        // bán chuyên trách
	cueVacant                      // trống, chưa có người
	cueNeg                         // thiếu, chưa có, chưa đủ
	cueDone                        // đã có, đã xong
	cueBehind                      // quá hạn, chậm
	cueHelp                        // hướng dẫn, trợ giúp
	cueHelpWeak                    // làm sao, cách: help only when nothing else is asked
	cueHistory                     // lịch sử, ai đã báo cáo
	cueMilestone                   // mốc, hạn, khi nào
	cueProgress                    // tiến độ, tỷ lệ, phần trăm
	cueSummary                     // thống kê, tổng hợp: progress unless something lacking is asked
	cueWho                         // ai là, là ai
	cueSituation                   // tình hình, thế nào
	cueSince                       // từ khi nào: when the holder took the post
	cueProvince                    // toàn tỉnh, các huyện
	cueOwn                         // xã tôi, của mình: the user's own scope
	cueOwnDistrict                 // huyện tôi: the user's own scope, a district
	cueFiller                      // courtesy and grammar words, never a place
	cueNot                         // chưa, không: negation unless it ends a yes/no question
)

// phrases maps folded phrases to what they say. The longest phrase that
// matches at a position wins, so "phó trưởng" is a deputy, not a deputy and
// a chief, and "cho em hỏi" is courtesy, not a post.
var phrases = map[string]cue{
	// how many, which
	"bao nhieu": cueCount, "may": cueCount, "so luong": cueCount, "tong so": cueCount,
	"tong cong": cueCount, "dem": cueCount, "so": cueCount,
	"bao nhieu phan tram": cueCount | cueProgress,
	"nhung":               cueList, "cac": cueList, "danh sach": cueList, "liet ke": cueList, "nao": cueList,
	"ke ten": cueList, "cu the": cueList,
	// units
	"xa": cueUnitCommune, "thi tran": cueUnitCommune, "phuong": cueUnitCommune,
	"don vi": cueUnitCommune, "dia phuong": cueUnitCommune,
	"vi tri": cueUnitPost, "cho": cueUnitPost, "nguoi": cueUnitPost, "can bo": cueUnitPost,
	"chuc danh": cueUnitPost, "suat": cueUnitPost, "bien che": cueUnitPost, "dong chi": cueUnitPost,
	"chuc vu": cueUnitPost,
	// posts
	"truong": cueChief, "truong cong an": cueChief,
	"cap truong": cueChief, "truong don": cueChief,
	"pho": cueDeputy, "pho truong": cueDeputy, "pho cong an": cueDeputy,
	"pho truong cong an": cueDeputy,
	"cap pho":            cueDeputy,
	"cong an vien":       cueOfficer,
	"cong an":            cuePolice,
	"cong an huyen":      cuePolice,
	"cong an tinh":       cuePolice | cueProvince,
	// statuses
	"chinh quy": cueRegular, "cong an chinh quy": cueRegular | cuePolice,
	"chua chinh quy": cueRegular | cueNeg, "khong chinh quy": cueRegular | cueNeg,
	"ban chuyen trach": cueSemi, "khong chuyen trach": cueSemi,
	"trong": cueVacant, "bo trong": cueVacant, "de trong": cueVacant, "con trong": cueVacant,
	"cho trong": cueVacant | cueUnitPost, "vi tri trong": cueVacant | cueUnitPost,
	"khuyet": cueVacant, "chua co nguoi": cueVacant | cueNeg, "khong co nguoi": cueVacant | cueNeg,
	"chua co ai": cueVacant | cueNeg, "khong co ai": cueVacant | cueNeg,
	"chua bo tri nguoi": cueVacant | cueNeg, "chua ai": cueVacant | cueNeg,
	// lacking, done
	"thieu": cueNeg, "con thieu": cueNeg, "dang thieu": cueNeg, "chua co": cueNeg,
	"chua du": cueNeg, "khong du": cueNeg, "khong co": cueNeg, "chua duoc": cueNeg,
	"chua bo tri": cueNeg, "can bo sung": cueNeg, "chua dat": cueNeg | cueBehind,
	"chua hoan thanh": cueNeg | cueBehind, "chua xong": cueNeg | cueBehind,
	"chua": cueNot, "khong": cueNot,
	"da co": cueDone, "da xong": cueDone, "xong": cueDone, "hoan thanh": cueDone,
	"da hoan thanh": cueDone, "da du": cueDone, "da bo tri": cueDone,
	"da duoc": cueDone, "co du": cueDone, "da dat": cueDone,
	"qua han": cueBehind, "tre han": cueBehind, "cham": cueBehind,
	"dang cham": cueBehind, "bi cham": cueBehind, "lac hau": cueBehind,
	// intents
	"help": cueHelp, "huong dan": cueHelp, "tro giup": cueHelp, "cach dung": cueHelp,
	"su dung": cueHelp, "cac lenh": cueHelp, "lenh": cueHelp, "menu": cueHelp,
	"lam sao de": cueHelp, "lam the nao de": cueHelp, "cach bao cao": cueHelp, "lam duoc gi": cueHelp,
	"dung nhu the nao": cueHelp, "dung the nao": cueHelp,
	"giup": cueHelpWeak, "lam sao": cueHelpWeak, "lam the nao": cueHelpWeak, "cach": cueHelpWeak,
	"bat dau": cueHelpWeak, "start": cueHelpWeak,
	"lich su": cueHistory, "nhat ky": cueHistory, "thay doi": cueHistory, "bien dong": cueHistory,
	"bao cao": cueHistory, "da bao cao": cueHistory, "cap nhat": cueHistory, "da cap nhat": cueHistory,
	"ai bao cao": cueHistory, "ai da bao cao": cueHistory, "ai cap nhat": cueHistory,
	"ai da cap nhat": cueHistory, "ai sua": cueHistory, "ai da sua": cueHistory, "da sua": cueHistory, "sua doi": cueHistory,
	"ai da nhap": cueHistory, "ai nhap": cueHistory,
	"gan day": cueHistory, "lan cuoi": cueHistory, "truoc day": cueHistory,
	"bao cao tong hop": cueSummary,
	"moc":              cueMilestone, "cac moc": cueMilestone | cueList, "han": cueMilestone,
	"thoi han": cueMilestone, "han chot": cueMilestone, "deadline": cueMilestone,
	"khi nao": cueMilestone, "bao gio": cueMilestone, "lo trinh": cueMilestone,
	"ke hoach": cueMilestone, "de an": cueMilestone, "truoc ngay": cueMilestone,
	"ngay nao": cueMilestone, "thoi gian": cueMilestone, "phai xong": cueMilestone,
	"phai hoan thanh": cueMilestone, "cham nhat": cueMilestone, "den han": cueMilestone,
	"het han": cueMilestone, "sap den han": cueMilestone, "may ngay": cueMilestone | cueCount,
	"tien do": cueProgress, "phan tram": cueProgress, "ty le": cueProgress, "ti le": cueProgress,
	"ket qua": cueSummary, "thong ke": cueSummary, "tong hop": cueSummary,
	"tong quan": cueSummary, "den dau": cueProgress, "duoc bao nhieu": cueProgress | cueCount,
	"ai": cueWho, "ai la": cueWho, "la ai": cueWho, "ten gi": cueWho, "ten la gi": cueWho,
	"ho ten": cueWho, "ai dang": cueWho, "ai giu": cueWho, "ai lam": cueWho, "dong chi nao": cueWho,
	"tinh hinh": cueSituation, "thong tin": cueSituation, "hien trang": cueSituation,
	"the nao": cueSituation, "ra sao": cueSituation, "nhu the nao": cueSituation,
	"nhu nao": cueSituation, "bo may": cueSituation, "co cau": cueSituation,
	"chi tiet": cueSituation, "xem": cueSituation, "kiem tra": cueSituation,
	"tu khi nao": cueSince, "tu bao gio": cueSince, "tu ngay nao": cueSince,
	"tu luc nao": cueSince, "nhan chuc": cueSince, "ngay nhan": cueSince,
	// places without a name
	"toan tinh": cueProvince, "ca tinh": cueProvince, "tinh": cueProvince,
	"tat ca cac huyen": cueProvince | cueList, "toan bo cac huyen": cueProvince | cueList,
	"cac huyen": cueProvince | cueList, "huyen nao": cueProvince | cueList,
	"nhung huyen": cueProvince | cueList, "tung huyen": cueProvince | cueList,
	"moi huyen": cueProvince | cueList, "toan dia ban": cueProvince,
	"xa toi": cueOwn, "xa minh": cueOwn, "xa em": cueOwn, "xa nha": cueOwn,
	"cua toi": cueOwn, "cua minh": cueOwn, "cua em": cueOwn, "chung toi": cueOwn,
	"don vi toi": cueOwn, "don vi minh": cueOwn, "don vi em": cueOwn,
	"huyen toi": cueOwn | cueOwnDistrict, "huyen minh": cueOwn | cueOwnDistrict,
	"huyen em": cueOwn | cueOwnDistrict, "huyen nha": cueOwn | cueOwnDistrict,
	"thi tran toi": cueOwn, "thi tran minh": cueOwn, "thi tran em": cueOwn,
	"dia ban toi": cueOwn, "dia ban minh": cueOwn, "o day": cueOwn, "ben minh": cueOwn,
	"ben em": cueOwn, "ben toi": cueOwn, "chung em": cueOwn,
	// courtesy and grammar
	"cho em hoi": cueFiller, "cho toi hoi": cueFiller, "cho hoi": cueFiller, "hoi": cueFiller,
	"cho biet": cueFiller, "cho em biet": cueFiller, "cho toi biet": cueFiller,
	"cho xem": cueFiller | cueSituation, "cho em xem": cueFiller | cueSituation,
	"bot": cueFiller, "em": cueFiller, "anh": cueFiller, "chi": cueFiller, "oi": cueFiller,
	"a": cueFiller, "nhe": cueFiller, "nhi": cueFiller, "vay": cueFiller, "the": cueFiller,
	"voi": cueFiller, "xin": cueFiller, "ban": cueFiller, "hien nay": cueFiller,
	"hien tai": cueFiller, "bay gio": cueFiller, "hom nay": cueFiller, "hien": cueFiller,
	"la": cueFiller, "o": cueFiller, "cua": cueFiller, "va": cueFiller, "co": cueFiller,
	"thi": cueFiller, "duoc": cueFiller, "dang": cueFiller, "van": cueFiller, "con": cueFiller,
	"da": cueFiller, "ha": cueFiller, "toi": cueFiller, "minh": cueFiller, "gi": cueFiller,
	"nua": cueFiller, "roi": cueFiller, "thuoc": cueFiller, "tai": cueFiller, "tren": cueFiller,
	"den": cueFiller, "nay": cueFiller, "do": cueFiller, "voi ah": cueFiller, "ah": cueFiller,
	"nhe ban": cueFiller, "vui long": cueFiller, "lam on": cueFiller, "ve": cueFiller,
	"tat ca": cueFiller, "toan bo": cueFiller, "con lai": cueFiller, "hay": cueFiller,
	"hoac": cueFiller, "ma": cueFiller, "de": cueFiller, "sau": cueFiller, "truoc": cueFiller,
	"dia ban": cueFiller, "moi": cueFiller, "tung": cueFiller, "mot": cueFiller, "nam": cueFiller,
	"ngay": cueFiller, "thang": cueFiller, "quy": cueFiller, "bi": cueFiller, "chuyen": cueFiller,
	"uy ban nhan dan": cueFiller, "chu tich": cueFiller, "quan ly": cueFiller,
	"phai": cueFiller, "bo tri": cueFiller, "thuc hien": cueFiller, "giu chuc": cueFiller,
	"tiep theo": cueFiller, "sap toi": cueFiller, "tiep": cueFiller, "vua": cueFiller, "sao": cueFiller,
	"muon biet": cueFiller, "muon": cueFiller, "biet": cueFiller, "cam on": cueFiller, "dua": cueFiller,
	"chao": cueFiller, "xin chao": cueFiller, "ok": cueFiller, "theo": cueFiller, "nhat": cueFiller, "nhanh": cueFiller, "ngay mai": cueFiller,
}

// maxPhrase is the number of words of the longest phrase.
var maxPhrase = func() int {
	n := 0
	for p := range phrases {
		n = max(n, len(strings.Fields(p)))
	}
	return n
}()

// abbreviations expands what officers type for speed. "ca" is công an
// only when typed without diacritics: "cả tỉnh" keeps its "cả".
var abbreviations = map[string][]string{
	"ca": {"cong", "an"}, "cax": {"cong", "an", "xa"}, "cav": {"cong", "an", "vien"},
	"cq": {"chinh", "quy"}, "ccq": {"chua", "chinh", "quy"}, "bct": {"ban", "chuyen", "trach"},
	"tt": {"thi", "tran"}, "ttr": {"thi", "tran"}, "tp": {"thanh", "pho"}, "tx": {"thi", "xa"},
	"h": {"huyen"}, "p": {"phuong"}, "hy": {"huyen"}, "x": {"xa"}, "q": {"quan"},
	"ptr": {"pho", "truong"}, "pt": {"pho", "truong"}, "trg": {"truong"}, "tr": {"truong"},
	"ko": {"khong"}, "k": {"khong"}, "kh": {"khong"}, "khg": {"khong"}, "hong": {"khong"},
	"dc": {"duoc"}, "bn": {"bao", "nhieu"}, "bnh": {"bao", "nhieu"}, "ubnd": {"uy", "ban", "nhan", "dan"},
	"ds": {"danh", "sach"}, "ng": {"nguoi"}, "vt": {"vi", "tri"}, "sl": {"so", "luong"},
	"j": {"gi"}, "ntn": {"nhu", "the", "nao"}, "cv": {"cong", "an", "vien"},
}

// placeWords are the type words that may introduce a place name.
var placeWords = []struct {
	words []string
	level string
}{
	{[]string{"thi", "tran"}, LevelCommune},
	{[]string{"thi", "xa"}, LevelDistrict},
	{[]string{"thanh", "pho"}, LevelDistrict},
	{[]string{"xa"}, LevelCommune},
	{[]string{"phuong"}, LevelCommune},
	{[]string{"huyen"}, LevelDistrict},
	{[]string{"quan"}, LevelDistrict},
	{[]string{"tinh"}, LevelProvince},
}
