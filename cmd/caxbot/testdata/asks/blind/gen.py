#!/usr/bin/env python3
"""Blind question set for caxbot.

Generates, deterministically and with the standard library only:
  posts.csv           a fixed staffing of the 141 xã and thị trấn of Hòa Bình
  posts_national.csv  a fixed staffing of every xã and thị trấn of Viet Nam
                      (its Hòa Bình rows are exactly posts.csv)
  questions.tsv       the questions, with expectations computed from the above

Written without reading the bot's source. Run: python3 gen.py
"""
import csv
import datetime as dt
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = '/work/shared/data'
SEED = 20191230
HB = '17'
KINDS = ('chief', 'deputy', 'officer')
ALLST = ('regular', 'semi', 'vacant')
DEADLINE = dt.date(2020, 3, 31)


# ---------------------------------------------------------------- text helpers

def nfc(s):
    return unicodedata.normalize('NFC', s)


def strip(s):
    d = unicodedata.normalize('NFD', s)
    d = ''.join(c for c in d if not unicodedata.combining(c))
    return nfc(d.replace('đ', 'd').replace('Đ', 'D'))


TONES = {'\u0301': 's', '\u0300': 'f', '\u0309': 'r', '\u0303': 'x', '\u0323': 'j'}
VNI_TONES = {'\u0301': '1', '\u0300': '2', '\u0309': '3', '\u0303': '4', '\u0323': '5'}


def syl_key(w, diac):
    d = unicodedata.normalize('NFD', w.lower())
    tone = ''.join(TONES[c] for c in d if c in TONES)
    base = ''.join(c for c in d if c not in TONES)
    if not diac:
        base = ''.join(c for c in base if not unicodedata.combining(c))
        base = base.replace('đ', 'd')
        tone = ''
    base = nfc(base)
    # i and y at the end of a syllable after a consonant are one letter (Mĩ/Mỹ, Kì/Kỳ)
    base = re.sub(r'(?:(?<=[bcdđghklmnpqrstvx])|(?<=qu))y$', 'i', base)
    return base + tone


def key(name, diac=True):
    """Comparison key of a place name: case, tone placement and i/y folded;
    with diac=False the diacritics are dropped as well."""
    return ' '.join(syl_key(w, diac) for w in nfc(name).replace('-', ' ').split())


def split_tone(word):
    d = unicodedata.normalize('NFD', word)
    tone = next((c for c in d if c in TONES), None)
    base = nfc(''.join(c for c in d if c not in TONES))
    return base, tone


def telex_tone_leftover(word):
    """'trưởng' -> 'truongr': the IME dropped the marks but kept the tone key."""
    base, tone = split_tone(word)
    return strip(base) + (TONES[tone] if tone else '')


TELEX_MOD = {'ư': 'uw', 'ơ': 'ow', 'â': 'aa', 'ê': 'ee', 'ô': 'oo', 'ă': 'aw', 'đ': 'dd'}
VNI_MOD = {'ư': 'u7', 'ơ': 'o7', 'â': 'a6', 'ê': 'e6', 'ô': 'o6', 'ă': 'a8', 'đ': 'd9'}


def telex_full(word):
    """'trưởng' -> 'truwowngr': the whole Telex key sequence, unconverted."""
    base, tone = split_tone(word.lower())
    out = ''.join(TELEX_MOD.get(c, c) for c in base)
    return out + (TONES[tone] if tone else '')


def vni_full(word, with_tone=True):
    """'trưởng' -> 'tru7o7ng3' (VNI keys left in the text)."""
    base, tone = split_tone(word.lower())
    out = ''.join(VNI_MOD.get(c, c) for c in base)
    return out + (VNI_TONES[tone] if tone and with_tone else '')


def has_marks(word):
    return strip(word) != word


def pct(a, b):
    v = (Decimal(a) * 100 / Decimal(b)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)
    return str(v)


def vdate(d):
    return d.strftime('%d/%m/%Y')


# ---------------------------------------------------------------- roster

class Unit:
    __slots__ = ('code', 'name', 'type', 'dcode', 'dfull', 'dname', 'dtype',
                 'pcode', 'pfull', 'pname')


DPREFIX = ('Huyện ', 'Thành phố ', 'Thị xã ', 'Quận ')
PPREFIX = ('Tỉnh ', 'Thành phố ')


def short(full, prefixes):
    for p in prefixes:
        if full.lower().startswith(p.lower()):
            return full[len(p):], p.strip()
    raise ValueError(full)


def load_roster():
    units = []
    with open(os.path.join(DATA, 'vietnam_communes_2020.csv'), encoding='utf-8') as f:
        for r in csv.DictReader(f):
            u = Unit()
            u.code = r['commune_code']
            u.name = nfc(r['commune_name'])
            u.type = r['commune_type']
            u.dcode = r['district_code']
            u.dfull = nfc(r['district_name'])
            u.dname, u.dtype = short(u.dfull, DPREFIX)
            u.pcode = r['province_code']
            u.pfull = nfc(r['province_name'])
            u.pname, _ = short(u.pfull, PPREFIX)
            units.append(u)
    # the seed province file must be exactly the national file's Hòa Bình rows
    with open(os.path.join(DATA, 'hoabinh_communes_2020.csv'), encoding='utf-8') as f:
        hb = [(r['district_code'], r['commune_code'], nfc(r['commune_name']), r['commune_type'])
              for r in csv.DictReader(f)]
    assert hb == [(u.dcode, u.code, u.name, u.type) for u in units if u.pcode == HB], 'roster mismatch'
    return units


UNITS = load_roster()
BY_CODE = {u.code: u for u in UNITS}
PLAN = [u for u in UNITS if u.type in ('xã', 'thị trấn')]
PLAN_CODES = {u.code for u in PLAN}
DISTRICTS = {}   # dcode -> (full, short, type, pcode)
PROVINCES = {}   # pcode -> (full, short)
for u in UNITS:
    DISTRICTS.setdefault(u.dcode, (u.dfull, u.dname, u.dtype, u.pcode))
    PROVINCES.setdefault(u.pcode, (u.pfull, u.pname))
HB_DISTRICTS = [d for d in DISTRICTS if DISTRICTS[d][3] == HB]
HB_PLAN = [u for u in PLAN if u.pcode == HB]
assert len(HB_PLAN) == 141 and len(HB_DISTRICTS) == 10


# ---------------------------------------------------------------- staffing

class Post:
    __slots__ = ('status', 'holder', 'since')

    def __init__(self, status, holder, since):
        self.status, self.holder, self.since = status, holder, since


SURNAMES_HB = (['Bùi'] * 10 + ['Đinh'] * 6 + ['Quách'] * 3 + ['Nguyễn'] * 6 + ['Xa'] * 2 +
               ['Hà'] * 3 + ['Trần'] * 2 + ['Lê'] * 2 + ['Phạm'] * 2 + ['Hoàng'] * 2 +
               ['Sa', 'Bạch', 'Lò', 'Vì', 'Vũ', 'Đỗ', 'Ngô', 'Đặng', 'Cao', 'Kiều', 'Trương', 'Lường'])
SURNAMES_VN = (['Nguyễn'] * 12 + ['Trần'] * 4 + ['Lê'] * 4 + ['Phạm'] * 3 + ['Hoàng'] * 2 +
               ['Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý',
                'Đinh', 'Trịnh', 'Mai', 'Tô', 'Lương', 'Hà', 'Đào', 'Cao', 'Lò', 'Thạch'])
MID_M = ['Văn'] * 6 + ['Đức', 'Minh', 'Hữu', 'Công', 'Quang', 'Xuân', 'Mạnh', 'Tiến', 'Ngọc',
                        'Thanh', 'Đình', 'Trọng', 'Anh', 'Quốc', 'Tuấn']
MID_F = ['Thị'] * 5 + ['Thu', 'Ngọc', 'Thanh', 'Hồng', 'Minh', 'Kim']
GIVEN_M = ['An', 'Bình', 'Cường', 'Chiến', 'Dũng', 'Duy', 'Đạt', 'Đông', 'Giang', 'Hải',
           'Hiếu', 'Hòa', 'Hoàng', 'Hùng', 'Huy', 'Hưng', 'Khải', 'Khánh', 'Kiên', 'Lâm',
           'Linh', 'Long', 'Lợi', 'Luân', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Ngọc', 'Nguyên',
           'Phong', 'Phúc', 'Quân', 'Quang', 'Quyết', 'Sơn', 'Tài', 'Tâm', 'Thái', 'Thành',
           'Thắng', 'Thịnh', 'Thuận', 'Tiến', 'Toàn', 'Trung', 'Trường', 'Tú', 'Tuấn', 'Tùng',
           'Uy', 'Việt', 'Vinh', 'Vũ', 'Vượng', 'Xuân', 'Yên', 'Hậu', 'Điệp', 'Chung']
GIVEN_F = ['Anh', 'Chi', 'Dung', 'Duyên', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Huyền',
           'Hương', 'Lan', 'Liên', 'Linh', 'Mai', 'Nga', 'Ngân', 'Nhung', 'Oanh', 'Phương',
           'Thảo', 'Thơm', 'Thúy', 'Trang', 'Tuyết', 'Vân', 'Yến']


def rdate(rng, start, end):
    """A date between months start=(y,m) and end=(y,m) inclusive; the day is
    2..27 so that no date sits on a month boundary a question may name."""
    months = []
    y, m = start
    while (y, m) <= end:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    y, m = rng.choice(months)
    return dt.date(y, m, rng.randint(2, 27))


def make_name(rng, used, surnames, female_p):
    while True:
        if rng.random() < female_p:
            n = '%s %s %s' % (rng.choice(surnames), rng.choice(MID_F), rng.choice(GIVEN_F))
        else:
            n = '%s %s %s' % (rng.choice(surnames), rng.choice(MID_M), rng.choice(GIVEN_M))
        if n not in used:
            used.add(n)
            return n


def staff_commune(rng, pilot, prm, used, surnames):
    """One commune's posts. prm: the province's rates."""
    def person(female_p=0.12):
        return make_name(rng, used, surnames, female_p)

    posts = {}
    # chief
    if pilot:
        chief = Post('regular', person(0.05), rdate(rng, (2019, 6), (2019, 12)))
    else:
        r = rng.random()
        if r < prm['chief_ontime']:
            chief = Post('regular', person(0.05), rdate(rng, (2020, 1), (2020, 3)))
        elif r < prm['chief_ontime'] + prm['chief_late']:
            chief = Post('regular', person(0.05), rdate(rng, (2020, 4), (2021, 12)))
        elif r < 1 - prm['chief_vacant']:
            chief = Post('semi', person(0.05), None)
        else:
            chief = Post('vacant', '', None)
    posts['chief'] = [chief]
    # deputies
    ndep = 2 if rng.random() < prm['two_deputies'] else 1
    deps = []
    preg = prm['dep_reg'] + (0.3 if pilot else 0)
    for _ in range(ndep):
        r = rng.random()
        if r < preg:
            deps.append(Post('regular', person(0.08), rdate(rng, (2020, 4), (2021, 12))))
        elif r < preg + prm['dep_vac']:
            deps.append(Post('vacant', '', None))
        else:
            deps.append(Post('semi', person(0.1), None))
    posts['deputy'] = deps
    # officers
    noff = rng.choice(prm['officers'])
    offs = []
    preg = prm['off_reg'] + (0.25 if pilot else 0)
    for _ in range(noff):
        r = rng.random()
        if r < preg:
            since = rdate(rng, (2019, 8), (2021, 12)) if rng.random() < 0.85 else None
            offs.append(Post('regular', person(0.18), since))
        elif r < preg + prm['off_vac']:
            offs.append(Post('vacant', '', None))
        else:
            offs.append(Post('semi', person(0.15), None))
    posts['officer'] = offs
    return posts


def force_all_regular(rng, posts, used, surnames):
    for k in KINDS:
        for p in posts[k]:
            if p.status != 'regular':
                p.status = 'regular'
                p.holder = make_name(rng, used, surnames, 0.1)
                p.since = rdate(rng, (2020, 4), (2021, 12))


HB_PARAMS = dict(chief_ontime=0.70, chief_late=0.10, chief_vacant=0.05, two_deputies=0.4,
                 dep_reg=0.38, dep_vac=0.12, officers=(2, 3, 3, 4, 4, 5), off_reg=0.33, off_vac=0.17)


def staff_province(pcode, units):
    if pcode == HB:
        rng = random.Random(SEED)
        prm, surnames, npilot = HB_PARAMS, SURNAMES_HB, 28
    else:
        rng = random.Random('%d:%s' % (SEED, pcode))
        prm = dict(chief_ontime=rng.uniform(0.45, 0.9), chief_late=rng.uniform(0.02, 0.15),
                   chief_vacant=rng.uniform(0.0, 0.08), two_deputies=rng.uniform(0.2, 0.6),
                   dep_reg=rng.uniform(0.15, 0.6), dep_vac=rng.uniform(0.05, 0.2),
                   officers=(2, 3, 3, 4, 4, 5), off_reg=rng.uniform(0.15, 0.55),
                   off_vac=rng.uniform(0.05, 0.25))
        prm['chief_late'] = min(prm['chief_late'], 1 - prm['chief_ontime'] - prm['chief_vacant'] - 0.01)
        surnames = SURNAMES_VN
        npilot = round(len(units) * rng.uniform(0.1, 0.3))
    pilots = set(rng.sample([u.code for u in units], npilot))
    used = set()
    staff = {}
    for u in units:
        if pcode != HB:
            used = set()   # names unique within a commune only, outside the seed province
        staff[u.code] = staff_commune(rng, u.code in pilots, prm, used, surnames)
    # a few communes with every post regular
    nfull = 7 if pcode == HB else max(1, len(units) // 40)
    cands = [u.code for u in units if staff[u.code]['chief'][0].status == 'regular']
    for c in rng.sample(cands, min(nfull, len(cands))):
        force_all_regular(rng, staff[c], used if pcode == HB else set(), surnames)
    return staff, pilots


def build_staff():
    by_prov = defaultdict(list)
    for u in PLAN:
        by_prov[u.pcode].append(u)
    staff, pilots = {}, {}
    for p in sorted(by_prov):
        s, pl = staff_province(p, by_prov[p])
        staff.update(s)
        pilots[p] = pl
    return staff, pilots


STAFF, PILOTS = build_staff()


def write_posts(path, units):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['commune_code', 'post', 'slot', 'status', 'holder', 'since'])
        for u in units:
            for k in KINDS:
                for i, p in enumerate(STAFF[u.code][k], 1):
                    w.writerow([u.code, k, i, p.status, p.holder,
                                p.since.isoformat() if p.since else ''])


# ---------------------------------------------------------------- evaluator
# A scope is ('C', commune code) | ('D', district code) | ('P', province code) | ('N', '').

def units_in(scope):
    k, c = scope
    if k == 'C':
        return [BY_CODE[c]] if c in PLAN_CODES else []
    if k == 'D':
        return [u for u in PLAN if u.dcode == c]
    if k == 'P':
        return [u for u in PLAN if u.pcode == c]
    return PLAN


_UNITS_CACHE = {}
_STRICT = [False]   # True: read "xã" as the type xã only (no thị trấn)


def plan_units(scope):
    k = (scope, _STRICT[0])
    if k not in _UNITS_CACHE:
        us = units_in(scope)
        if _STRICT[0] and scope[0] != 'C':
            us = [u for u in us if u.type == 'xã']
        _UNITS_CACHE[k] = us
    return _UNITS_CACHE[k]


def strict_value(f):
    """f() computed as if 'xã' meant the type xã only."""
    _STRICT[0] = True
    try:
        return f()
    except ArithmeticError:
        return None
    finally:
        _STRICT[0] = False


def posts_of(code, kinds=KINDS):
    for k in kinds:
        for p in STAFF[code][k]:
            yield p


def in_range(p, since):
    if since is None:
        return True
    lo, hi = since
    return p.since is not None and (lo is None or p.since >= lo) and (hi is None or p.since <= hi)


def count_posts(scope, kinds=KINDS, statuses=ALLST, since=None):
    return sum(1 for u in plan_units(scope) for p in posts_of(u.code, kinds)
               if p.status in statuses and in_range(p, since))


def chief(c):
    return STAFF[c]['chief'][0]


def nreg(c, k):
    return sum(1 for p in STAFF[c][k] if p.status == 'regular')


PRED = {
    'chief_reg': lambda c: chief(c).status == 'regular',
    'chief_notreg': lambda c: chief(c).status != 'regular',
    'chief_vac': lambda c: chief(c).status == 'vacant',
    'chief_semi': lambda c: chief(c).status == 'semi',
    'chief_ontime': lambda c: chief(c).status == 'regular' and chief(c).since <= DEADLINE,
    'chief_late': lambda c: chief(c).status == 'regular' and chief(c).since > DEADLINE,
    'chief_2019': lambda c: chief(c).status == 'regular' and chief(c).since.year == 2019,
    'dep_none_reg': lambda c: nreg(c, 'deputy') == 0,
    'dep_some_reg': lambda c: nreg(c, 'deputy') > 0,
    'dep_all_reg': lambda c: nreg(c, 'deputy') == len(STAFF[c]['deputy']),
    'dep_not_all_reg': lambda c: nreg(c, 'deputy') < len(STAFF[c]['deputy']),
    'dep_two_reg': lambda c: nreg(c, 'deputy') >= 2,
    'off_all_reg': lambda c: nreg(c, 'officer') == len(STAFF[c]['officer']),
    'off_any_semi': lambda c: any(p.status == 'semi' for p in STAFF[c]['officer']),
    'off_any_vac': lambda c: any(p.status == 'vacant' for p in STAFF[c]['officer']),
    'any_vac': lambda c: any(p.status == 'vacant' for p in posts_of(c)),
    'all_reg': lambda c: all(p.status == 'regular' for p in posts_of(c)),
}

PRED_EN = {
    'chief_reg': 'chief is regular',
    'chief_notreg': 'chief not regular (semi or vacant)',
    'chief_vac': 'chief vacant',
    'chief_semi': 'chief semi-professional',
    'chief_ontime': 'chief regular with since <= 31/03/2020',
    'chief_late': 'chief regular with since > 31/03/2020',
    'chief_2019': 'chief regular with since in 2019',
    'dep_none_reg': 'no regular deputy at all',
    'dep_some_reg': 'at least one regular deputy',
    'dep_all_reg': 'every deputy regular',
    'dep_not_all_reg': 'at least one deputy not regular',
    'dep_two_reg': 'two (or more) regular deputies',
    'off_all_reg': 'every officer regular',
    'off_any_semi': 'at least one semi-professional officer',
    'off_any_vac': 'at least one vacant officer post',
    'any_vac': 'at least one vacant post of any kind',
    'all_reg': 'every post (chief, deputies, officers) regular',
}


def units_where(scope, pred, typ=None):
    f = PRED[pred]
    return [u for u in plan_units(scope) if f(u.code) and (typ is None or u.type == typ)]


def count_units(scope, pred):
    return len(units_where(scope, pred))


def share_units(scope, pred):
    return pct(count_units(scope, pred), len(plan_units(scope)))


def share_posts(scope, kinds, statuses):
    return pct(count_posts(scope, kinds, statuses), count_posts(scope, kinds))


def ranked(items, n=None, desc=True):
    """items: [(name, value)]. The first n names in order, or None when a tie
    makes the order (or the cut after n) undecided."""
    s = sorted(items, key=lambda x: -x[1] if desc else x[1])
    n = len(s) if n is None else n
    vals = [v for _, v in s]
    for i in range(min(n, len(s) - 1)):
        if vals[i] == vals[i + 1]:
            return None
    return [nm for nm, _ in s[:n]]


def district_scopes(pcode):
    return [('D', d) for d in DISTRICTS if DISTRICTS[d][3] == pcode
            and plan_units(('D', d))]


def province_scopes():
    return [('P', p) for p in sorted(PROVINCES)]


def scope_name(scope):
    k, c = scope
    if k == 'C':
        return BY_CODE[c].name
    if k == 'D':
        return DISTRICTS[c][1]
    if k == 'P':
        return PROVINCES[c][1]
    return 'Việt Nam'


def scope_label(scope):
    """English label for the note column."""
    k, c = scope
    if k == 'C':
        u = BY_CODE[c]
        return '%s %s (%s, %s)' % (u.type, u.name, u.dfull, c)
    if k == 'D':
        return '%s (%s)' % (DISTRICTS[c][0], c)
    if k == 'P':
        return 'province %s (%s)' % (PROVINCES[c][1], c)
    return 'the whole country'


def within(user, target):
    uk, uc = user
    tk, tc = target
    if uk == 'N':
        return True
    if tk == 'N':
        return False
    if uk == 'P':
        return (tk == 'P' and tc == uc) or (tk == 'D' and DISTRICTS[tc][3] == uc) or (
            tk == 'C' and BY_CODE[tc].pcode == uc)
    if uk == 'D':
        return (tk == 'D' and tc == uc) or (tk == 'C' and BY_CODE[tc].dcode == uc)
    return tk == 'C' and tc == uc


def resolve_commune(user, name, diac=True, typ=None, dname=None, pname=None):
    """How a commune named this way resolves for this user: ('ok', code) |
    ('clarify', codes) | ('refused', codes) | ('notfound', [])."""
    nk = key(name, diac)
    cands = [u for u in UNITS if key(u.name, diac) == nk]
    if typ:
        cands = [u for u in cands if u.type == typ]
    if dname:
        dk = key(dname, diac)
        cands = [u for u in cands if key(u.dname, diac) == dk]
    if pname:
        pk = key(pname, diac)
        cands = [u for u in cands if key(u.pname, diac) == pk]
    if user[0] != 'N':
        # a provincial bot: only the province's roster exists
        cands = [u for u in cands if u.pcode == HB]
    ins = [u for u in cands if within(user, ('C', u.code))]
    if len(ins) == 1:
        return 'ok', ins[0].code
    if len(ins) > 1:
        return 'clarify', [u.code for u in ins]
    if cands:
        return 'refused', [u.code for u in cands]
    return 'notfound', []


def resolve_district(user, name, diac=True, pname=None, dtype=None):
    nk = key(name, diac)
    cands = [d for d in DISTRICTS if key(DISTRICTS[d][1], diac) == nk]
    if dtype:
        cands = [d for d in cands if DISTRICTS[d][2] == dtype]
    if pname:
        cands = [d for d in cands if key(PROVINCES[DISTRICTS[d][3]][1], diac) == key(pname, diac)]
    if user[0] != 'N':
        cands = [d for d in cands if DISTRICTS[d][3] == HB]
    ins = [d for d in cands if within(user, ('D', d))]
    if len(ins) == 1:
        return 'ok', ins[0]
    if len(ins) > 1:
        return 'clarify', ins
    if cands:
        return 'refused', cands
    return 'notfound', []


# ---------------------------------------------------------------- questions: infrastructure

QR = random.Random(SEED + 1)
ROWS = []
ROLE_SCOPE = {'commune': 'C', 'district': 'D', 'province': 'P', 'national': 'N'}


def scope_col(user):
    return user[1] if user[0] != 'N' else 'VN'


def pick(seq):
    return QR.choice(seq)


def chance(p):
    return QR.random() < p


def emit(cls, user, text, expect, note, keep_spaces=False):
    role = {'C': 'commune', 'D': 'district', 'P': 'province', 'N': 'national'}[user[0]]
    text = text.strip() if keep_spaces else re.sub(r'\s+', ' ', text).strip()
    assert expect and '\t' not in text and '\n' not in text, (text, expect)
    ROWS.append(dict(cls=cls, role=role, scope=scope_col(user), question=text,
                     expect=expect, note=note))


def surface(text, diac, low=None):
    """Diacritics off when diac is False; lower-cased sometimes."""
    if not diac:
        text = strip(text)
        if low is None:
            low = chance(0.5)
    if low:
        text = text.lower()
    return text


def cap(s):
    return s[:1].upper() + s[1:] if s else s


# ---- how users name places

def p_self(user):
    k, c = user
    if k == 'C':
        u = BY_CODE[c]
        if u.type == 'thị trấn':
            return pick(['thị trấn mình', 'tt mình', 'TT em', 'mk', 'bên em', 'đơn vị em', 'thị trấn em'])
        return pick(['xã mình', 'xã em', 'mk', 'mik', 'xã tôi', 'bên em', 'xã t', 'đơn vị mình',
                     'xã mik', 'xã e', 'xã mk'])
    if k == 'D':
        if DISTRICTS[c][2] == 'Thành phố':
            return pick(['thành phố mình', 'tp mình', 'TP em', 'toàn thành phố', 'địa bàn thành phố', 'bên em'])
        return pick(['huyện mình', 'huyện em', 'toàn huyện', 'trên địa bàn huyện', 'h mình', 'huyện tôi',
                     'bên em', 'huyện mk', 'huyện e'])
    if k == 'P':
        return pick(['toàn tỉnh', 'cả tỉnh', 'tỉnh mình', 'toàn tỉnh Hòa Bình', 'trên địa bàn tỉnh', 'tỉnh ta'])
    return pick(['cả nước', 'toàn quốc', 'trên cả nước', 'cả nc', 'toàn quốc', 'cả nước'])


def dist_forms(d, bare_ok=True):
    full, name, typ, pc = DISTRICTS[d]
    if typ == 'Huyện':
        f = ['huyện {n}', 'Huyện {n}', 'H. {n}', 'h.{n}', 'H {n}', 'huyện {n}', 'huyện {n}']
    elif typ == 'Thành phố':
        f = ['thành phố {n}', 'TP {n}', 'tp {n}', 'TP. {n}', 'Tp {n}', 'thành phố {n}']
    elif typ == 'Thị xã':
        f = ['thị xã {n}', 'TX {n}', 'tx {n}', 'thị xã {n}']
    else:
        f = ['quận {n}', 'Q. {n}', 'quận {n}']
    if bare_ok and typ == 'Huyện':
        f += ['{n}', '{n}']
    return [x.format(n=name) for x in f]


def p_district(user, d, diac, bare_ok=True):
    """A phrase naming district d and how it resolves for this user."""
    full, name, typ, pc = DISTRICTS[d]
    national = user[0] == 'N'
    bare_ok = bare_ok and key(name) != key('Hòa Bình') and not national
    phrase = pick(dist_forms(d, bare_ok))
    res = resolve_district(user, name, diac)
    if national and res[0] != 'ok':
        pn = PROVINCES[pc][1]
        phrase = pick(['{d} tỉnh {p}', '{d}, {p}', '{d} ({p})', '{d} - {p}']).format(
            d=phrase if phrase != name else 'huyện ' + name, p=pn)
        res = resolve_district(user, name, diac, pname=pn)
    # a bare name that is also a commune name means the district (issue #10, class 3)
    bare = phrase == name
    return phrase, res, bare


TYPE_WORDS = {'xã': ['xã', 'xã', 'Xã', 'xã', 'X.', 'x.'], 'thị trấn': ['thị trấn', 'TT', 'tt', 'Thị trấn', 'TT.', 'thị trấn']}


def p_commune(user, code, diac, mode=None):
    """A phrase naming commune `code`; mode: typed | typed_d | bare_d | typed_dp.
    Returns phrase, resolution."""
    u = BY_CODE[code]
    national = user[0] == 'N'
    if mode is None:
        mode = pick(['typed', 'typed', 'typed_d', 'bare_d']) if not national else pick(['typed_dp', 'typed_dp', 'typed_d'])
    t = pick(TYPE_WORDS[u.type])
    dn = u.dname
    dt_ = {'Huyện': 'huyện', 'Thành phố': 'TP', 'Thị xã': 'TX', 'Quận': 'quận'}[u.dtype]
    typ = u.type
    if mode == 'typed':
        phrase, dname, pname = '%s %s' % (t, u.name), None, None
    elif mode == 'typed_d':
        phrase = pick(['{t} {n} {dt} {d}', '{t} {n}, {dt} {d}', '{t} {n} ({d})', '{t} {n} - {dt} {d}',
                       '{t} {n} {dt} {d}']).format(t=t, n=u.name, dt=dt_, d=dn)
        dname, pname = dn, None
    elif mode == 'bare_d':
        phrase = pick(['{n} {d}', '{n}, {d}', '{n} - {d}']).format(n=u.name, d=dn)
        dname, pname, typ = dn, None, None
    elif mode == 'typed_dp':
        phrase = pick(['{t} {n}, {dt} {d}, tỉnh {p}', '{t} {n} {dt} {d} tỉnh {p}', '{t} {n} ({dt} {d}, {p})']).format(
            t=t, n=u.name, dt=dt_, d=dn, p=u.pname)
        dname, pname = dn, u.pname
    elif mode == 'bare':
        phrase, dname, pname, typ = u.name, None, None, None
    else:
        raise ValueError(mode)
    res = resolve_commune(user, u.name, diac, typ=typ, dname=dname, pname=pname)
    if res[0] == 'ok' and res[1] != code:
        raise AssertionError('resolves elsewhere', phrase)
    return phrase, res


def bare_unique(name):
    """No district or commune anywhere shares this name (diacritics off)."""
    k = key(name, False)
    return not any(key(DISTRICTS[d][1], False) == k for d in DISTRICTS) and not any(
        key(u.name, False) == k for u in UNITS)


def p_province(pc):
    full, name = PROVINCES[pc]
    if full.startswith('Thành phố'):
        alias = {'Hồ Chí Minh': ['TP HCM', 'tp.HCM', 'TP Hồ Chí Minh', 'thành phố Hồ Chí Minh'],
                 'Hà Nội': ['Hà Nội', 'TP Hà Nội', 'thành phố Hà Nội', 'HN']}.get(
                     name, ['TP ' + name, 'thành phố ' + name] + ([name] if bare_unique(name) else []))
        return pick(alias)
    forms = ['tỉnh {n}', 'Tỉnh {n}', 'tỉnh {n}', 't. {n}']
    if bare_unique(name):
        forms.append('{n}')
    return pick(forms).format(n=name)


# ---- unit words

U_PLAIN = ['xã', 'xã', 'xã', 'xã']
U_BOTH = ['xã, thị trấn', 'xã, tt', 'xã/thị trấn', 'xã và thị trấn', 'xã, TT']


def unit_word(target, mid):
    """'xã' in staffing questions means every unit of the plan (xã and thị trấn).
    When a strict 'type xã only' reading would change the answer the question
    usually says 'xã, thị trấn'; otherwise the note is flagged [xã+tt]."""
    if target[0] in ('D', 'P', 'N') and strict_differs(lambda: measure_exp(mid, target)):
        if chance(0.7):
            return pick(U_BOTH), ''
        return pick(U_PLAIN), XA_FLAG
    return pick(U_PLAIN), ''


XA_FLAG = ' [xã+tt: reading "xã" as type xã only gives a different answer]'


def strict_differs(f):
    return f() != strict_value(f)


# ---- measures

KIND_SETS = {'chief': ('chief',), 'deputy': ('deputy',), 'officer': ('officer',), 'all': KINDS}
ST_SETS = {'regular': ('regular',), 'semi': ('semi',), 'vacant': ('vacant',), 'notreg': ('semi', 'vacant')}
KIND_EN = {'chief': 'chief posts', 'deputy': 'deputy posts', 'officer': 'officer posts', 'all': 'posts of all kinds'}
ST_EN = {'regular': 'regular', 'semi': 'semi-professional', 'vacant': 'vacant', 'notreg': 'not regular (semi+vacant)'}


def pred_of(mid):
    parts = mid.split(':')
    return parts[1] if parts[0] in ('cu', 'lu', 'shu') else None


T = {}   # measure id -> (full phrasings, abbreviated phrasings)


def tmpl(mid, reg):
    full, abbr = T[mid]
    if reg == 'full' or not abbr:
        return pick(full)
    if reg == 'abbr' or not full:
        return pick(abbr)
    return pick(full + abbr)


# ---- phrasings, written as officers type them. {X}: a place or "my unit"; {U}: the
# word for communes; {C}: a commune. First list: full words; second: abbreviations.

T['cu:chief_notreg'] = ([
    '{X} còn bao nhiêu {U} chưa có Trưởng Công an xã chính quy?',
    'Cho hỏi {X} hiện còn mấy {U} chưa có trưởng công an chính quy ạ',
    'Số {U} chưa bố trí được Trưởng Công an xã chính quy của {X} là bao nhiêu?',
    '{X} có bao nhiêu {U} chưa được bố trí trưởng công an là công an chính quy',
    'Hiện nay {X} còn bao nhiêu {U} mà trưởng CA vẫn chưa phải chính quy?',
    '{X} còn mấy {U} chưa có trưởng CA chính quy vậy',
], [
    '{X} còn bn {U} chưa có TCAX CQ',
    'sl {U} chưa có tcax cq {X}',
    '{X} con may {U} chua co TCAX cq vay',
    '{X} còn mấy {U} chưa có trưởng CAX CQ?',
    'tcax chưa cq: {X} còn mấy {U}',
    '{X} còn bao nhiêu {U} chưa có TCAX chính quy ạ',
])
T['cu:chief_reg'] = ([
    '{X} đã có bao nhiêu {U} có Trưởng Công an xã chính quy?',
    'Đến nay {X} được bao nhiêu {U} đã bố trí trưởng công an chính quy rồi?',
    'Bao nhiêu {U} của {X} đã có trưởng CA là chính quy',
    '{X} có mấy {U} đã có trưởng công an chính quy',
], [
    '{X} đc bn {U} có TCAX CQ r',
    '{X} đã có mấy {U} có tcax cq rồi',
    'sl {U} đã có TCAX chính quy {X}',
    '{X} dc bao nhieu {U} co TCAX CQ roi',
])
T['cu:dep_none_reg'] = ([
    '{X} có bao nhiêu {U} chưa có phó trưởng công an chính quy nào?',
    'Mấy {U} ở {X} chưa có một Phó Trưởng Công an xã chính quy nào?',
    '{X} còn bao nhiêu {U} mà chưa phó trưởng nào là chính quy',
    'Có bao nhiêu {U} thuộc {X} hoàn toàn chưa có phó trưởng CA chính quy?',
], [
    '{U} chưa có PTCAX CQ nào: {X} còn mấy',
    '{X} bn {U} ko có phó trưởng CQ nào',
    '{X} có mấy {U} chưa có ptcax cq nào vậy',
    '{X} mấy {U} chưa có PTCAX chính quy nào',
])
T['cu:dep_some_reg'] = ([
    '{X} có bao nhiêu {U} đã có ít nhất một phó trưởng chính quy?',
    'Bao nhiêu {U} ở {X} đã có phó trưởng công an chính quy (ít nhất 1 đồng chí)?',
], [
    '{X} mấy {U} có từ 1 PTCAX CQ trở lên',
    '{X} bn {U} đã có ptcax cq (ít nhất 1)',
])
T['cu:dep_all_reg'] = ([
    '{X} có bao nhiêu {U} mà tất cả phó trưởng đều đã là chính quy?',
    'Số {U} ở {X} đã chính quy hóa toàn bộ Phó Trưởng Công an xã',
], [
    '{X} mấy {U} đã cq hết PTCAX',
    '{X} có bn {U} PTCAX đều là CQ cả',
])
T['cu:dep_not_all_reg'] = ([
    '{X} còn bao nhiêu {U} có phó trưởng chưa chính quy?',
    'Bao nhiêu {U} của {X} chưa chính quy hóa hết phó trưởng công an?',
], [
    '{X} còn mấy {U} còn PTCAX chưa CQ',
])
T['cu:dep_two_reg'] = ([
    '{X} có mấy {U} đã đủ 2 phó trưởng chính quy?',
    'Bao nhiêu {U} của {X} có cả 2 phó trưởng công an là chính quy',
], [
    '{X} bn {U} có đủ 2 PTCAX CQ',
    '{X} mấy {U} có 2 phó CQ r',
])
T['cu:chief_vac'] = ([
    '{X} có bao nhiêu {U} đang khuyết Trưởng Công an xã?',
    '{X} còn mấy {U} trống trưởng công an, chưa có người?',
    '{X} còn bao nhiêu {U} bỏ trống chức danh trưởng CA xã',
], [
    'sl {U} khuyết tcax {X}',
    '{X} mấy {U} đang trống TCAX',
])
T['cu:chief_semi'] = ([
    '{X} còn bao nhiêu {U} mà trưởng công an vẫn là bán chuyên trách?',
], [
    '{X} mấy {U} tcax còn BCT',
    '{X} bn {U} TCAX vẫn là bán chuyên trách',
])
T['cu:all_reg'] = ([
    '{X} có bao nhiêu {U} đã chính quy toàn bộ (trưởng, phó và công an viên)?',
    'Mấy {U} ở {X} mà tất cả các chức danh đều đã là chính quy?',
], [
    '{X} có bn {U} đã cq 100% các vị trí',
    '{X} mấy {U} đã CQ hết cả TCAX, PTCAX lẫn CAV',
])
T['cu:any_vac'] = ([
    '{X} có bao nhiêu {U} còn vị trí bỏ trống?',
    '{X} có mấy {U} đang có chức danh khuyết người (bất kỳ chức danh nào)?',
], [
    'sl {U} còn chỗ trống {X}',
    '{X} bn {U} còn vị trí khuyết',
])
T['cu:off_any_semi'] = ([
    '{X} còn bao nhiêu {U} có công an viên bán chuyên trách?',
], [
    '{X} mấy {U} vẫn còn CAV BCT',
])
T['cu:off_all_reg'] = ([
    '{X} có mấy {U} đã chính quy hết công an viên?',
], [
    '{X} bn {U} toàn bộ CAV là CQ',
])
T['cu:off_any_vac'] = ([
    '{X} có bao nhiêu {U} còn bỏ trống vị trí công an viên?',
], [
    '{X} mấy {U} còn CAV trống',
])

T['lu:chief_notreg'] = ([
    '{U} nào ở {X} chưa có Trưởng Công an xã chính quy?',
    'Những {U} nào của {X} còn chưa có trưởng CA chính quy?',
    'Đề nghị liệt kê các {U} chưa có Trưởng Công an xã chính quy thuộc {X}',
    'Cho xin danh sách {U} chưa có trưởng công an chính quy ở {X}',
], [
    'ds {U} chưa có tcax cq {X}',
    '{X} còn {U} nào chưa có TCAX CQ k, kể tên',
    '{U} nao o {X} chua co TCAX CQ',
])
T['lu:chief_reg'] = ([
    '{U} nào ở {X} đã có Trưởng Công an xã chính quy?',
    'Kể tên các {U} của {X} đã bố trí xong trưởng công an chính quy',
], [
    'ds {U} đã có TCAX CQ {X}',
    '{X} những {U} nào có tcax cq r',
])
T['lu:dep_none_reg'] = ([
    '{U} nào ở {X} chưa có phó trưởng chính quy nào?',
    '{X}: những {U} nào chưa có một Phó Trưởng Công an xã chính quy nào?',
], [
    'ds {U} chưa có PTCAX CQ nào {X}',
    '{X} {U} nào ko có ptcax cq nào',
])
T['lu:dep_all_reg'] = ([
    '{U} nào của {X} đã chính quy hóa hết phó trưởng?',
], [
    '{X} {U} nào PTCAX đã CQ hết',
])
T['lu:all_reg'] = ([
    '{U} nào ở {X} đã chính quy 100% các chức danh?',
    '{X} những {U} nào đã hoàn thành chính quy hóa toàn bộ (trưởng, phó, công an viên)?',
], [
    'ds {U} đã cq hết các vị trí {X}',
])
T['lu:chief_vac'] = ([
    '{U} nào ở {X} đang khuyết Trưởng Công an xã?',
    'Những {U} nào của {X} còn trống trưởng công an?',
], [
    '{X} {U} nào đang trống TCAX',
    'ds {U} khuyết tcax {X}',
])
T['lu:chief_semi'] = ([
    '{U} nào ở {X} trưởng công an còn là bán chuyên trách?',
], [
    '{X} {U} nào tcax vẫn BCT',
])
T['lu:dep_two_reg'] = ([
    '{U} nào ở {X} đã có đủ 2 phó trưởng chính quy?',
], [
    'ds {U} có 2 PTCAX CQ {X}',
])
T['lu:off_all_reg'] = ([
    '{U} nào của {X} công an viên đã chính quy hết?',
], [
    '{X} {U} nào CAV cq 100%',
])

T['cp:officer:regular'] = ([
    '{X} có bao nhiêu công an viên chính quy?',
    '{X} hiện có mấy công an viên là chính quy',
    'Tổng số công an viên chính quy của {X} là bao nhiêu?',
], [
    'tổng số CAV CQ {X}',
    '{X} có bn cav cq',
    'sl CAV chính quy {X}',
])
T['cp:officer:notreg'] = ([
    '{X} còn bao nhiêu công an viên chưa chính quy?',
    '{X} còn thiếu bao nhiêu công an viên chính quy?',
], [
    '{X} còn mấy CAV chưa CQ',
    'sl cav chưa cq {X}',
    '{X} con bn CAV chua CQ',
])
T['cp:officer:semi'] = ([
    '{X} có bao nhiêu công an viên bán chuyên trách?',
    'Số công an viên còn là bán chuyên trách ở {X}?',
], [
    '{X} con bao nhieu CAV BCT',
    '{X} bn cav bct',
])
T['cp:officer:vacant'] = ([
    '{X} còn trống bao nhiêu vị trí công an viên?',
    '{X} đang khuyết mấy công an viên?',
], [
    '{X} khuyết mấy CAV',
    'sl cav trống {X}',
])
T['cp:deputy:regular'] = ([
    '{X} có bao nhiêu Phó Trưởng Công an xã chính quy?',
    'Số phó trưởng công an chính quy của {X}?',
], [
    'sl PTCAX CQ {X}',
    '{X} có mấy ptcax cq r',
])
T['cp:deputy:notreg'] = ([
    '{X} còn bao nhiêu phó trưởng công an chưa chính quy?',
], [
    '{X} còn mấy ptcax chưa cq',
])
T['cp:deputy:semi'] = ([
    'Số Phó Trưởng Công an xã bán chuyên trách của {X} là bao nhiêu?',
], [
    '{X} bn PTCAX BCT',
    '{X} còn mấy phó trưởng BCT',
])
T['cp:deputy:vacant'] = ([
    '{X} còn khuyết bao nhiêu phó trưởng công an?',
], [
    '{X} trống mấy PTCAX',
])
T['cp:chief:regular'] = ([
    '{X} có tổng cộng bao nhiêu trưởng công an chính quy?',
], [
    '{X} có bn TCAX CQ',
])
T['cp:all:semi'] = ([
    '{X} còn tổng cộng bao nhiêu người bán chuyên trách (cả trưởng, phó, công an viên)?',
    'Tổng số đồng chí bán chuyên trách ở tất cả các chức danh của {X}?',
    '{X} còn bao nhiêu cán bộ bán chuyên trách, tính cả trưởng, phó và CAV?',
], [
    '{X} tổng cộng còn bn người BCT (tcax+ptcax+cav)',
    'sl BCT tất cả chức danh {X}',
])
T['cp:all:vacant'] = ([
    '{X} có tổng số bao nhiêu vị trí đang bỏ trống?',
    '{X} còn trống bao nhiêu chỗ, tính tất cả chức danh?',
    'Tổng số vị trí khuyết của {X} là bao nhiêu?',
], [
    '{X} tổng bn vị trí trống',
    '{X} còn mấy chỗ khuyết (cả tcax, ptcax, cav)',
])
T['cp:all:regular'] = ([
    '{X} có tổng cộng bao nhiêu vị trí đã là chính quy (trưởng, phó, CAV)?',
    'Tổng số đồng chí chính quy đang giữ các chức danh công an xã ở {X}?',
], [
    '{X} tổng bn người CQ (tcax, ptcax, cav)',
])
T['cp:all:notreg'] = ([
    '{X} còn bao nhiêu vị trí chưa chính quy, tính tất cả các chức danh?',
    '{X} còn thiếu tổng cộng bao nhiêu vị trí chính quy?',
], [
    '{X} tổng còn mấy vị trí chưa CQ',
])

T['shu:chief_reg'] = ([
    'Tỉ lệ {U} có Trưởng Công an xã chính quy của {X} là bao nhiêu?',
    '{X} được bao nhiêu phần trăm {U} đã có trưởng công an chính quy?',
    'Tỷ lệ {U} đã bố trí trưởng CA chính quy ở {X}?',
], [
    '{X} đạt bao nhiêu % {U} có TCAX CQ',
    'ti le {U} co tcax cq {X}',
    '% {U} có TCAX CQ {X}',
])
T['shu:chief_notreg'] = ([
    'Tỉ lệ {U} chưa có trưởng công an chính quy ở {X}?',
], [
    'bao nhiêu % {U} của {X} vẫn chưa có tcax cq',
])
T['shu:dep_none_reg'] = ([
    '{X}: tỉ lệ {U} chưa có phó trưởng chính quy nào là bao nhiêu phần trăm?',
], [
    '% {U} chưa có PTCAX CQ nào {X}',
])
T['shu:all_reg'] = ([
    'Tỉ lệ {U} đã chính quy toàn bộ các chức danh của {X}?',
], [])
T['shp:officer:regular'] = ([
    'Tỉ lệ công an viên chính quy của {X} là bao nhiêu?',
    '{X}: công an viên đã chính quy được bao nhiêu phần trăm?',
], [
    '% cav cq {X}',
    'tỉ lệ CAV CQ {X}',
    '{X} CAV đc bn % CQ r',
])
T['shp:deputy:regular'] = ([
    'Tỉ lệ phó trưởng công an xã đã là chính quy ở {X}?',
    'Bao nhiêu phần trăm phó trưởng công an ở {X} là chính quy?',
], [
    '{X} bn % PTCAX là CQ',
    'tỉ lệ ptcax cq {X}',
])
T['shp:all:regular'] = ([
    'Tỉ lệ chính quy hóa chung các chức danh (trưởng, phó, công an viên) của {X}?',
    '{X} đã chính quy được bao nhiêu phần trăm tổng số vị trí?',
], [
    'tỉ lệ CQ chung TCAX+PTCAX+CAV {X}',
])
T['shp:officer:semi'] = ([
    'Tỉ lệ công an viên còn bán chuyên trách ở {X}?',
], [
    '% CAV BCT {X}',
])
T['shp:all:notreg'] = ([
    '{X} còn bao nhiêu phần trăm vị trí chưa chính quy (tất cả chức danh)?',
], [
    '% vị trí chưa CQ {X} (tcax, ptcax, cav)',
])

T['yn:chief_reg'] = ([
    '{C} đã có Trưởng Công an xã chính quy chưa?',
    'Trưởng công an {C} đã là chính quy chưa?',
    '{C} có trưởng CA chính quy chưa vậy?',
], [
    '{C} có tcax cq chưa',
    'tcax {C} cq chưa?',
    '{C} da co TCAX CQ chua',
])
T['yn:off_any_semi'] = ([
    '{C} còn công an viên bán chuyên trách không?',
], [
    '{C} còn CAV BCT k',
    '{C} con cav bct ko',
])
T['yn:any_vac'] = ([
    '{C} có vị trí nào đang bỏ trống không?',
    '{C} còn chức danh nào khuyết người không?',
], [
    '{C} còn chỗ nào trống ko',
    '{C} có vị trí nào khuyết hok',
])
T['yn:dep_two_reg'] = ([
    '{C} đã đủ 2 phó trưởng chính quy chưa?',
    'Cả 2 phó trưởng công an {C} đã là chính quy chưa?',
], [
    '{C} đủ 2 PTCAX CQ chưa',
    'cả 2 phó của {C} cq chưa',
])
T['yn:all_reg'] = ([
    '{C} đã chính quy hóa hết tất cả các chức danh chưa?',
    '{C} đã hoàn thành chính quy toàn bộ trưởng, phó, công an viên chưa?',
], [
    '{C} đã cq 100% chưa',
])
T['yn:dep_some_reg'] = ([
    '{C} đã có phó trưởng công an chính quy nào chưa?',
], [
    '{C} có PTCAX CQ nào chưa',
])
T['yn:chief_ontime'] = ([
    '{C} có bố trí được Trưởng Công an xã chính quy kịp mốc quý I/2020 không?',
    'Trưởng CA chính quy của {C} có về trước 31/3/2020 không?',
], [
    '{C} có tcax cq đúng hạn (trước 31/03/2020) ko',
])
T['yn:dep_all_reg'] = ([
    'Các phó trưởng công an {C} đã chính quy hết chưa?',
], [
    'PTCAX {C} đã CQ hết chưa',
])
T['yn:off_all_reg'] = ([
    '{C} đã chính quy hết công an viên chưa?',
], [
    'CAV {C} cq hết chưa',
])



# ---------------------------------------------------------------- question builders

def describe(mid, where):
    parts = mid.split(':')
    m = parts[0]
    if m == 'cu':
        return 'number of communes in %s where %s' % (where, PRED_EN[parts[1]])
    if m == 'lu':
        return 'list of communes in %s where %s' % (where, PRED_EN[parts[1]])
    if m == 'cp':
        return 'number of %s %s in %s' % (KIND_EN[parts[1]], ST_EN[parts[2]], where)
    if m == 'shu':
        return 'share of communes in %s where %s' % (where, PRED_EN[parts[1]])
    if m == 'shp':
        return 'share of %s that are %s in %s' % (KIND_EN[parts[1]], ST_EN[parts[2]], where)
    if m == 'yn':
        return 'yes/no: in %s, %s' % (where, PRED_EN[parts[1]])
    if m == 'cps':
        return 'number of regular %s in %s whose since date is %s' % (KIND_EN[parts[1]], where, range_en(parts))
    raise ValueError(mid)


def measure_exp(mid, target):
    parts = mid.split(':')
    m = parts[0]
    if m == 'cu':
        return 'number:%d' % count_units(target, parts[1])
    if m == 'lu':
        return 'names:' + '|'.join(u.name for u in units_where(target, parts[1]))
    if m == 'cp':
        return 'number:%d' % count_posts(target, KIND_SETS[parts[1]], ST_SETS[parts[2]])
    if m == 'shu':
        return 'percent:' + share_units(target, parts[1])
    if m == 'shp':
        return 'percent:' + share_posts(target, KIND_SETS[parts[1]], ST_SETS[parts[2]])
    if m == 'yn':
        assert target[0] == 'C'
        return 'yes' if PRED[parts[1]](target[1]) else 'no'
    if m == 'cps':
        return 'number:%d' % count_posts(target, KIND_SETS[parts[1]], ('regular',), since_range(parts))
    raise ValueError(mid)


def since_range(parts):
    lo = dt.date.fromisoformat(parts[2]) if parts[2] else None
    hi = dt.date.fromisoformat(parts[3]) if parts[3] else None
    return lo, hi


def range_en(parts):
    lo, hi = since_range(parts)
    if lo and hi:
        return 'from %s to %s' % (vdate(lo), vdate(hi))
    if lo:
        return 'on or after %s' % vdate(lo)
    return 'on or before %s' % vdate(hi)


REASON = {
    'refused': 'the place exists but is outside the user\'s scope: no data may be given',
    'notfound': 'no such place in the roster the user can see: say so, suggest names, give no figures',
    'clarify': 'the place name is ambiguous here: the bot should ask which one',
}


def fill(t, X, U=''):
    s = t.format(X=X, U=U, C=X)
    for a, b in (('của trên ', 'trên '), ('ở trên ', 'trên '), ('thuộc trên ', 'trên '), ('tại trên ', 'trên '),
                 ('của toàn quốc', 'toàn quốc'), ('thuộc toàn tỉnh', 'trong toàn tỉnh')):
        s = s.replace(a, b)
    if s.startswith(X) and chance(0.5):
        s = cap(s)
    return s


def ask(cls, user, mid, target, X, reg='any', diac=True, low=None, res='ok', where=None,
        extra='', wrap=None, t=None, keep_spaces=False, desc=None):
    """Emit one question asking measure `mid` about `target`, phrased with X."""
    pred = pred_of(mid)
    t = t or tmpl(mid, reg)
    U, flag = pick(U_PLAIN), ''
    if res == 'ok' and '{U}' in t:
        U, flag = unit_word(target, mid)
    elif res == 'ok' and pred and target[0] != 'C' and not re.search(r'\btt\b|thị trấn', t, re.I) and \
            strict_differs(lambda: measure_exp(mid, target)):
        flag = XA_FLAG
    text = fill(t, X, U)
    if wrap:
        text = wrap(text)
    text = surface(text, diac, low)
    if res == 'ok':
        exp = measure_exp(mid, target)
        note = describe(mid, scope_label(target)) + flag
    else:
        exp = res
        note = (desc or describe(mid, where or X)) + '; ' + REASON[res]
    emit(cls, user, text, exp, note + extra, keep_spaces=keep_spaces)
    return exp


def holder_exp(code, kind, slot=1, since=False):
    p = STAFF[code][kind][slot - 1]
    if p.status == 'vacant':
        return 'holder:-'
    e = 'holder:' + p.holder
    if since:
        assert p.since
        e += ';since:' + vdate(p.since)
    return e


# ---- rankings and comparisons

def group_value(scope, vid):
    p = vid.split(':')
    if p[0] == 'u':
        return count_units(scope, p[1])
    if p[0] == 'p':
        return count_posts(scope, KIND_SETS[p[1]], ST_SETS[p[2]])
    if p[0] == 'su':
        return Decimal(share_units(scope, p[1]))
    if p[0] == 'sp':
        return Decimal(share_posts(scope, KIND_SETS[p[1]], ST_SETS[p[2]]))
    if p[0] == 'ps':
        return count_posts(scope, KIND_SETS[p[1]], ('regular',), since_range(p))
    raise ValueError(vid)


def value_exp(scope, vid):
    v = group_value(scope, vid)
    return ('percent:%s' % v) if vid.startswith('s') else ('number:%d' % v)


VID_EN = {
    'u': lambda p: 'number of communes where ' + PRED_EN[p[1]],
    'p': lambda p: 'number of %s %s' % (KIND_EN[p[1]], ST_EN[p[2]]),
    'su': lambda p: 'share of communes where ' + PRED_EN[p[1]],
    'sp': lambda p: 'share of %s that are %s' % (KIND_EN[p[1]], ST_EN[p[2]]),
    'ps': lambda p: 'number of regular %s whose since date is %s' % (KIND_EN[p[1]], range_en(p)),
}


def vid_en(vid):
    p = vid.split(':')
    return VID_EN[p[0]](p)


def vid_pred(vid):
    p = vid.split(':')
    return p[1] if p[0] in ('u', 'su') else None


def groups_of(scope):
    """The units a ranking inside `scope` ranks."""
    k, c = scope
    if k == 'N':
        return province_scopes()
    if k == 'P':
        return district_scopes(c)
    if k == 'D':
        return [('C', u.code) for u in plan_units(scope)]
    raise ValueError(scope)


def rank_in(scope, vid, n, desc, exclude=None):
    gs = [g for g in groups_of(scope) if not exclude or not exclude(g)]
    return ranked([(scope_name(g), group_value(g, vid)) for g in gs], n, desc)


def is_city_level(g):
    k, c = g
    if k == 'D':
        return DISTRICTS[c][2] != 'Huyện'
    if k == 'P':
        return PROVINCES[c][0].startswith('Thành phố')
    if k == 'C':
        return BY_CODE[c].type != 'xã'
    return False


GROUP_WORDS = {
    'P': (['huyện'], ['huyện, thành phố', 'huyện/thành phố', 'đơn vị cấp huyện', 'huyện, TP']),
    'N': (['tỉnh'], ['tỉnh, thành phố', 'tỉnh/thành', 'tỉnh, TP', 'địa phương']),
    'D': (['xã'], ['xã, thị trấn', 'xã/thị trấn', 'xã, tt']),
}

RK = {
    ('u:chief_notreg', True, 1): ['{G} nào còn nhiều {U} chưa có Trưởng Công an xã chính quy nhất?',
                                  '{X}: {G} nào còn nhiều {U} chưa có TCAX CQ nhất?',
                                  '{G} nao con nhieu {U} chua co tcax cq nhat',
                                  'Trong {X}, {G} nào chậm nhất, còn nhiều {U} chưa có trưởng CA chính quy nhất?'],
    ('u:chief_notreg', True, 3): ['Top 3 {G} còn nhiều {U} chưa có TCAX CQ nhất?',
                                  '3 {G} nào còn nhiều {U} chưa có trưởng CA chính quy nhất ({X})?'],
    ('u:dep_none_reg', True, 1): ['{G} nào có nhiều {U} chưa có phó trưởng chính quy nào nhất?',
                                  '{X} {G} nào nhiều {U} ko có PTCAX CQ nào nhất'],
    ('u:dep_none_reg', True, 3): ['Top 3 {G} nhiều {U} chưa có phó trưởng chính quy nào nhất'],
    ('p:officer:notreg', True, 1): ['{G} nào còn nhiều công an viên chưa chính quy nhất?',
                                    '{X}: {G} nào nhiều CAV chưa CQ nhất'],
    ('p:officer:notreg', True, 3): ['Top 3 {G} còn nhiều CAV chưa CQ nhất',
                                    'Ba {G} nào còn nhiều công an viên chưa chính quy nhất?',
                                    'top 3 {G} nhieu cav chua cq nhat {X}'],
    ('p:officer:regular', False, 1): ['{G} nào có ít công an viên chính quy nhất?',
                                      '{X} {G} nào ít CAV CQ nhất'],
    ('p:deputy:semi', False, 1): ['{G} nào ít phó trưởng bán chuyên trách nhất?'],
    ('p:all:vacant', True, 1): ['{G} nào có nhiều vị trí bỏ trống nhất?',
                                '{G} nào khuyết nhiều người nhất (tính tất cả chức danh)?'],
    ('p:all:vacant', True, 3): ['top 3 {G} nhiều vị trí trống nhất'],
    ('su:chief_reg', True, 1): ['{G} nào có tỉ lệ {U} có TCAX chính quy cao nhất?'],
    ('su:chief_reg', False, 1): ['{G} nào có tỉ lệ {U} có trưởng CA chính quy thấp nhất?',
                                 '{X} {G} nào tỉ lệ {U} có TCAX CQ thấp nhất'],
    ('sp:officer:regular', True, None): ['Xếp hạng các {G} theo tỉ lệ công an viên chính quy, từ cao xuống thấp',
                                         'xep hang cac {G} theo ti le CAV CQ (cao den thap)'],
    ('sp:officer:regular', False, 3): ['Top 3 {G} có tỉ lệ CAV chính quy thấp nhất?',
                                       '3 {G} có tỉ lệ công an viên chính quy thấp nhất là những {G} nào?'],
    ('p:all:notreg', True, None): ['Xếp hạng các {G} theo số vị trí chưa chính quy (nhiều nhất trước)',
                                   'sắp xếp {G} theo số vị trí chưa CQ giảm dần'],
    ('sp:all:regular', True, None): ['Xếp hạng {G} theo tỉ lệ chính quy chung (trưởng, phó, CAV), cao nhất trước'],
    ('sp:all:regular', True, 3): ['3 {G} có tỉ lệ chính quy chung (tính cả trưởng, phó, CAV) cao nhất?'],
    ('sp:deputy:regular', True, 1): ['{G} nào có tỉ lệ PTCAX chính quy cao nhất?'],
    ('p:all:semi', True, 1): ['{G} nào còn nhiều người bán chuyên trách nhất (cả trưởng, phó, CAV)?'],
    ('p:all:semi', True, 3): ['top 3 {G} còn nhiều BCT nhất (tcax, ptcax, cav)'],
    ('ps:chief:2020-01-01:2020-03-31', True, 1): ['{G} nào bố trí được nhiều TCAX CQ nhất trong quý I/2020?',
                                                  'quý 1/2020 {G} nào bố trí được nhiều trưởng CA chính quy nhất'],
    ('ps:deputy:2021-01-01:2021-12-31', True, 1): ['Năm 2021 {G} nào bố trí được nhiều phó trưởng chính quy nhất?'],
    ('ps:deputy:2020-01-01:2020-12-31', True, 3): ['Top 3 {G} bố trí được nhiều PTCAX CQ nhất trong năm 2020'],
    ('ps:deputy:2021-01-01:2021-12-31', True, 3): ['3 {G} nào bố trí nhiều PTCAX CQ nhất năm 2021?'],
}


def ask_rank(cls, user, scope, vid, desc, n, X=None, diac=True, low=None, t=None, wrap=None, extra=''):
    """A ranking inside `scope`; returns False when ties leave it undecided."""
    names = rank_in(scope, vid, n, desc)
    if names is None:
        return False
    strict = rank_in(scope, vid, n, desc, exclude=is_city_level)
    plain, both = GROUP_WORDS[scope[0]]
    flag = ''
    if strict != names:
        if chance(0.7):
            G = pick(both)
        else:
            G = pick(plain)
            flag += ' [the city-level units (thành phố / thị trấn) count in this ranking]'
    else:
        G = pick(plain + plain + both)
    pred = vid_pred(vid)
    U = 'xã'
    if scope[0] == 'D':
        U = G
    elif pred and strict_value(lambda: rank_in(scope, vid, n, desc)) != names:
        if chance(0.7):
            U = pick(U_BOTH)
        else:
            flag += XA_FLAG
    cands = [x for x in RK[(vid, desc, n)]] if t is None else [t]
    if X is None:
        X = p_self(user)
        if scope != user:
            raise ValueError('ranking outside the user scope needs a place phrase')
    if scope != user:
        cands = [c for c in cands if '{X}' in c] or ['{X}: ' + c for c in cands]
    text = pick(cands).format(G=G, U=U, X=X)
    if not text.startswith(X):
        text = cap(text)
    if wrap:
        text = wrap(text)
    text = surface(text, diac, low)
    what = 'top %d' % n if n else 'full ranking'
    emit(cls, user, text, 'ranked:' + '|'.join(names),
         '%s (%s) of the units of %s by %s%s%s' % (
             'highest first' if desc else 'lowest first', what, scope_label(scope), vid_en(vid), flag, extra))
    return True


CMP = {
    ('u:chief_notreg', 'nums'): ['So sánh {A} và {B}: mỗi nơi còn bao nhiêu {U} chưa có TCAX chính quy?',
                                 '{A} với {B} mỗi bên còn mấy {U} chưa có trưởng CA chính quy?',
                                 'so sanh {A} voi {B} ve so {U} chua co tcax cq'],
    ('p:officer:notreg', 'which'): ['{A} với {B} bên nào còn nhiều CAV chưa CQ hơn?',
                                    '{A} hay {B} còn nhiều công an viên chưa chính quy hơn?'],
    ('su:chief_reg', 'which'): ['{A} và {B}, nơi nào có tỉ lệ {U} có trưởng CA chính quy cao hơn?'],
    ('p:deputy:regular', 'nums'): ['So sánh số phó trưởng chính quy giữa {A} và {B}',
                                   '{A} và {B} mỗi nơi có bao nhiêu PTCAX CQ?'],
    ('u:dep_none_reg', 'which'): ['{A} hay {B} nhiều {U} chưa có phó trưởng CQ nào hơn?'],
    ('p:all:vacant', 'nums'): ['So sánh số vị trí bỏ trống của {A} và {B}',
                               '{A}, {B}: mỗi nơi khuyết bao nhiêu vị trí?'],
    ('sp:officer:regular', 'nums'): ['So sánh tỉ lệ CAV chính quy của {A} với {B}'],
    ('p:officer:regular', 'which'): ['{A} với {B} chỗ nào nhiều CAV chính quy hơn?'],
}


def ask_compare(cls, user, scopes, phrases, vid, form, diac=True, low=None, t=None, extra=''):
    vals = [group_value(s, vid) for s in scopes]
    if not any(vals):
        return False
    if form == 'which':
        if len(set(vals)) != len(vals):
            return False
        exp = 'names:' + scope_name(scopes[vals.index(max(vals))])
    else:
        exp = ' && '.join(value_exp(s, vid) for s in scopes)
    pred = vid_pred(vid)
    U, flag = 'xã', ''
    if pred and any(s[0] != 'C' for s in scopes) and strict_differs(
            lambda: [group_value(s, vid) for s in scopes] if form == 'nums' else
            max(range(len(scopes)), key=lambda i: group_value(scopes[i], vid))):
        if chance(0.7):
            U = pick(U_BOTH)
        else:
            flag = XA_FLAG
    if t is None:
        t = pick(CMP[(vid, form)])
    if len(scopes) == 3:
        phrases = [phrases[0] + ', ' + phrases[1], phrases[2]]
    text = cap(t.format(A=phrases[0], B=phrases[1], U=U))
    text = surface(text, diac, low)
    emit(cls, user, text, exp, '%s: %s%s%s' % (
        'which is higher' if form == 'which' else 'each value in the order asked',
        vid_en(vid) + ' in ' + ' vs '.join(scope_label(s) for s in scopes), flag, extra))
    return True


HOLD = {
    'chief': ['Ai đang là Trưởng Công an {C}?', 'Trưởng CA {C} là ai vậy?', 'tcax {C} là đ/c nào',
              'Cho hỏi đồng chí trưởng công an {C} tên gì?', 'TCAX {C} la ai'],
    'chief_since': ['Trưởng Công an {C} là ai, làm từ khi nào?', 'TCAX {C} là ai, CQ từ bao giờ',
                    'Ai là trưởng CA {C}, nhận nhiệm vụ từ ngày nào?'],
    'since': ['Trưởng CA {C} nhận nhiệm vụ từ ngày nào?', 'tcax {C} về từ bao giờ?',
              'Trưởng công an {C} là chính quy từ ngày nào?'],
    'deputy1': ['Phó trưởng CA {C} là ai?', 'PTCAX {C} là đồng chí nào', 'phó trưởng công an {C} tên gì'],
    'deputies': ['Các phó trưởng công an {C} là những ai?', 'ds PTCAX {C}, ghi rõ họ tên',
                 'phó trưởng CA {C} gồm những ai'],
    'deputy2': ['Phó trưởng công an thứ 2 của {C} là ai?', 'PTCAX số 2 {C} là ai'],
    'officer': ['Công an viên số {k} của {C} là ai?', 'CAV {k} {C} là đ/c nào'],
}


def ask_holder(cls, user, code, C, form, diac=True, low=None, k=1, wrap=None, extra=''):
    st = STAFF[code]
    if form == 'chief':
        exp = holder_exp(code, 'chief')
        en = 'who holds the chief post'
    elif form == 'chief_since':
        if not st['chief'][0].since:
            return False
        exp = holder_exp(code, 'chief', since=True)
        en = 'who holds the chief post and since when'
    elif form == 'since':
        if not st['chief'][0].since:
            return False
        exp = 'since:' + vdate(st['chief'][0].since)
        en = 'since when the (regular) chief holds the post'
    elif form == 'deputy1':
        if len(st['deputy']) != 1:
            return False
        exp = holder_exp(code, 'deputy')
        en = 'who holds the (only) deputy post'
    elif form == 'deputies':
        exp = ' && '.join(holder_exp(code, 'deputy', i + 1) for i in range(len(st['deputy'])))
        en = 'who hold the deputy posts, in slot order (holder:- = vacant)'
    elif form == 'deputy2':
        if len(st['deputy']) != 2:
            return False
        exp = holder_exp(code, 'deputy', 2)
        en = 'who holds deputy slot 2'
    elif form == 'officer':
        if len(st['officer']) < k:
            return False
        exp = holder_exp(code, 'officer', k)
        en = 'who holds officer slot %d' % k
    else:
        raise ValueError(form)
    text = pick(HOLD[form]).format(C=C, k=k)
    text = cap(text)
    if wrap:
        text = wrap(text)
    text = surface(text, diac, low)
    if exp == 'holder:-':
        en += ' (the post is vacant: the answer must say so)'
    emit(cls, user, text, exp, en + ' in ' + scope_label(('C', code)) + extra)
    return True


def hb_communes(cond=None, dcode=None):
    return [u.code for u in HB_PLAN if (cond is None or cond(u.code)) and (dcode is None or u.dcode == dcode)]


def two_dep(c):
    return len(STAFF[c]['deputy']) == 2


def one_dep(c):
    return len(STAFF[c]['deputy']) == 1


# ---- choosing what to ask about

NAT_PROVS = [p for p in sorted(PROVINCES) if p != HB]


def area_target(user, diac, self_p=0.35):
    """An area (not a single commune) inside the user's scope, and its phrase."""
    k, c = user
    if k == 'C':
        return user, p_self(user)
    if chance(self_p):
        return user, p_self(user)
    if k == 'D':
        ph, res, bare = p_district(user, c, diac)
        assert res == ('ok', c), (ph, res)
        return user, ph
    if k == 'P':
        d = pick(HB_DISTRICTS)
        ph, res, bare = p_district(user, d, diac)
        assert res == ('ok', d), (ph, res)
        return ('D', d), ph
    if chance(0.7):
        p = pick(NAT_PROVS + [HB])
        return ('P', p), p_province(p)
    while True:
        d = pick(list(DISTRICTS))
        if not plan_units(('D', d)):
            continue
        ph, res, bare = p_district(user, d, diac)
        if res == ('ok', d):
            return ('D', d), ph


def commune_target(user, diac, cond=None, mode=None, tries=200):
    """A commune inside the user's scope meeting cond, and its phrase."""
    k, c = user
    if k == 'C':
        if cond and not cond(c):
            return None, None
        return user, p_self(user)
    if k == 'N':
        pool = [u.code for u in PLAN] if chance(0.7) else [u.code for u in HB_PLAN]
    else:
        pool = [u.code for u in plan_units(user)]
    pool = [x for x in pool if cond is None or cond(x)]
    for _ in range(tries):
        code = pick(pool)
        ph, res = p_commune(user, code, diac, mode)
        if res == ('ok', code):
            return ('C', code), ph
    raise AssertionError('no resolvable commune')


def list_ok(target, pred, lo=1, hi=12):
    return lo <= count_units(target, pred) <= hi


def generic(cls, user, mids, reg='any', diac_p=0.5, n=1, commune_p=0.0):
    """n questions on measures drawn from mids about places in the user's scope."""
    done = 0
    while done < n:
        mid = pick(mids)
        diac = chance(diac_p)
        if mid.startswith('yn:') or (mid.split(':')[0] in ('cp', 'shp') and chance(commune_p)):
            cond = two_dep if mid == 'yn:dep_two_reg' else None
            target, X = commune_target(user, diac, cond)
            if target is None:
                continue
        else:
            if mid.split(':')[0] in ('cu', 'lu', 'shu') and user[0] == 'C':
                continue
            target, X = area_target(user, diac)
            if target[0] == 'C':
                continue
        if mid.startswith('lu:') and not list_ok(target, pred_of(mid)):
            continue
        ask(cls, user, mid, target, X, reg=reg, diac=diac)
        done += 1


def custom(cls, user, mid, t, target=None, X=None, diac=True, low=None, extra='', wrap=None):
    """A hand-written phrasing; the expectation is still computed."""
    if target is None:
        target = user
    if X is None:
        X = p_self(target) if target == user else ''
    return ask(cls, user, mid, target, X, diac=diac, low=low, t=t, extra=extra, wrap=wrap)


def communes_for_users(n, cond=None):
    pool = hb_communes(cond)
    return QR.sample(pool, min(n, len(pool)))


# ---------------------------------------------------------------- class 1: abbreviations

def class1():
    C = 1
    # commune users: their own commune, in the police's and texters' shorthand
    forms = [
        ('yn:chief_reg', 'tcax {X} cq r hả'),
        ('yn:chief_reg', '{X} có tcax cq chưa ạ'),
        ('cp:officer:regular', '{X} dc may cav cq r'),
        ('cp:officer:semi', 'e hỏi chút, sl cav bct của {X} là bn ạ'),
        ('cp:deputy:regular', 'ptcax {X} dc mấy đ/c cq rùi'),
        ('cp:all:vacant', '{X} còn trống mấy chỗ, tính cả tcax, ptcax, cav'),
        ('cp:all:notreg', '{X} còn thiếu mấy vị trí CQ hok'),
        ('yn:off_any_semi', '{X} còn cav bct ko'),
        ('yn:any_vac', '{X} có chỗ nào trống k'),
        ('yn:dep_two_reg', '{X} đủ 2 ptcax cq chưa'),
        ('cp:officer:notreg', 'cav {X} còn mấy đ/c chưa cq'),
        ('shp:officer:regular', 'tỉ lệ cav cq của {X} dc bn %'),
        ('cp:deputy:notreg', '{X} còn mấy PTCAX chưa CQ vậy'),
        ('yn:all_reg', '{X} cq hết các chức danh r đúng ko'),
        ('cp:officer:vacant', 'CAV {X} khuyết mấy đ/c'),
        ('yn:chief_reg', 'TCAX {X} là CQ hay BCT, CQ r phải ko'),
    ]
    for mid, t in forms:
        cond = two_dep if mid == 'yn:dep_two_reg' else None
        user = ('C', communes_for_users(1, cond)[0])
        custom(C, user, mid, t, diac=chance(0.6), low=True)
    for mid, t, cond in [('cp:officer:regular', '{X} đc mấy CAV CQ rùi', None),
                         ('cp:officer:regular', 'tình hình CAV CQ của {X} ntn, đc mấy đ/c rồi', None),
                         ('yn:chief_reg', 'tcax {X} dc cq chưa hay vẫn bct', None)]:
        user = ('C', communes_for_users(1, cond)[0])
        custom(C, user, mid, t, diac=True, low=True)
    for form, t in [('chief', 'tcax {C} tên j'), ('deputy1', 'ptcax {C} là đ/c nào v'), ('deputy1', 'phó trưởng {C} tên j')]:
        for code in communes_for_users(30):
            if form == 'deputy1' and not one_dep(code):
                continue
            user = ('C', code)
            exp = holder_exp(code, 'chief' if form == 'chief' else 'deputy')
            text = surface(t.format(C=p_self(user)), chance(0.5), True)
            emit(C, user, text, exp, 'who holds the %s post in %s' % (
                'chief' if form == 'chief' else '(only) deputy', scope_label(user)))
            break

    # district users
    dforms = [
        ('cu:chief_notreg', 'CAH mình cần sl {U} chưa có TCAX CQ', None),
        ('cu:chief_notreg', 'tình hình TCAX CQ {X} ntn, còn mấy {U} chưa có', None),
        ('lu:chief_notreg', 'ds {U} chưa có tcax cq {X}', None),
        ('cu:dep_none_reg', '{X} bn {U} ko có phó trưởng CQ nào', None),
        ('cp:officer:notreg', '{X} con bn CAV chua CQ', None),
        ('shu:chief_reg', '% {U} có TCAX CQ {X}', None),
        ('cp:deputy:semi', 'PTCAX BCT {X} còn bn đ/c', None),
        ('cp:all:semi', 'sl BCT (tcax+ptcax+cav) {X} còn bn', None),
        ('lu:dep_none_reg', '{X} {U} nào ko có ptcax cq nào, gửi ds', None),
        ('cu:chief_vac', 'sl {U} khuyết tcax {X}', None),
    ]
    for i, (mid, t, _) in enumerate(dforms):
        d = HB_DISTRICTS[i % len(HB_DISTRICTS)]
        user = ('D', d)
        if mid.startswith('lu:') and not list_ok(user, pred_of(mid)):
            d = next(x for x in HB_DISTRICTS if list_ok(('D', x), pred_of(mid)))
            user = ('D', d)
        custom(C, user, mid, t, diac=chance(0.5))
    # the seat town, typed tt / TT
    for d in ('150', '154', '156', '159'):
        user = ('D', d)
        seat = next(u for u in plan_units(user) if u.type == 'thị trấn')
        t = pick(['tt {n} có tcax cq chưa', 'TT {n} đã có TCAX CQ chưa ạ', 'tt {n} tcax cq r hả'])
        ask(C, user, 'yn:chief_reg', ('C', seat.code), '', t=t.format(n=seat.name), diac=chance(0.5))
    custom(C, ('D', '148'), 'cu:dep_none_reg', 'tp mình còn mấy xã chưa có PTCAX CQ nào', diac=False, low=True,
           extra=' ("tp" = thành phố, not phó)')
    for d in QR.sample(HB_DISTRICTS, 3):
        ask_rank(C, ('D', d), ('D', d), 'p:officer:notreg', True, 1,
                 t='xã nào {X} nhiều cav chưa cq nhất', X=p_self(('D', d)), diac=chance(0.5))
    for d in QR.sample(HB_DISTRICTS, 3):
        generic(C, ('D', d), ['cu:chief_reg', 'cp:officer:regular', 'shp:officer:regular', 'cp:deputy:regular'],
                reg='abbr')

    # province users
    P = ('P', HB)
    pforms = [
        ('cu:dep_none_reg', 'tp hòa bình còn mấy xã chưa có PTCAX CQ nào', ('D', '148'),
         ' ("tp" = thành phố Hòa Bình, not "phó")'),
        ('cp:officer:regular', 'h. Lạc Sơn sl cav cq', ('D', '157'), ''),
        ('cp:deputy:semi', 'toàn tỉnh sl ptcax bct', P, ''),
        ('lu:chief_vac', 'ds xã, tt khuyết tcax toàn tỉnh', P, ''),
        ('shu:chief_reg', '% xã, tt có tcax cq toàn tỉnh', P, ''),
        ('yn:chief_reg', 'tt Bo đã có TCAX CQ chưa', ('C', '04978'), ''),
        ('yn:chief_reg', 'x. Tân Lập có tcax cq chưa', ('C', '05287'), ''),
        ('cu:chief_notreg', 'CAH Kim Bôi báo còn mấy xã chưa có tcax cq', ('D', '153'),
         ' (CAH = Công an huyện)'),
        ('cp:officer:semi', 'TT Chi Nê còn mấy cav bct', ('C', '05392'), ''),
        ('cu:dep_none_reg', 'h.Tân Lạc mấy xã chưa có ptcax cq nào', ('D', '155'), ''),
        ('cp:all:vacant', 'TP HB tổng bn vị trí trống (tcax, ptcax, cav)', ('D', '148'),
         ' (TP HB = thành phố Hòa Bình)'),
        ('shp:deputy:regular', 'tỉ lệ ptcax cq h Mai Châu', ('D', '156'), ''),
        ('cp:officer:notreg', 'sl cav chưa cq của x. Vũ Bình', ('C', '05335'), ''),
    ]
    for mid, t, target, extra in pforms:
        ask(C, P, mid, target, '', t=t, diac=chance(0.5), extra=extra)
    generic(C, P, ['cu:chief_notreg', 'cp:officer:notreg', 'shu:chief_reg', 'cu:dep_none_reg', 'yn:chief_reg',
                   'cp:deputy:regular', 'yn:off_any_semi'], reg='abbr', n=5)

    # national users
    N = ('N', '')
    nforms = [
        ('cu:chief_notreg', 'cả nc còn bn xã chưa có TCAX CQ', N),
        ('cp:officer:regular', 'tp hcm có bn cav cq', ('P', '79')),
        ('cp:deputy:semi', 'sl ptcax bct toàn quốc', N),
        ('shu:chief_reg', 't. Sơn La % xã có tcax cq', ('P', '14')),
        ('cu:chief_notreg', 'HN còn mấy xã chưa có tcax cq', ('P', '01')),
        ('cp:all:vacant', 'toàn quốc tổng bn vị trí trống (tcax, ptcax, cav)', N),
        ('shp:officer:regular', '% cav cq cả nc', N),
    ]
    for mid, t, target in nforms:
        ask(C, N, mid, target, '', t=t, diac=chance(0.5))
    generic(C, N, ['cu:chief_notreg', 'cp:officer:notreg', 'shu:chief_reg', 'cp:deputy:regular', 'yn:chief_reg',
                   'cu:dep_none_reg'], reg='abbr', n=6)


# ---------------------------------------------------------------- class 2: composed measures

def class2():
    C = 2
    # commune users: regular counts, all semi-professionals, shares, none/some, holders
    mids = ['cp:all:regular', 'cp:all:semi', 'cp:deputy:regular', 'cp:officer:regular', 'shp:officer:regular',
            'shp:all:regular', 'shp:deputy:regular', 'yn:dep_some_reg', 'yn:dep_all_reg', 'yn:off_all_reg',
            'cp:all:vacant', 'shp:all:notreg']
    for mid in mids:
        user = ('C', communes_for_users(1)[0])
        ask(C, user, mid, user, p_self(user), diac=chance(0.6))
    for form in ('chief_since', 'deputies', 'officer', 'deputy2'):
        for code in communes_for_users(40):
            user = ('C', code)
            if ask_holder(C, user, code, p_self(user), form, diac=chance(0.6), k=QR.randint(1, 3)):
                break

    # district users
    dm = ['lu:chief_reg', 'lu:dep_none_reg', 'lu:all_reg', 'lu:dep_two_reg', 'lu:dep_all_reg',
          'cu:dep_none_reg', 'cu:dep_not_all_reg', 'cu:dep_some_reg', 'shu:chief_reg', 'shp:officer:regular',
          'shp:all:regular', 'shu:dep_none_reg', 'cp:all:semi', 'cp:all:regular']
    for i, mid in enumerate(dm):
        for _ in range(50):
            d = pick(HB_DISTRICTS)
            user = ('D', d)
            if not mid.startswith('lu:') or list_ok(user, pred_of(mid), 1, 16):
                break
        diac = chance(0.5)
        X = p_self(user) if chance(0.6) else p_district(user, d, diac)[0]
        ask(C, user, mid, user, X, diac=diac)
    n = 0
    for vid, desc, k in [('p:officer:notreg', True, 1), ('p:all:vacant', True, 1), ('p:officer:notreg', True, 3),
                         ('p:all:semi', True, 3), ('p:officer:regular', False, 1)]:
        for d in QR.sample(HB_DISTRICTS, len(HB_DISTRICTS)):
            user = ('D', d)
            if ask_rank(C, user, user, vid, desc, k, diac=chance(0.5)):
                break
    for vid, form in [('p:officer:notreg', 'which'), ('p:all:vacant', 'nums'), ('p:deputy:regular', 'nums'),
                      ('p:officer:regular', 'which')]:
        for _ in range(50):
            d = pick(HB_DISTRICTS)
            user = ('D', d)
            a, b = QR.sample(hb_communes(dcode=d), 2)
            diac = chance(0.5)
            pa, ra = p_commune(user, a, diac, 'typed')
            pb, rb = p_commune(user, b, diac, 'typed')
            if ra[0] == rb[0] == 'ok' and ask_compare(C, user, [('C', a), ('C', b)], [pa, pb], vid, form, diac=diac):
                break
    for form in ('chief', 'deputies', 'chief_since'):
        d = pick(HB_DISTRICTS)
        user = ('D', d)
        target, X = commune_target(user, chance(0.5), mode='typed')
        ask_holder(C, user, target[1], X, form, diac=True)

    # province users
    P = ('P', HB)
    for key_ in RK:
        vid, desc, k = key_
        if ask_rank(C, P, P, vid, desc, k, diac=chance(0.5)):
            n += 1
    for vid, form in list(CMP):
        for _ in range(50):
            ds = QR.sample(HB_DISTRICTS, 3 if chance(0.2) and form == 'nums' else 2)
            diac = chance(0.5)
            phr = [p_district(P, d, diac)[0] for d in ds]
            if ask_compare(C, P, [('D', d) for d in ds], phr, vid, form, diac=diac):
                break
    for mid in ['shu:chief_reg', 'shp:all:regular', 'cp:all:regular', 'cp:all:semi', 'lu:chief_reg', 'lu:all_reg',
                'cu:dep_some_reg', 'cu:dep_none_reg', 'lu:dep_two_reg', 'shu:all_reg']:
        for _ in range(50):
            diac = chance(0.5)
            target, X = area_target(P, diac, self_p=0.4)
            if not mid.startswith('lu:') or list_ok(target, pred_of(mid), 1, 16):
                ask(C, P, mid, target, X, diac=diac)
                break
    target, X = commune_target(P, True, mode='typed_d')
    ask_holder(C, P, target[1], X, 'deputies')

    # national users
    N = ('N', '')
    for vid, desc, k in [('u:chief_notreg', True, 1), ('sp:officer:regular', False, 3), ('p:all:vacant', True, 3),
                         ('su:chief_reg', True, 1), ('su:chief_reg', False, 1), ('sp:all:regular', True, 3),
                         ('u:dep_none_reg', True, 3)]:
        ask_rank(C, N, N, vid, desc, k, diac=chance(0.5))
    for pc in QR.sample(NAT_PROVS, 8):
        vid, desc, k = pick([('p:officer:notreg', True, 1), ('u:chief_notreg', True, 1), ('su:chief_reg', False, 1),
                             ('p:all:vacant', True, 3)])
        if ask_rank(C, N, ('P', pc), vid, desc, k, X=p_province(pc), diac=chance(0.5)):
            n += 1
    for vid, form in [('u:chief_notreg', 'nums'), ('su:chief_reg', 'which'), ('p:deputy:regular', 'nums'),
                      ('sp:officer:regular', 'nums'), ('p:officer:notreg', 'which')]:
        for _ in range(50):
            ps = QR.sample(NAT_PROVS, 2)
            if ask_compare(C, N, [('P', p) for p in ps], [p_province(p) for p in ps], vid, form, diac=chance(0.5)):
                break
    for mid in ['shu:chief_reg', 'shp:all:regular', 'cp:all:regular', 'cp:all:semi', 'cu:dep_some_reg']:
        ask(C, N, mid, N, p_self(N), diac=chance(0.5))


# ---------------------------------------------------------------- class 3: places named with their district

COMMUNE_MIDS = ['yn:chief_reg', 'cp:officer:notreg', 'cp:officer:regular', 'cp:all:vacant', 'yn:any_vac',
                'cp:deputy:regular', 'yn:off_any_semi', 'cp:all:semi', 'cp:all:notreg']
AREA_MIDS = ['cu:chief_notreg', 'cu:dep_none_reg', 'cp:officer:notreg', 'shu:chief_reg', 'cp:all:vacant',
             'cu:chief_reg', 'cp:deputy:regular']


def ask_commune_named(cls, user, phrase, name, want, typ=None, dname=None, pname=None, diac=True, extra='',
                      mids=COMMUNE_MIDS, low=None):
    """A question about the commune the user names `phrase`; `want` is the
    resolution the script must find (a check on the reasoning)."""
    res = resolve_commune(user, name, diac, typ=typ, dname=dname, pname=pname)
    assert res[0] == want[0] and (want[0] != 'ok' or res[1] == want[1]), (phrase, res, want)
    mid = pick(mids)
    if res[0] == 'ok':
        return ask(cls, user, mid, ('C', res[1]), phrase, diac=diac, extra=extra, low=low)
    labs = [scope_label(('C', c)) for c in res[1]]
    if len(labs) > 3:
        labs = labs[:3] + ['and %d more' % (len(labs) - 3)]
    where = '"%s" (%s)' % (phrase, ', '.join(labs) or 'no such commune')
    return ask(cls, user, mid, None, phrase, diac=diac, res=res[0], where=where, extra=extra, low=low)


def ask_district_named(cls, user, phrase, name, want, pname=None, diac=True, extra='', mids=AREA_MIDS, low=None,
                       dtype=None):
    res = resolve_district(user, name, diac, pname=pname, dtype=dtype)
    assert res[0] == want[0] and (want[0] != 'ok' or res[1] == want[1]), (phrase, res, want)
    mid = pick(mids)
    if res[0] == 'ok':
        return ask(cls, user, mid, ('D', res[1]), phrase, diac=diac, extra=extra, low=low)
    labs = [scope_label(('D', d)) for d in res[1]]
    if len(labs) > 3:
        labs = labs[:3] + ['and %d more' % (len(labs) - 3)]
    where = '"%s" (%s)' % (phrase, ', '.join(labs) or 'no such district')
    return ask(cls, user, mid, None, phrase, diac=diac, res=res[0], where=where, extra=extra, low=low)


SEAT = ' (a bare name that is both the district and its seat town means the district)'


def class3():
    C = 3
    ok = lambda c: ('ok', c)
    # commune users: their own commune named with its district, old spellings; a namesake elsewhere is refused
    for code in communes_for_users(6):
        user = ('C', code)
        diac = chance(0.5)
        ph, res = p_commune(user, code, diac, pick(['typed_d', 'bare_d']))
        assert res == ('ok', code)
        ask(C, user, pick(COMMUNE_MIDS), user, ph, diac=diac, extra=' (the user names the own commune with its district)')
    for code, phrase, name, diac in [('05143', 'xã Mĩ Hòa', 'Mĩ Hòa', True), ('05356', 'xã Lạc Sĩ', 'Lạc Sĩ', True),
                                     ('05269', 'Quí Hòa', 'Quí Hòa', True), ('04867', 'xã Tú Lí', 'Tú Lí', True),
                                     ('04945', 'xã Hoà Sơn', 'Hoà Sơn', True), ('05017', 'Xuân Thuỷ', 'Xuân Thuỷ', True)]:
        ask_commune_named(C, ('C', code), phrase, name, ok(code), diac=diac,
                          extra=' (old i/y spelling or tone placement of the own commune)')
    for user_code, phrase, name, dname in [('04876', 'xã Cao Sơn huyện Lương Sơn', 'Cao Sơn', 'Lương Sơn'),
                                           ('05380', 'xã Đoàn Kết huyện Đà Bắc', 'Đoàn Kết', 'Đà Bắc'),
                                           ('05284', 'Vân Sơn, Tân Lạc', 'Vân Sơn', 'Tân Lạc'),
                                           ('05041', 'xã Thành Sơn (Mai Châu)', 'Thành Sơn', 'Mai Châu')]:
        ask_commune_named(C, ('C', user_code), phrase, name, ('refused',), dname=dname,
                          extra=' (a namesake or near-namesake of the user\'s own commune, in another district)')
    for user_code, phrase, name in [('05089', 'Cao Phong', 'Cao Phong'), ('05200', 'Mai Châu', 'Mai Châu')]:
        ask_district_named(C, ('C', user_code), phrase, name, ('refused',), mids=['cu:chief_notreg', 'cu:chief_reg'],
                           extra=SEAT + '; the user is the seat town, not the district')
    ask_commune_named(C, ('C', '05200'), 'tt Mai Châu', 'Mai Châu', ok('05200'), typ='thị trấn')

    # district users: a name shared with another district resolves inside their own district
    for d, phrase, name, code, diac in [('150', 'xã Cao Sơn', 'Cao Sơn', '04876', True),
                                        ('152', 'xa cao son', 'Cao Sơn', '04957', False),
                                        ('150', 'xã Đoàn Kết', 'Đoàn Kết', '04858', True),
                                        ('158', 'doan ket', 'Đoàn Kết', '05380', False),
                                        ('152', 'xa thanh son', 'Thanh Sơn', '05041', False),
                                        ('156', 'thanh son', 'Thành Sơn', '05254', False),
                                        ('155', 'xa van son', 'Vân Sơn', '05176', False),
                                        ('157', 'van son', 'Văn Sơn', '05284', False)]:
        ask_commune_named(C, ('D', d), phrase, name, ok(code), diac=diac, low=True,
                          extra=' (the name exists in another district too; only one is in the user\'s district)')
    for d, phrase, name, dname in [('150', 'xã Đoàn Kết huyện Yên Thủy', 'Đoàn Kết', 'Yên Thủy'),
                                   ('157', 'Vân Sơn Tân Lạc', 'Vân Sơn', 'Tân Lạc'),
                                   ('152', 'xã Thành Sơn, Mai Châu', 'Thành Sơn', 'Mai Châu')]:
        ask_commune_named(C, ('D', d), phrase, name, ('refused',), dname=dname)
    for d, phrase, name, dname in [('153', 'xã Tân Lập huyện Kim Bôi', 'Tân Lập', 'Kim Bôi'),
                                   ('157', 'xã Đoàn Kết huyện Lạc Sơn', 'Đoàn Kết', 'Lạc Sơn')]:
        ask_commune_named(C, ('D', d), phrase, name, ('notfound',), dname=dname,
                          extra=' (the name exists, but not in the district named)')
    for d, phrase, name, code in [('157', 'xã Mĩ Thành', 'Mĩ Thành', '05275'), ('158', 'Lạc Sĩ', 'Lạc Sĩ', '05356'),
                                  ('155', 'xã Mĩ Hòa', 'Mĩ Hòa', '05143'), ('150', 'xã Tú Lí', 'Tú Lí', '04867'),
                                  ('155', 'xã Ngọc Mĩ', 'Ngọc Mĩ', '05170')]:
        ask_commune_named(C, ('D', d), phrase, name, ok(code), extra=' (old i/y spelling)')
    for d, name in [('154', 'Cao Phong'), ('156', 'Mai Châu'), ('152', 'Lương Sơn'), ('150', 'Đà Bắc')]:
        diac = chance(0.5)
        ask_district_named(C, ('D', d), name, name, ok(d), diac=diac, extra=SEAT)
        seat = next(u for u in plan_units(('D', d)) if u.type == 'thị trấn' and u.name == name)
        ask_commune_named(C, ('D', d), pick(['tt ', 'thị trấn ', 'TT ']) + name, name, ok(seat.code), typ='thị trấn',
                          diac=diac)
    ask_commune_named(C, ('D', '153'), 'xã Kim Bôi', 'Kim Bôi', ok('05065'), typ='xã',
                      extra=' (xã Kim Bôi, not the district)')
    ask_district_named(C, ('D', '153'), 'Kim Bôi', 'Kim Bôi', ok('153'),
                       mids=['cu:chief_notreg', 'cu:dep_none_reg', 'shu:chief_reg'],
                       extra=' (bare "Kim Bôi" in a question about communes: the district)')
    ask_commune_named(C, ('D', '148'), 'xã Hòa Bình', 'Hòa Bình', ok('04825'), typ='xã')

    # province users
    P = ('P', HB)
    for phrase, name, diac, typ in [('xã Cao Sơn', 'Cao Sơn', True, 'xã'), ('Cao Sơn', 'Cao Sơn', True, None),
                                    ('xã Đoàn Kết', 'Đoàn Kết', True, 'xã'), ('doan ket', 'Đoàn Kết', False, None),
                                    ('xa van son', 'Văn Sơn', False, 'xã'), ('thanh son', 'Thanh Sơn', False, None)]:
        ask_commune_named(C, P, phrase, name, ('clarify',), typ=typ, diac=diac, low=not diac,
                          extra=' (two communes of the province answer to this name)')
    for phrase, name, dname, code, diac in [('Cao Sơn Đà Bắc', 'Cao Sơn', 'Đà Bắc', '04876', True),
                                            ('cao son luong son', 'Cao Sơn', 'Lương Sơn', '04957', False),
                                            ('xã Đoàn Kết huyện Yên Thủy', 'Đoàn Kết', 'Yên Thủy', '05380', True),
                                            ('doan ket yen thuy', 'Đoàn Kết', 'Yên Thủy', '05380', False),
                                            ('Đoàn Kết (Đà Bắc)', 'Đoàn Kết', 'Đà Bắc', '04858', True),
                                            ('van son tan lac', 'Vân Sơn', 'Tân Lạc', '05176', False),
                                            ('xa thanh son huyen mai chau', 'Thành Sơn', 'Mai Châu', '05254', False)]:
        ask_commune_named(C, P, phrase, name, ok(code), dname=dname, diac=diac, low=not diac,
                          extra=' (a shared name, made unique by its district)')
    for phrase, name, code in [('xã Văn Sơn', 'Văn Sơn', '05284'), ('xã Vân Sơn', 'Vân Sơn', '05176'),
                               ('xã Thành Sơn', 'Thành Sơn', '05254'), ('xã Thanh Sơn', 'Thanh Sơn', '05041')]:
        ask_commune_named(C, P, phrase, name, ok(code), typ='xã',
                          extra=' (typed with diacritics, the name is unique; without them it would not be)')
    for phrase, name, dname in [('xã Đoàn Kết huyện Lạc Sơn', 'Đoàn Kết', 'Lạc Sơn'),
                                ('Tân Lập, Kim Bôi', 'Tân Lập', 'Kim Bôi')]:
        ask_commune_named(C, P, phrase, name, ('notfound',), dname=dname,
                          extra=' (the name exists, but not in the district named: never answer for the namesake)')
    for d, name in [('154', 'Cao Phong'), ('156', 'Mai Châu'), ('152', 'Lương Sơn'), ('150', 'Đà Bắc')]:
        diac = chance(0.5)
        ask_district_named(C, P, name, name, ok(d), diac=diac, extra=SEAT)
    for code, phrase, name in [('05089', 'thị trấn Cao Phong', 'Cao Phong'), ('05200', 'TT Mai Châu', 'Mai Châu'),
                               ('04924', 'tt Lương Sơn', 'Lương Sơn')]:
        ask_commune_named(C, P, phrase, name, ok(code), typ='thị trấn')
    ask_district_named(C, P, 'Kim Bôi', 'Kim Bôi', ok('153'), mids=['cu:chief_notreg', 'cu:dep_none_reg'],
                       extra=' (bare "Kim Bôi" in a question about communes: the district)')
    ask_commune_named(C, P, 'xã Kim Bôi', 'Kim Bôi', ok('05065'), typ='xã')
    ask_commune_named(C, P, 'xã Hòa Bình', 'Hòa Bình', ok('04825'), typ='xã')
    ask_district_named(C, P, 'tp Hòa Bình', 'Hòa Bình', ok('148'), dtype='Thành phố')
    for t in ['Hòa Bình còn bao nhiêu xã chưa có TCAX chính quy?', 'hoa binh co bao nhieu cav chua cq']:
        emit(C, P, t, 'clarify', 'bare "Hòa Bình" is the province, the city (thành phố) and a commune (xã): ask')
    for phrase, name, code in [('xã Mĩ Hòa', 'Mĩ Hòa', '05143'), ('Lạc Sĩ', 'Lạc Sĩ', '05356'),
                               ('xã Quí Hòa', 'Quí Hòa', '05269'), ('Tú Lí', 'Tú Lí', '04867'),
                               ('xã Hoà Sơn', 'Hoà Sơn', '04945'), ('xã Xuân Thuỷ', 'Xuân Thuỷ', '05017'),
                               ('xã Thống Nhất', 'Thống Nhất', '05425')]:
        ask_commune_named(C, P, phrase, name, ok(code), typ='xã' if phrase.startswith('xã') else None,
                          extra=' (old i/y spelling or tone placement)' if name != 'Thống Nhất' else
                          ' (xã Thống Nhất is in Lạc Thủy; phường Thống Nhất of the city is not in the plan)')
    for phrase, name, d in [('huyện Yên Thuỷ', 'Yên Thuỷ', '158'), ('H. Lạc Thuỷ', 'Lạc Thuỷ', '159')]:
        ask_district_named(C, P, phrase, name, ok(d), extra=' (new-style tone placement)')

    # national users
    N = ('N', '')
    ask_commune_named(C, N, 'xã Tân Lập', 'Tân Lập', ('clarify',), typ='xã',
                      extra=' (many communes of the country have this name)')
    ask_commune_named(C, N, 'xã Tân Lập huyện Lạc Sơn tỉnh Hòa Bình', 'Tân Lập', ok('05287'), typ='xã',
                      dname='Lạc Sơn', pname='Hòa Bình')
    ask_commune_named(C, N, 'xa doan ket, yen thuy, hoa binh', 'Đoàn Kết', ok('05380'), typ='xã', dname='Yên Thủy',
                      pname='Hòa Bình', diac=False, low=True)
    ask_district_named(C, N, 'huyện Châu Thành', 'Châu Thành', ('clarify',),
                       extra=' (several provinces have a huyện Châu Thành)')
    ask_district_named(C, N, 'huyện Châu Thành tỉnh Tiền Giang', 'Châu Thành', ok(
        next(d for d in DISTRICTS if DISTRICTS[d][1] == 'Châu Thành' and DISTRICTS[d][3] == '82')), pname='Tiền Giang')
    emit(C, N, 'Hòa Bình còn bao nhiêu xã chưa có trưởng CA chính quy?', 'clarify',
         'bare "Hòa Bình": a province, a city and several communes of the country: ask')
    ask(C, N, 'shu:chief_reg', ('P', HB), 'tỉnh Hoà Bình', diac=True, extra=' (new-style tone placement "Hoà")')
    ask_district_named(C, N, 'tp Hòa Bình', 'Hòa Bình', ok('148'), dtype='Thành phố',
                       extra=' (the only thành phố Hòa Bình; huyện Hòa Bình of Bạc Liêu is a huyện)')
    ask_district_named(C, N, 'huyện Kì Sơn', 'Kì Sơn', ok(next(d for d in DISTRICTS if DISTRICTS[d][1] == 'Kỳ Sơn')),
                       extra=' (old spelling Kì = Kỳ; since the 2019 merger the only huyện Kỳ Sơn is in Nghệ An)')
    ask(C, N, 'cu:chief_notreg', ('P', '56'), 'tỉnh Khánh Hoà', extra=' (tone placement "Hoà")')
    for _ in range(4):
        diac = chance(0.5)
        target, X = commune_target(N, diac, mode=pick(['typed_dp', 'typed_d']))
        ask(C, N, pick(COMMUNE_MIDS), target, X, diac=diac, extra=' (a commune named with its district)')


# ---------------------------------------------------------------- class 4: words that collide without diacritics

Q2_2020 = ':2020-04-01:2020-06-30'
Y2021 = ':2021-01-01:2021-12-31'


def class4():
    C = 4
    D = lambda d: ('D', d)
    Cm = lambda c: ('C', c)
    P = ('P', HB)
    N = ('N', '')
    rows = [
        # phố / phó, tp = thành phố
        (P, 'tp hoa binh con bao nhieu xa chua co pho truong chinh quy nao', 'cu:dep_none_reg', D('148'),
         '"tp" = thành phố; "pho truong" = phó trưởng'),
        (P, 'thanh pho hoa binh co bao nhieu pho truong cong an chinh quy', 'cp:deputy:regular', D('148'),
         '"thanh pho" = thành phố, "pho truong" = phó trưởng'),
        (D('148'), 'pho truong cq cua tp minh co bao nhieu', 'cp:deputy:regular', D('148'), '"tp minh" = my city'),
        (N, 'tp ho chi minh con bao nhieu pho truong ban chuyen trach', 'cp:deputy:semi', ('P', '79'),
         '"tp" = thành phố, "pho truong" = phó trưởng'),
        (Cm('04897'), 'pho truong xa minh cq chua', 'yn:dep_all_reg', Cm('04897'),
         '"xa minh" = my commune (Thịnh Minh), "pho" = phó'),
        # hạn / hẳn
        (P, 'co bao nhieu xa bo tri tcax cq dung han (truoc 31/3/2020)', 'cu:chief_ontime', P,
         '"dung han" = đúng hạn (on time)'),
        (D('157'), 'huyen minh co may xa co truong ca chinh quy dung han quy I/2020', 'cu:chief_ontime', D('157'),
         '"han" = hạn; "quy" = quý, not xã Quý Hòa'),
        (Cm('05104'), 'xa minh da chinh quy han chua', 'yn:all_reg', Cm('05104'),
         '"chinh quy han" = chính quy hẳn (entirely regular), not hạn'),
        (D('153'), 'xa nao o huyen minh da chinh quy han 100% cac chuc danh', 'lu:all_reg', D('153'),
         '"han" = hẳn'),
        # xã chưa / Chư Á
        (N, 'ca nuoc con bao nhieu xa chua co truong cong an chinh quy', 'cu:chief_notreg', N,
         '"xa chua" is not xã Chư Á'),
        (N, 'tinh gia lai con bao nhieu xa chua co TCAX CQ', 'cu:chief_notreg', ('P', '64'),
         '"xa chua" is not xã Chư Á (which is in Gia Lai)'),
        (N, 'xa chu a tp pleiku co tcax cq chua', 'yn:chief_reg', Cm('23599'), 'this one IS xã Chư Á'),
        (P, 'xa chua co pho truong cq nao o huyen cao phong la nhung xa nao', 'lu:dep_none_reg', D('154'), ''),
        # thanh tra / Thanh Sơn, Thanh Cao
        (P, 'doan thanh tra tinh hoi: luong son con may xa chua co tcax cq', 'cu:chief_notreg', D('152'),
         '"thanh tra" is not xã Thanh Sơn / Thanh Cao of Lương Sơn'),
        (D('152'), 'chuan bi thanh tra, huyen minh con bao nhieu cav chua cq', 'cp:officer:notreg', D('152'),
         '"thanh tra" is not a place'),
        # báo cáo / Cao
        (P, 'de nghi bao cao so xa chua co tcax cq cua huyen luong son', 'cu:chief_notreg', D('152'),
         '"bao cao" is not xã Cao Sơn / Cao Dương / Thanh Cao'),
        (D('154'), 'bao cao nhanh cao phong con may cav chua cq', 'cp:officer:notreg', D('154'),
         '"bao cao" = báo cáo; bare "cao phong" = the district'),
        # bỏ trống, toàn bộ / thị trấn Bo
        (D('153'), 'kim boi co bao nhieu vi tri bo trong', 'cp:all:vacant', D('153'),
         '"bo trong" = bỏ trống, not thị trấn Bo; bare "kim boi" = the district'),
        (P, 'toan bo cac xa cua huyen kim boi con bao nhieu cav chua cq', 'cp:officer:notreg', D('153'),
         '"toan bo" = toàn bộ, not thị trấn Bo'),
        (P, 'tt bo con bo trong vi tri nao khong', 'yn:any_vac', Cm('04978'), '"tt bo" = thị trấn Bo; "bo trong" = bỏ trống'),
        (Cm('04978'), 'tt minh con bo trong may vi tri', 'cp:all:vacant', Cm('04978'), 'the user is thị trấn Bo'),
        # chỉ đạo / xã Chí Đạo
        (D('157'), 'theo chi dao cua tinh, de nghi thong ke so xa chua co tcax cq cua huyen', 'cu:chief_notreg',
         D('157'), '"chi dao" = chỉ đạo, not xã Chí Đạo of Lạc Sơn'),
        (P, 'lanh dao chi dao bao cao: lac son con bao nhieu cav bct', 'cp:officer:semi', D('157'),
         '"chi dao" = chỉ đạo'),
        (P, 'xa chi dao huyen lac son co tcax cq chua', 'yn:chief_reg', Cm('05323'), 'this one IS xã Chí Đạo'),
        # họp / Hợp Thành, Hợp Tiến, Hợp Phong
        (D('148'), 'chieu nay hop thanh uy, tp minh con may xa chua co ptcax cq nao', 'cu:dep_none_reg', D('148'),
         '"hop thanh uy" = họp Thành ủy, not xã Hợp Thành'),
        (D('153'), 'mai hop huyen, kim boi con may xa chua co tcax cq', 'cu:chief_notreg', D('153'),
         '"hop" = họp, not xã Hợp Tiến; "mai" = tomorrow'),
        (D('154'), 'sang nay hop, cao phong con bao nhieu cav chua cq', 'cp:officer:notreg', D('154'),
         '"hop" = họp, not xã Hợp Phong'),
        # mình / Minh
        (Cm('04813'), 'xa minh co tcax cq chua', 'yn:chief_reg', Cm('04813'),
         '"xa minh" = my commune (Yên Mông), not xã Thịnh Minh / Trung Minh'),
        (D('150'), 'huyen minh con may xa chua co tcax cq', 'cu:chief_notreg', D('150'),
         '"minh" = mình, not xã Tân Minh'),
        (D('148'), 'tp minh co bao nhieu cav cq', 'cp:officer:regular', D('148'), '"minh" = mình'),
        # năm / Nam, từ / Tú
        (D('153'), 'tu nam 2020 den nay kim boi bo tri duoc bao nhieu tcax cq', 'cps:chief:2020-01-01:', D('153'),
         '"tu nam" = từ năm, not xã Tú Sơn / Nam Thượng'),
        (D('154'), 'nam 2021 huyen minh co them bao nhieu ptcax cq', 'cps:deputy' + Y2021, D('154'),
         '"nam" = năm, not xã Nam Phong'),
        (D('150'), 'tu thang 1/2021 den het nam 2021 huyen minh bo tri them may ptcax cq', 'cps:deputy' + Y2021,
         D('150'), '"tu" = từ, not xã Tú Lý'),
        # quý / Quý Hòa / chính quy
        (D('157'), 'quy II/2020 huyen minh bo tri them duoc may pho truong chinh quy', 'cps:deputy' + Q2_2020,
         D('157'), '"quy II" = quý II, not xã Quý Hòa'),
        (P, 'trong quy I/2020 lac son bo tri duoc bao nhieu tcax cq', 'cps:chief:2020-01-01:2020-03-31', D('157'),
         '"quy I" = quý I'),
        # sáng / Đú Sáng, cuối / Cuối Hạ
        (D('153'), 'sang nay ubnd huyen hoi kim boi con may xa chua co tcax cq', 'cu:chief_notreg', D('153'),
         '"sang" = sáng, not xã Đú Sáng'),
        (D('153'), 'den cuoi nam 2020 kim boi da bo tri duoc bao nhieu ptcax cq', 'cps:deputy::2020-12-31', D('153'),
         '"cuoi" = cuối, not xã Cuối Hạ'),
        # mai / Mai Châu, Mai Hạ
        (D('156'), 'mai bao cao huyen, mai chau con may xa chua co ptcax cq nao', 'cu:dep_none_reg', D('156'),
         'first "mai" = tomorrow; "mai chau" = the district'),
        (Cm('05251'), 'mai hop, xa minh con may cav bct', 'cp:officer:semi', Cm('05251'),
         '"mai hop" = tomorrow\'s meeting (the user is xã Mai Hạ)'),
        # đồng chí / Đồng Tâm ...
        (D('159'), 'dong chi cho hoi lac thuy con may xa chua co tcax cq', 'cu:chief_notreg', D('159'),
         '"dong chi" is not xã Đồng Tâm'),
        (P, 'dong chi tam bao cao: lac thuy co bao nhieu ptcax cq', 'cp:deputy:regular', D('159'),
         '"dong chi Tam" (a person) is not xã Đồng Tâm of Lạc Thủy'),
        # words that are commune names
        (D('150'), 'tinh than doan ket, phan dau het nam xong: huyen minh con may xa chua co tcax cq', 'cu:chief_notreg',
         D('150'), '"doan ket" = đoàn kết (the word), not xã Đoàn Kết'),
        (D('148'), 'de nghi thong nhat so lieu: tp minh co bao nhieu cav cq', 'cp:officer:regular', D('148'),
         '"thong nhat" = thống nhất (the word), not phường Thống Nhất'),
        (D('158'), 'luong CAV chinh quy cao hon, huyen minh co bao nhieu cav cq', 'cp:officer:regular', D('158'),
         '"luong" = lương (salary), not xã Lạc Lương / Ngọc Lương'),
        (D('153'), 'tien do cq hoa kim boi: con bao nhieu xa chua co tcax cq', 'cu:chief_notreg', D('153'),
         '"tien do" = tiến độ, not xã Vĩnh Tiến / Hợp Tiến'),
        (D('148'), 'tien do tp minh: con may xa chua co ptcax cq nao', 'cu:dep_none_reg', D('148'),
         '"tien do" = tiến độ, not xã Quang Tiến'),
        (D('157'), 'phong nghiep vu hoi lac son con may cav bct', 'cp:officer:semi', D('157'),
         '"nghiep vu" = nghiệp vụ, not xã Yên Nghiệp / thị trấn Vụ Bản'),
        (D('154'), 'thu thap so lieu: cao phong co bao nhieu cav cq', 'cp:officer:regular', D('154'),
         '"thu thap" = thu thập, not xã Thu Phong'),
        (P, 'anh binh ben lac son bao con may cav chua cq', 'cp:officer:notreg', D('157'),
         '"anh Binh" is a person, not xã Vũ Bình / Bình Hẻm of Lạc Sơn'),
        (N, 'nam 2021 tinh nam dinh bo tri them bao nhieu ptcax cq', 'cps:deputy' + Y2021, ('P', '36'),
         'first "nam" = năm; "nam dinh" = tỉnh Nam Định'),
        (N, 'tinh ca mau con bao nhieu cav chua cq', 'cp:officer:notreg', ('P', '96'), '"ca mau" = Cà Mau'),
        (N, 'ca nuoc co bao nhieu ptcax bct', 'cp:deputy:semi', N, '"ca nuoc" = cả nước'),
        (N, 'tinh ha nam con may xa chua co ptcax cq nao', 'cu:dep_none_reg', ('P', '35'), ''),
        (Cm('05419'), 'dong chi oi xa minh con may vi tri trong', 'cp:all:vacant', Cm('05419'),
         '"dong chi" is a form of address (the user is xã Đồng Tâm)'),
        (Cm('05287'), 'theo chi dao cua huyen, xa minh bao cao con may cav bct', 'cp:officer:semi', Cm('05287'),
         '"chi dao" = chỉ đạo, not xã Chí Đạo (the user is xã Tân Lập)'),
        (Cm('05092'), 'sang nay hop, xa minh con trong may vi tri', 'cp:all:vacant', Cm('05092'),
         '"hop" = họp, not xã Hợp Phong; "sang" = sáng (the user is xã Bình Thanh)'),
        (Cm('05089'), 'bao cao tt minh con may cav chua cq', 'cp:officer:notreg', Cm('05089'),
         '"bao cao" = báo cáo (the user is thị trấn Cao Phong)'),
        (Cm('05335'), 'binh thuong thi xa minh co %d cav, gio con may cav chua cq' % len(STAFF['05335']['officer']),
         'cp:officer:notreg', Cm('05335'),
         '"binh thuong" = bình thường, not a place (the user is xã Vũ Bình)'),
    ]
    for user, text, mid, target, why in rows:
        if mid.startswith('lu:'):
            assert list_ok(target, pred_of(mid), 0, 16)
        ask(C, user, mid, target, '', t=text, diac=True, low=False, extra=' (' + why + ')' if why else '')
    ask_rank(C, P, P, 'sp:officer:regular', True, 1, t='{G} nao co ti le cav cq cao nhat', diac=False, low=False,
             extra=' ("cao nhat" = cao nhất, not xã Cao Sơn / Cao Dương / huyện Cao Phong)')
    ask_rank(C, P, P, 'p:officer:notreg', True, 3, t='top ba {G} con nhieu cav chua cq nhat', diac=False, low=False,
             extra=' ("ba" = three, not thị trấn Ba Hàng Đồi)')
    ask_rank(C, D('159'), D('159'), 'p:all:notreg', True, 3, X='huyen minh',
             t='ba {G} nao o {X} con nhieu vi tri chua cq nhat', diac=False, low=False,
             extra=' ("ba" = three, not thị trấn Ba Hàng Đồi)')


# ---------------------------------------------------------------- class 5: typing leftovers

WORD_RE = re.compile(r'^([^\w]*)(\w+)([^\w]*)$')


def on_core(w, f):
    m = WORD_RE.match(w)
    if not m:
        return w
    return m.group(1) + f(m.group(2)) + m.group(3)


def garble(text, mode):
    """The text as a phone with a misbehaving keyboard leaves it."""
    words = text.split(' ')
    marked = [i for i, w in enumerate(words) if has_marks(w)]
    if mode == 'telex_off':
        # the IME is off: every marked word stays as the raw Telex keys
        words = [on_core(w, telex_full) if has_marks(w) else w for w in words]
    elif mode == 'tone_left':
        # marks gone, but some tone keys were left at the end of the word (truongr, chinhs, phos, xax)
        pick_ = set(QR.sample(marked, min(len(marked), QR.randint(2, 4))))
        words = [on_core(w, telex_tone_leftover) if i in pick_ else strip(w) for i, w in enumerate(words)]
    elif mode == 'vni':
        pick_ = set(QR.sample(marked, min(len(marked), QR.randint(2, 3))))
        tone = chance(0.5)
        words = [on_core(w, lambda x: vni_full(x, tone)) if i in pick_ else strip(w) for i, w in enumerate(words)]
    elif mode == 'double':
        # doubled letters, marks sometimes gone
        plain = chance(0.5)
        idx = set(QR.sample(range(len(words)), min(len(words), 2)))
        out = []
        for i, w in enumerate(words):
            w = strip(w) if plain else w
            if i in idx and len(w) > 2 and w[-1].isalpha():
                w = w + w[-1] * QR.randint(1, 2)
            out.append(w)
        words = out
    elif mode == 'spaces':
        # a missing space, a double space, words glued to punctuation
        if len(words) > 3:
            i = QR.randrange(len(words) - 1)
            words[i:i + 2] = [words[i] + words[i + 1]]
        j = QR.randrange(len(words))
        words[j] = words[j] + ' '
        text = ' '.join(words)
        text = re.sub(r'([,:?]) ', r'\1', text)
        if '?' not in text:
            text = text + '??'
        return text
    return ' '.join(words)


G_MODES = ['telex_off', 'tone_left', 'tone_left', 'vni', 'double', 'spaces']


def class5():
    C = 5
    mids_c = ['yn:chief_reg', 'cp:officer:notreg', 'cp:all:vacant', 'cp:deputy:regular', 'yn:off_any_semi',
              'cp:all:semi', 'shp:officer:regular']
    mids_a = ['cu:chief_notreg', 'cu:dep_none_reg', 'cp:officer:notreg', 'shu:chief_reg', 'cp:all:vacant',
              'cu:chief_reg', 'lu:chief_notreg', 'cp:deputy:semi']
    plan = [('commune', 12), ('district', 14), ('province', 14), ('national', 10)]
    # the issue's own examples first, then drawn ones
    fixed = [
        (('C', '05287'), 'xax mình có truongr công an chinhs quy chưa', 'yn:chief_reg'),
        (('D', '157'), 'huyện mình còn bao nhiêu phos trưởng chưa chinhs quy', 'cp:deputy:notreg'),
        (('P', HB), 'tru7o7ng co6ng an xa4 Tân Lập đã chi1nh quy chưa', 'yn:chief_reg'),
        (('D', '155'), 'còn bao nhieu xax chưa có truowngr CA chinhs quy', 'cu:chief_notreg'),
    ]
    for user, t, mid in fixed:
        target = user if mid[0:2] != 'yn' or user[0] == 'C' else ('C', '05287')
        ask(C, user, mid, target, '', t=t, extra=' (Telex/VNI leftovers as in issue #10)')
    for role, n in plan:
        for i in range(n):
            mode = G_MODES[i % len(G_MODES)]
            if role == 'commune':
                user = ('C', communes_for_users(1)[0])
            elif role == 'district':
                user = ('D', pick(HB_DISTRICTS))
            elif role == 'province':
                user = ('P', HB)
            else:
                user = ('N', '')
            commune_q = role == 'commune' or chance(0.35)
            if commune_q:
                mid = pick(mids_c)
                target, X = commune_target(user, False)
            else:
                mid = pick(mids_a)
                for _ in range(50):
                    target, X = area_target(user, False)
                    if not mid.startswith('lu:') or list_ok(target, pred_of(mid)):
                        break
                else:
                    continue
            reg = pick(['full', 'full', 'abbr'])
            ask(C, user, mid, target, X, reg=reg, diac=True, low=False, wrap=lambda t, m=mode: garble(t, m),
                keep_spaces=(mode == 'spaces'), extra=' (typing: %s)' % mode)


# ---------------------------------------------------------------- class 6: places not in the roster or outside the scope

MADE_UP_COMMUNES = ['Suối Ngọc', 'Hòa Phong Mới', 'Đồng Xanh', 'Tân Hưng Thượng', 'Bản Lác', 'Thanh Nông', 'Phú Lão',
                    'Mường Khến', 'Dân Hạ', 'Trung Bì', 'Nam Sơn Hạ', 'Thanh Hà Thượng']
OTHER_PLACES = [  # (phrase, kind) places of other provinces
    ('tỉnh Sơn La', 'P'), ('Hà Nội', 'P'), ('tỉnh Phú Thọ', 'P'), ('Thanh Hóa', 'P'), ('huyện Mộc Châu', 'D'),
    ('huyện Ba Vì', 'D'), ('huyện Mường Lát', 'D'), ('xã Hòa Bình huyện Thường Tín', 'C'), ('TP Hà Nội', 'P'),
    ('xã Chư Á', 'C'), ('huyện Kỳ Sơn', 'D'),
]


def class6():
    C = 6
    # the made-up names really are nowhere in the country
    for n in MADE_UP_COMMUNES:
        assert resolve_commune(('N', ''), n, False)[0] == 'notfound', n
    bad_codes = [c for c in ('04830', '05999', '99999', '05100', '04900', '12345') if c not in BY_CODE]
    assert len(bad_codes) >= 4
    area = ['cu:chief_notreg', 'cp:officer:notreg', 'shu:chief_reg', 'cu:dep_none_reg', 'cp:all:vacant']
    comm = ['yn:chief_reg', 'cp:officer:notreg', 'cp:all:vacant', 'cp:deputy:regular']
    NF = ' (a place outside the roster)'

    def nf(user, phrase, kind, why=NF, t=None):
        mid = pick(comm if kind == 'C' else area)
        diac = chance(0.6)
        ask(C, user, mid, None, phrase, diac=diac, res='notfound', where='"%s"' % phrase, extra=why, t=t)

    def rf(user, phrase, target, kind, why=''):
        mid = pick(comm if kind == 'C' else area)
        diac = chance(0.6)
        ask(C, user, mid, None, phrase, diac=diac, res='refused', where='"%s" = %s' % (phrase, scope_label(target)),
            extra=why)

    for role in ('commune', 'district', 'province', 'national'):
        for k in range(3 if role != 'national' else 5):
            user = {'commune': lambda: ('C', communes_for_users(1)[0]), 'district': lambda: ('D', pick(HB_DISTRICTS)),
                    'province': lambda: ('P', HB), 'national': lambda: ('N', '')}[role]()
            name = MADE_UP_COMMUNES[(k * 4 + len(ROWS)) % len(MADE_UP_COMMUNES)]
            nf(user, pick(['xã ', 'xã ', 'x. ', '']) + name, 'C', ' (no commune of this name exists)')
        if role == 'national':
            break
        for k in range(4):
            user = {'commune': lambda: ('C', communes_for_users(1)[0]), 'district': lambda: ('D', pick(HB_DISTRICTS)),
                    'province': lambda: ('P', HB)}[role]()
            phrase, kind = OTHER_PLACES[(k * 3 + len(ROWS)) % len(OTHER_PLACES)]
            nf(user, phrase, kind, ' (a place of another province: "không tìm thấy", never an answer about the '
                                   'user\'s own area)')
        user = {'commune': ('C', communes_for_users(1)[0]), 'district': ('D', pick(HB_DISTRICTS)),
                'province': ('P', HB)}[role]
        code = pick(bad_codes)
        t, mid = pick([('xã mã {c} còn mấy CAV chưa CQ?', 'cp:officer:notreg'),
                       ('mã xã {c} đã có TCAX chính quy chưa', 'yn:chief_reg'), ('/xa {c}', None)])
        ask(C, user, mid or 'yn:chief_reg', None, '', t=t.format(c=code), res='notfound', where='commune code ' + code,
            extra=' (a commune code that does not exist)',
            desc=None if mid else 'the commune command with commune code ' + code)
    # commands with a place that is not there
    ask(C, ('P', HB), 'yn:chief_reg', None, '', t='/xa Hà Nội', res='notfound', where='"Hà Nội"',
        extra=' (a command with a place outside the roster)', desc='the commune command with "Hà Nội"')
    ask(C, ('D', '157'), 'yn:chief_reg', None, '', t='/xa Suối Ngọc', res='notfound', where='"Suối Ngọc"',
        extra=' (a command with a made-up commune)', desc='the commune command with "Suối Ngọc"')
    ask(C, ('P', HB), 'cu:chief_notreg', None, '', t='huyện Kỳ Sơn còn mấy xã chưa có TCAX chính quy?',
        res='notfound', where='"huyện Kỳ Sơn"',
        extra=' (Kỳ Sơn was merged into the city at the end of 2019: not in the 2020 roster; phường Kỳ Sơn is not '
              'a district)')
    # refused: real places of the province outside the user's scope
    for _ in range(4):
        user = ('C', communes_for_users(1)[0])
        other = pick([c for c in hb_communes() if c != user[1]])
        ph, res = p_commune(user, other, True, pick(['typed', 'typed_d']))
        if res[0] == 'refused':
            rf(user, ph, ('C', other), 'C', ' (another commune)')
    for user_code in communes_for_users(3):
        user = ('C', user_code)
        d = BY_CODE[user_code].dcode
        rf(user, pick(['huyện mình', 'huyện em', 'cả huyện', 'huyện ' + DISTRICTS[d][1]]), ('D', d), 'D',
           ' (a commune user asking about the own district)')
    for user_code in communes_for_users(2):
        rf(('C', user_code), pick(['toàn tỉnh', 'cả tỉnh', 'tỉnh mình']), ('P', HB), 'P',
           ' (a commune user asking about the province)')
    for _ in range(4):
        d = pick(HB_DISTRICTS)
        user = ('D', d)
        od = pick([x for x in HB_DISTRICTS if x != d])
        if chance(0.5):
            ph, res, bare = p_district(user, od, True)
            if res[0] == 'refused':
                rf(user, ph, ('D', od), 'D', ' (another district)')
        else:
            oc = pick(hb_communes(dcode=od))
            ph, res = p_commune(user, oc, True, 'typed_d')
            if res[0] == 'refused':
                rf(user, ph, ('C', oc), 'C', ' (a commune of another district)')
    for _ in range(2):
        user = ('D', pick(HB_DISTRICTS))
        rf(user, pick(['toàn tỉnh', 'cả tỉnh', 'tỉnh']), ('P', HB), 'P', ' (a district user asking about the province)')
    # national users: places that do not exist in the country
    N = ('N', '')
    for phrase, t, mid, why in [
        ('tỉnh Hà Tây', 'tỉnh Hà Tây còn bao nhiêu xã chưa có TCAX chính quy?', 'cu:chief_notreg',
         'Hà Tây was merged into Hà Nội in 2008'),
        ('huyện Kỳ Sơn tỉnh Hòa Bình', 'huyện Kỳ Sơn tỉnh Hòa Bình có bao nhiêu CAV chưa CQ', 'cp:officer:notreg',
         'merged into the city of Hòa Bình in 2019; the only huyện Kỳ Sơn left is in Nghệ An'),
        ('xã Tân Lập huyện Kim Bôi tỉnh Hòa Bình', 'xã Tân Lập huyện Kim Bôi tỉnh Hòa Bình có tcax cq chưa',
         'yn:chief_reg', 'xã Tân Lập of Hòa Bình is in Lạc Sơn; never answer for a namesake'),
        ('tỉnh mã 99', 'tỉnh có mã 99 còn mấy xã chưa có trưởng CA chính quy', 'cu:chief_notreg',
         'no province has code 99'),
        ('xã mã 99999', '/xa 99999', None, 'no commune has code 99999'),
    ]:
        ask(C, N, mid or 'yn:chief_reg', None, phrase, t=t, res='notfound', where='"%s"' % phrase,
            extra=' (' + why + ')', desc=None if mid else 'the commune command with code 99999')
    ask(C, N, 'cp:officer:notreg', ('C', '05287'), '', t='xã mã 05287 còn mấy CAV chưa CQ?',
        extra=' (an existing code typed as a number: xã Tân Lập, Lạc Sơn — the control case)')
    ask(C, ('P', HB), 'cp:officer:notreg', ('C', '05287'), '', t='mã xã 05287 còn bao nhiêu cav chưa chính quy',
        extra=' (an existing code typed as a number — the control case)')


# ---------------------------------------------------------------- class 7: time, on the since date

PERIODS = {
    'chief:2020-01-01:': ['từ năm 2020 đến nay', 'từ 2020 trở đi', 'kể từ 01/01/2020'],
    'chief:2020-01-01:2020-03-31': ['trong quý I/2020', 'quý 1 năm 2020', 'từ 01/01/2020 đến 31/03/2020'],
    'chief:2019-01-01:2019-12-31': ['trong năm 2019', 'năm 2019'],
    'chief:2020-04-01:': ['sau mốc 31/03/2020', 'từ tháng 4/2020 trở đi'],
    'deputy:2020-04-01:2020-06-30': ['quý II/2020', 'trong quý 2/2020'],
    'deputy:2021-01-01:2021-12-31': ['năm 2021', 'trong năm 2021'],
    'deputy:2020-01-01:2020-12-31': ['năm 2020', 'trong năm 2020'],
    'deputy:2021-07-01:2021-12-31': ['6 tháng cuối năm 2021', 'từ 01/7/2021 đến 31/12/2021'],
    'deputy:2020-04-01:2021-12-31': ['từ tháng 4/2020 đến hết năm 2021', 'từ 04/2020 đến 12/2021'],
}
CUMUL = {'deputy::2020-12-31': ['tính đến 31/12/2020', 'đến hết năm 2020'],
         'chief::2020-03-31': ['tính đến 31/03/2020', 'đến hết quý I/2020']}
PERIOD_T = {
    'chief': ['{P}, {X} bố trí được bao nhiêu Trưởng Công an xã chính quy?', '{X} có mấy TCAX CQ được bố trí {P}?',
              'Số trưởng CA chính quy về nhận nhiệm vụ {P} ở {X}?', 'sl tcax cq bố trí {P} {X}'],
    'deputy': ['{P} {X} bố trí thêm được mấy phó trưởng chính quy?', '{X} có bao nhiêu PTCAX CQ được bố trí {P}?',
               'Số phó trưởng CA chính quy về {X} {P}?', 'sl ptcax cq {X} bố trí {P}'],
}
CUMUL_T = {
    'chief': ['{P}, {X} có bao nhiêu xã đã có TCAX chính quy?', '{X} {P} đã có mấy trưởng CA chính quy?'],
    'deputy': ['{P}, {X} có bao nhiêu phó trưởng chính quy?', '{X} {P} đã có mấy PTCAX CQ?'],
}
T['cu:chief_ontime'] = ([
    '{X} có bao nhiêu {U} có Trưởng Công an xã chính quy trước 31/03/2020?',
    '{X} có mấy {U} hoàn thành bố trí trưởng CA chính quy đúng hạn quý I/2020?',
], [
    'sl {U} có tcax cq trước 31/3/2020 {X}',
])
T['cu:chief_late'] = ([
    '{X} có bao nhiêu {U} có trưởng CA chính quy sau hạn 31/03/2020?',
], [
    '{X} mấy {U} có tcax cq muộn hơn mốc quý I/2020',
])
T['lu:chief_late'] = ([
    '{U} nào ở {X} bố trí Trưởng Công an xã chính quy sau mốc 31/03/2020?',
    '{X}: những {U} nào có TCAX CQ muộn hơn hạn quý I/2020?',
], [
    'ds {U} có tcax cq sau 31/3/2020 {X}',
])
T['cu:chief_2019'] = ([
    'Trong năm 2019 {X} đã có mấy {U} có Trưởng Công an xã chính quy?',
    '{X} có bao nhiêu {U} có TCAX CQ ngay trong năm 2019, trước khi triển khai đề án?',
], [])
T['lu:chief_2019'] = ([
    '{U} nào ở {X} đã có trưởng CA chính quy ngay trong năm 2019?',
], [
    'ds {U} có tcax cq từ năm 2019 (trước đề án) {X}',
])
T['shu:chief_ontime'] = ([
    'Tỉ lệ {U} bố trí TCAX CQ đúng hạn (trước 31/03/2020) của {X}?',
], [
    '% {U} có tcax cq đúng hạn quý I/2020 {X}',
])
T['yn:chief_2019'] = ([
    'Trưởng CA chính quy của {C} có phải về từ năm 2019 không?',
], [
    'tcax {C} cq từ năm 2019 phải ko',
])


def ask_period(cls, user, target, X, key_, diac=True, cumul=False):
    kind = key_.split(':')[0]
    P_ = pick((CUMUL if cumul else PERIODS)[key_])
    t = pick((CUMUL_T if cumul else PERIOD_T)[kind])
    mid = 'cps:' + key_
    text = t.format(P=P_, X=X)
    if cumul and kind == 'chief':
        text = text.replace('xã', pick(['xã', 'xã, thị trấn']))
    return ask(cls, user, mid, target, X, t=cap(text).replace('{', '{{').replace('}', '}}'), diac=diac,
               extra=' (a filter on the since date)')


def latest(scope, kinds):
    ps = [(p.since, p.holder, u) for u in plan_units(scope) for k in kinds for p in STAFF[u.code][k]
          if p.status == 'regular' and p.since]
    ps.sort(reverse=True)
    if len(ps) < 2 or ps[0][0] == ps[1][0]:
        return None
    return ps[0]


def earliest_chief(scope):
    ps = sorted((chief(u.code).since, u.name) for u in plan_units(scope) if chief(u.code).status == 'regular')
    if len(ps) < 2 or ps[0][0] == ps[1][0]:
        return None
    return ps[0]


def class7():
    C = 7
    # commune users
    done = 0
    for code in communes_for_users(60):
        if done >= 3:
            break
        user = ('C', code)
        if ask_holder(C, user, code, p_self(user), pick(['since', 'chief_since']), diac=chance(0.5)):
            done += 1
    for code in communes_for_users(3):
        user = ('C', code)
        ask(C, user, 'yn:chief_ontime', user, p_self(user), diac=chance(0.5))
    for code in communes_for_users(2, lambda c: chief(c).status == 'regular'):
        user = ('C', code)
        ask(C, user, 'yn:chief_2019', user, p_self(user), diac=chance(0.5), extra=' (since date in 2019)')
    done = 0
    for code in communes_for_users(60, lambda c: one_dep(c) and STAFF[c]['deputy'][0].status == 'regular'):
        if done >= 2:
            break
        user = ('C', code)
        p = STAFF[code]['deputy'][0]
        t = pick(['phó trưởng {X} chính quy từ ngày nào?', 'PTCAX {X} về từ bao giờ', 'đ/c phó trưởng CA {X} nhận nhiệm vụ ngày nào'])
        text = surface(cap(t.format(X=p_self(user))), chance(0.5))
        emit(C, user, text, 'since:' + vdate(p.since), 'since when the (only, regular) deputy holds the post in ' +
             scope_label(user))
        done += 1
    done = 0
    for code in communes_for_users(60):
        offs = [p for p in STAFF[code]['officer'] if p.status == 'regular']
        if done >= 2 or not offs or any(p.since is None for p in offs):
            continue
        user = ('C', code)
        key_ = pick(['2021-01-01:2021-12-31', '2020-01-01:2020-12-31'])
        if not count_posts(user, ('officer',), ('regular',), since_range(['', ''] + key_.split(':'))):
            continue
        y = key_[:4]
        t = pick(['năm {y} {X} có thêm mấy CAV chính quy?', 'trong năm {y}, {X} được bổ sung bao nhiêu công an viên CQ'])
        ask(C, user, 'cps:officer:' + key_, user, '', t=cap(t.format(y=y, X=p_self(user))), diac=chance(0.5),
            extra=' (a filter on the since date; every regular officer of this commune has one)')
        done += 1

    # district users
    keys = list(PERIODS)
    for i in range(8):
        d = HB_DISTRICTS[i % 10]
        user = ('D', d)
        diac = chance(0.5)
        X = p_self(user) if chance(0.6) else p_district(user, d, diac)[0]
        ask_period(C, user, user, X, keys[i % len(keys)], diac=diac)
    for d, key_ in [('157', 'deputy::2020-12-31'), ('153', 'chief::2020-03-31')]:
        ask_period(C, ('D', d), ('D', d), p_self(('D', d)), key_, cumul=True, diac=chance(0.5))
    for mid in ['cu:chief_ontime', 'lu:chief_late', 'cu:chief_2019', 'lu:chief_2019', 'shu:chief_ontime', 'cu:chief_late']:
        for _ in range(50):
            d = pick(HB_DISTRICTS)
            user = ('D', d)
            if not mid.startswith('lu:') or list_ok(user, pred_of(mid)):
                ask(C, user, mid, user, p_self(user), diac=chance(0.5))
                break
    for d in QR.sample(HB_DISTRICTS, 10):
        e = earliest_chief(('D', d))
        if e:
            user = ('D', d)
            t = pick(['xã nào ở {X} có Trưởng Công an xã chính quy sớm nhất?', '{X} xã nào có tcax cq đầu tiên'])
            emit(C, user, surface(cap(t.format(X=p_self(user))), chance(0.5)), 'ranked:' + e[1],
                 'the commune of %s whose regular chief has the earliest since date (%s)' % (
                     scope_label(user), vdate(e[0])))
            break
    for d in QR.sample(HB_DISTRICTS, 10):
        lt = latest(('D', d), ('chief',))
        if lt:
            user = ('D', d)
            t = pick(['Ai là Trưởng Công an xã chính quy được bố trí gần đây nhất ở {X}?',
                      'TCAX CQ nào ở {X} về nhận nhiệm vụ muộn nhất, tên gì?'])
            emit(C, user, surface(cap(t.format(X=p_self(user))), chance(0.5)), 'holder:' + lt[1],
                 'the regular chief of %s with the latest since date (%s, %s %s)' % (
                     scope_label(user), vdate(lt[0]), lt[2].type, lt[2].name))
            break

    for d in QR.sample(HB_DISTRICTS, 2):
        ask(C, ('D', d), 'cps:chief:2020-01-01:', ('D', d), '',
            t='Từ năm 2020 đến nay huyện mình bố trí được bao nhiêu trưởng CA chính quy?',
            extra=' (a filter on the since date)')

    # province users
    P = ('P', HB)
    ask(C, P, 'cu:chief_ontime', P, '', t='Có bao nhiêu xã, thị trấn có TCAX chính quy trước 31/03/2020?',
        extra=' (a filter on the since date; the 28 communes of 2019 count too)')
    ask(C, P, 'cu:chief_ontime', ('D', '155'), '', t='Tân Lạc có mấy xã có trưởng CA chính quy trước 31/03/2020?',
        extra=' (a filter on the since date; bare "Tân Lạc" is the district: no commune has that name)')
    for i, key_ in enumerate(keys):
        diac = chance(0.5)
        target, X = area_target(P, diac, self_p=0.5)
        ask_period(C, P, target, X, key_, diac=diac)
    ask_period(C, P, P, 'toàn tỉnh', 'chief::2020-03-31', cumul=True)
    for mid in ['cu:chief_ontime', 'lu:chief_late', 'cu:chief_2019', 'shu:chief_ontime']:
        for _ in range(50):
            diac = chance(0.5)
            target, X = area_target(P, diac, self_p=0.5)
            if not mid.startswith('lu:') or list_ok(target, pred_of(mid)):
                ask(C, P, mid, target, X, diac=diac)
                break
    for vid, desc, k in [('ps:chief:2020-01-01:2020-03-31', True, 1), ('ps:deputy:2021-01-01:2021-12-31', True, 1),
                         ('ps:deputy:2020-01-01:2020-12-31', True, 3)]:
        ask_rank(C, P, P, vid, desc, k, diac=chance(0.5))
    lt = latest(P, KINDS)
    if lt:
        emit(C, P, pick(['Ai được bố trí chính quy gần đây nhất trong toàn tỉnh (tính cả trưởng, phó, CAV)?',
                         'dong chi nao duoc bo tri chinh quy gan day nhat o tinh minh (ca tcax, ptcax, cav)']),
             'holder:' + lt[1] + ';since:' + vdate(lt[0]),
             'the regular holder of any post in the province with the latest since date (%s %s)' % (lt[2].type, lt[2].name))

    # national users
    N = ('N', '')
    for key_ in ['chief:2020-01-01:2020-03-31', 'deputy:2021-01-01:2021-12-31', 'chief:2020-04-01:',
                 'deputy:2020-04-01:2020-06-30']:
        diac = chance(0.5)
        target, X = area_target(N, diac, self_p=0.5)
        ask_period(C, N, target, X, key_, diac=diac)
    ask(C, N, 'shu:chief_ontime', N, p_self(N), diac=chance(0.5))
    ask(C, N, 'cu:chief_ontime', ('P', '14'), 'tỉnh Sơn La', diac=chance(0.5))
    for vid, desc, k in [('ps:chief:2020-01-01:2020-03-31', True, 1), ('ps:deputy:2021-01-01:2021-12-31', True, 3)]:
        ask_rank(C, N, N, vid, desc, k, diac=chance(0.5))


# ---------------------------------------------------------------- class 8: messages as people write them

GREET = ['Chào hệ thống, ', 'Chào đồng chí, ', 'Xin chào, ', 'Em chào anh ạ. ', 'Dạ em chào, ', 'chào bot, ', 'alo, ',
         'Kính gửi hệ thống, ', 'Chào buổi sáng, ', '']
CONTEXT = {
    'C': ['tôi là trưởng CA xã, ', 'em là CAV mới về xã, ', 'em là phó trưởng CA, ', 'tôi là Thắng, trưởng CA xã, ',
          'em Phong đây ạ, ', 'em là Tâm, công an xã, ', 'sáng nay họp giao ban có hỏi, ',
          'chiều nay đồng chí Bình trên huyện gọi hỏi, '],
    'D': ['tôi là Bình, văn phòng CA huyện, ', 'sáng nay họp huyện có hỏi, ', 'đồng chí Chủ tịch huyện cần số liệu gấp, ',
          'anh Sơn bên huyện ủy hỏi: ', 'chiều nay giao ban, ', 'em là Thành, tổng hợp của CAH, ',
          'mai họp Thường trực huyện ủy, '],
    'P': ['Phòng Tham mưu cần số liệu cho sơ kết 6 tháng: ', 'chuẩn bị họp tổng kết năm, ', 'đồng chí Giám đốc hỏi: ',
          'tôi là Thành, PV01, ', 'chiều nay giao ban Ban Giám đốc, ', 'đồng chí Phong trên Bộ gọi hỏi, '],
    'N': ['Bộ cần số liệu gấp: ', 'Cục yêu cầu tổng hợp: ', 'chuẩn bị báo cáo lãnh đạo Bộ, ', 'tôi là Minh, Văn phòng Bộ, '],
}
ADMIN = ['Đề nghị báo cáo {q}.', 'Thống kê giúp {q}', 'Tổng hợp số liệu: {q}', 'Đề nghị hệ thống cung cấp {q}.',
         'Đề nghị cho biết {q}', 'Yêu cầu thống kê {q} để báo cáo', 'Nhờ hệ thống tổng hợp {q} ạ']
NOMINAL = {
    'cu:chief_notreg': ['số {U} chưa có Trưởng Công an xã chính quy của {X}', 'số lượng {U} chưa có TCAX CQ của {X}'],
    'cp:officer:notreg': ['số công an viên chưa chính quy của {X}', 'số CAV chưa CQ của {X}'],
    'cp:all:semi': ['tổng số người bán chuyên trách (trưởng, phó, CAV) của {X}'],
    'shu:chief_reg': ['tỉ lệ {U} có TCAX chính quy của {X}'],
    'lu:dep_none_reg': ['danh sách {U} chưa có phó trưởng chính quy nào của {X}'],
    'cp:deputy:regular': ['số phó trưởng công an chính quy hiện có của {X}'],
    'cp:all:vacant': ['số vị trí đang khuyết của {X} (cả trưởng, phó, CAV)'],
    'cu:dep_none_reg': ['số {U} chưa có phó trưởng chính quy nào của {X}'],
    'cp:all:regular': ['tổng số đồng chí chính quy đang giữ chức danh trưởng, phó, CAV của {X}'],
    'shp:officer:regular': ['tỉ lệ công an viên chính quy của {X}'],
}


def pre(user):
    return pick(GREET) + pick(CONTEXT[user[0]])


def class8():
    C = 8
    roles = {'C': lambda: ('C', communes_for_users(1)[0]), 'D': lambda: ('D', pick(HB_DISTRICTS)),
             'P': lambda: ('P', HB), 'N': lambda: ('N', '')}
    wrapped_mids = {'C': ['cp:officer:notreg', 'cp:all:vacant', 'yn:chief_reg', 'cp:all:semi', 'cp:deputy:regular'],
                    'D': ['cu:chief_notreg', 'lu:chief_notreg', 'cp:officer:notreg', 'cu:dep_none_reg', 'shu:chief_reg'],
                    'P': ['cu:chief_notreg', 'cp:officer:notreg', 'shu:chief_reg', 'lu:chief_vac', 'cp:all:semi'],
                    'N': ['cu:chief_notreg', 'cp:officer:notreg', 'shu:chief_reg', 'cp:all:vacant']}
    for r in 'CDPN':
        # greeting + who they are + the question
        for i in range(5 if r != 'N' else 4):
            user = roles[r]()
            mid = wrapped_mids[r][i % len(wrapped_mids[r])]
            diac = chance(0.6)
            target, X = (user, p_self(user)) if r == 'C' or chance(0.6) else area_target(user, diac)
            if mid.startswith('lu:') and not list_ok(target, pred_of(mid)):
                target, X = user, p_self(user)
                if not list_ok(target, pred_of(mid)):
                    continue
            g = pre(user)
            ask(C, user, mid, target, X, diac=diac, wrap=lambda t, g=g: g + t[:1].lower() + t[1:],
                extra=' (greeting and context before the question; names of people are not places)')
        # administrative form
        for i in range(4 if r != 'C' else 3):
            user = roles[r]()
            mid = pick([m for m in NOMINAL if r != 'C' or not m.split(':')[0] in ('cu', 'lu', 'shu')])
            diac = chance(0.6)
            target, X = (user, p_self(user)) if r == 'C' or chance(0.5) else area_target(user, diac)
            if mid.startswith('lu:') and not list_ok(target, pred_of(mid), 1, 16):
                continue
            t = pick(ADMIN).format(q=pick(NOMINAL[mid]))
            ask(C, user, mid, target, X, t=t, diac=diac, extra=' (an administrative request: a question, not a command)')
    # several questions in one message
    for _ in range(3):
        user = roles['C']()
        X = p_self(user)
        t = pick(['{X} còn trống mấy vị trí, bán chuyên trách mấy người?', '{X} trống mấy, BCT mấy?',
                  'cho hỏi {X} khuyết bao nhiêu vị trí và còn bao nhiêu người bán chuyên trách'])
        emit(C, user, surface(cap(t.format(X=X)), chance(0.5)),
             measure_exp('cp:all:vacant', user) + ' && ' + measure_exp('cp:all:semi', user),
             'two questions: vacant posts, then semi-professional posts (all kinds) in ' + scope_label(user))
    for code in communes_for_users(2, lambda c: chief(c).status != 'vacant'):
        user = ('C', code)
        t = pick(['TCAX {X} là ai, phó trưởng có mấy đồng chí chính quy?',
                  'tcax {X} tên gì, còn mấy cav chưa cq?'])
        text = cap(t.format(X=p_self(user)))
        second = 'cp:deputy:regular' if 'phó trưởng' in t else 'cp:officer:notreg'
        emit(C, user, surface(text, chance(0.5)), holder_exp(code, 'chief') + ' && ' + measure_exp(second, user),
             'two questions: the chief\'s name; then %s, in %s' % (describe(second, 'the commune'), scope_label(user)))
    for code in communes_for_users(2):
        user = ('C', code)
        t = pick(['{X} đã có TCAX CQ chưa, còn mấy CAV chưa CQ?', 'xin hỏi {X} có trưởng CA chính quy chưa? còn mấy công an viên chưa chính quy?'])
        emit(C, user, surface(cap(t.format(X=p_self(user))), chance(0.5)),
             measure_exp('yn:chief_reg', user) + ' && ' + measure_exp('cp:officer:notreg', user),
             'two questions: is the chief regular; officer posts not regular, in ' + scope_label(user))
    for code in communes_for_users(3, two_dep):
        user = ('C', code)
        t = pick(['cả 2 phó của {X} đã CQ chưa?', '{X} đủ 2 phó trưởng chính quy chưa ạ', 'hai phó trưởng {X} đều là chính quy rồi phải không'])
        ask(C, user, 'yn:dep_two_reg', user, '', t=t.format(X=p_self(user)), diac=chance(0.5),
            extra=' ("cả 2 phó" / "đủ 2 phó": both deputies)')
    for _ in range(3):
        d = pick(HB_DISTRICTS)
        user = ('D', d)
        a, b = QR.sample(hb_communes(dcode=d), 2)
        pa, ra = p_commune(user, a, True, 'typed')
        pb, rb = p_commune(user, b, True, 'typed')
        if ra[0] == rb[0] == 'ok':
            t = pick(['{A}, {B} mỗi nơi còn mấy CAV chưa CQ?', '{A} và {B}: mỗi xã còn bao nhiêu công an viên chưa chính quy'])
            emit(C, user, surface(cap(t.format(A=pa, B=pb)), chance(0.5)),
                 measure_exp('cp:officer:notreg', ('C', a)) + ' && ' + measure_exp('cp:officer:notreg', ('C', b)),
                 '"mỗi nơi": officer posts not regular in %s, then in %s' % (scope_label(('C', a)), scope_label(('C', b))))
    d = pick(HB_DISTRICTS)
    user = ('D', d)
    t = '{X} có bao nhiêu CAV chính quy, bao nhiêu CAV bán chuyên trách, trống mấy?'
    emit(C, user, surface(cap(t.format(X=p_self(user))), chance(0.5)),
         ' && '.join(measure_exp('cp:officer:' + s_, user) for s_ in ('regular', 'semi', 'vacant')),
         'three questions: officer posts regular, semi, vacant in ' + scope_label(user))
    user = ('D', pick(HB_DISTRICTS))
    ask(C, user, 'cu:dep_two_reg', user, p_self(user), t='{X} có mấy xã đủ 2 phó trưởng CQ rồi?', diac=chance(0.5),
        extra=' ("đủ 2 phó": two regular deputies)')
    P = ('P', HB)
    r1 = rank_in(P, 'u:chief_notreg', 1, True)
    if r1:
        emit(C, P, 'Cho hỏi 2 việc: 1) toàn tỉnh còn bao nhiêu xã, thị trấn chưa có TCAX chính quy; 2) huyện nào còn nhiều nhất?',
             measure_exp('cu:chief_notreg', P) + ' && ranked:' + r1[0],
             'two questions: communes of the province whose chief is not regular; the district with the most of them')
    for pair in [('155', '157'), ('150', '153')]:
        ph = [p_district(P, d_, True, bare_ok=False)[0] for d_ in pair]
        emit(C, P, '{} và {} mỗi nơi còn mấy xã, tt chưa có TCAX CQ, mấy CAV chưa CQ?'.format(*ph),
             ' && '.join([measure_exp('cu:chief_notreg', ('D', pair[0])), measure_exp('cp:officer:notreg', ('D', pair[0])),
                          measure_exp('cu:chief_notreg', ('D', pair[1])), measure_exp('cp:officer:notreg', ('D', pair[1]))]),
             'four figures, place by place in the order asked: communes with chief not regular, officer posts not regular '
             '(%s, then %s)' % (scope_label(('D', pair[0])), scope_label(('D', pair[1]))))
    N = ('N', '')
    emit(C, N, 'toàn quốc còn bao nhiêu xã, thị trấn chưa có TCAX CQ, tỉ lệ đã có là bao nhiêu %?',
         measure_exp('cu:chief_notreg', N) + ' && ' + measure_exp('shu:chief_reg', N),
         'two questions: communes of the country with chief not regular; share with chief regular')
    # very short follow-ups, read against the user's scope
    for code in communes_for_users(2):
        user = ('C', code)
        ask(C, user, 'cp:all:notreg', user, '', t=pick(['còn thiếu mấy?', 'con thieu may vi tri cq']), diac=True,
            extra=' (a bare follow-up: read against the user\'s commune, all post kinds, not yet regular)')
    for code in communes_for_users(2):
        user = ('C', code)
        ask(C, user, 'cp:all:vacant', user, '', t=pick(['còn trống mấy?', 'trống mấy chỗ?']), diac=chance(0.5),
            extra=' (a bare follow-up: read against the user\'s commune)')
    user = ('C', communes_for_users(1)[0])
    ask(C, user, 'yn:chief_reg', user, '', t='sao rồi, trưởng CQ chưa?', diac=chance(0.5),
        extra=' (a bare follow-up: read against the user\'s commune)')
    for _ in range(3):
        user = ('D', pick(HB_DISTRICTS))
        mid, t = pick([('cu:chief_notreg', 'còn mấy xã chưa có tcax cq?'), ('lu:chief_notreg', 'vậy xã nào chưa có TCAX CQ?'),
                       ('cp:officer:notreg', 'còn mấy cav chưa cq?')])
        if mid.startswith('lu:') and not list_ok(user, pred_of(mid)):
            continue
        ask(C, user, mid, user, '', t=t, diac=chance(0.5), extra=' (no place named: the user\'s district)')
    for t, mid in [('còn mấy xã chưa có TCAX CQ?', 'cu:chief_notreg'), ('thế còn bao nhiêu CAV chưa CQ?', 'cp:officer:notreg')]:
        ask(C, P, mid, P, '', t=t, diac=chance(0.5), extra=' (no place named: the user\'s province)')
    ask(C, N, 'cu:chief_notreg', N, '', t='còn bao nhiêu xã chưa có TCAX chính quy?', diac=chance(0.5),
        extra=' (no place named: the whole country)')


# ---------------------------------------------------------------- class 9: the national roster and scope words

def count_type(scope, types):
    k, c = scope
    us = [u for u in UNITS if (k == 'N' or (k == 'P' and u.pcode == c) or (k == 'D' and u.dcode == c))]
    return sum(1 for u in us if u.type in types)


def class9():
    C = 9
    N = ('N', '')
    P = ('P', HB)
    # the whole country, its provinces and districts
    for mid in ['cu:chief_notreg', 'cp:officer:regular', 'shu:chief_reg', 'shp:officer:regular', 'cp:all:semi',
                'cu:dep_none_reg', 'cp:deputy:notreg', 'cu:all_reg']:
        ask(C, N, mid, N, p_self(N), diac=chance(0.5))
    for mid in ['cu:chief_notreg', 'shu:chief_reg', 'cp:officer:notreg', 'cu:dep_none_reg', 'shp:deputy:regular',
                'lu:chief_vac', 'cp:all:vacant']:
        for _ in range(50):
            pc = pick(NAT_PROVS)
            if not mid.startswith('lu:') or list_ok(('P', pc), pred_of(mid)):
                ask(C, N, mid, ('P', pc), p_province(pc), diac=chance(0.5))
                break
    for mid in ['cu:chief_notreg', 'cp:officer:notreg', 'lu:chief_notreg', 'shu:chief_reg']:
        for _ in range(200):
            d = pick(list(DISTRICTS))
            if not plan_units(('D', d)) or (mid.startswith('lu:') and not list_ok(('D', d), pred_of(mid))):
                continue
            diac = chance(0.5)
            ph, res, bare = p_district(N, d, diac)
            if res == ('ok', d):
                ask(C, N, mid, ('D', d), ph, diac=diac)
                break
    ask(C, N, 'cu:chief_notreg', P, 'tỉnh Hòa Bình', diac=chance(0.5), extra=' (the seed province, seen by the Ministry)')
    ask_rank(C, N, P, 'u:chief_notreg', True, 1, X='tỉnh Hòa Bình', diac=True)
    # counts of units from the roster
    for t, scope, types, en in [
        ('cả nước có bao nhiêu thị trấn?', N, ('thị trấn',), 'number of thị trấn in the country'),
        ('toàn quốc có bao nhiêu đơn vị hành chính cấp xã?', N, ('xã', 'phường', 'thị trấn'),
         'number of commune-level units (xã, phường, thị trấn) in the country'),
        ('ca nuoc co bao nhieu phuong', N, ('phường',), 'number of phường in the country'),
        ('cả nước có bao nhiêu xã, thị trấn thuộc diện bố trí CA chính quy?', N, ('xã', 'thị trấn'),
         'number of xã and thị trấn (the units of the plan) in the country'),
        ('tỉnh Sơn La có bao nhiêu thị trấn', ('P', '14'), ('thị trấn',), 'number of thị trấn in Sơn La'),
        ('Hà Nội có bao nhiêu phường?', ('P', '01'), ('phường',), 'number of phường in Hà Nội'),
        ('tinh Nghe An co bao nhieu xa, phuong, thi tran', ('P', '40'), ('xã', 'phường', 'thị trấn'),
         'number of commune-level units of Nghệ An'),
    ]:
        emit(C, N, t, 'number:%d' % count_type(scope, types), en + ' (from the roster)')
    emit(C, N, 'cả nước có bao nhiêu tỉnh, thành phố trực thuộc trung ương?', 'number:%d' % len(PROVINCES),
         'number of provinces (from the roster)')
    for pc, t in [('14', 'tỉnh Sơn La có bao nhiêu đơn vị hành chính cấp huyện?'),
                  ('17', 'tỉnh Hòa Bình có mấy huyện, thành phố?')]:
        emit(C, N, t, 'number:%d' % sum(1 for d in DISTRICTS if DISTRICTS[d][3] == pc),
             'number of district-level units of the province (from the roster)')
    # "toàn tỉnh" means the user's province: the Ministry has none
    for t in ['toàn tỉnh còn bao nhiêu xã chưa có TCAX CQ?', 'toan tinh co bao nhieu cav chua cq']:
        emit(C, N, t, 'clarify', '"toàn tỉnh" for a national user: which province? ask')
    # other roles: the country is outside their scope; "toàn tỉnh" is the user's province
    for role_user in [('C', communes_for_users(1)[0]), ('C', communes_for_users(1)[0]), ('D', pick(HB_DISTRICTS)),
                      ('D', pick(HB_DISTRICTS)), P, P]:
        ph = pick(['cả nước', 'toàn quốc', 'ca nuoc', 'trên toàn quốc'])
        mid = pick(['cu:chief_notreg', 'cp:officer:notreg', 'shu:chief_reg'])
        ask(C, role_user, mid, None, ph, res='refused', where='"%s" = the whole country' % ph,
            diac=chance(0.5), extra=' (a user below the national level asking about the country)')
    for mid in ['cu:chief_notreg', 'shu:chief_reg', 'cp:all:semi', 'cu:dep_none_reg']:
        ask(C, P, mid, P, pick(['toàn tỉnh', 'tỉnh mình', 'cả tỉnh', 'tỉnh Hòa Bình']), diac=chance(0.5),
            extra=' ("toàn tỉnh" = the user\'s province)')
    emit(C, P, 'tỉnh mình có bao nhiêu thị trấn?', 'number:%d' % count_type(P, ('thị trấn',)),
         'number of thị trấn of the province (from the roster)')
    emit(C, P, 'toàn tỉnh có bao nhiêu xã, thị trấn thuộc đề án?', 'number:141',
         'number of xã and thị trấn (the plan\'s units) of the province')
    ask(C, P, 'cu:chief_notreg', None, 'tỉnh Sơn La', res='notfound', where='"tỉnh Sơn La"',
        extra=' (another province: not in the provincial roster)')
    emit(C, ('D', '148'), 'tp mình có mấy phường?', 'number:%d' % count_type(('D', '148'), ('phường',)),
         'number of phường of Thành phố Hòa Bình (from the roster)')
    for d in QR.sample(HB_DISTRICTS, 2):
        user = ('D', d)
        emit(C, user, pick(['huyện mình có bao nhiêu xã, thị trấn?', 'h minh co bao nhieu xa, tt']),
             'number:%d' % len(plan_units(user)), 'number of xã and thị trấn of ' + scope_label(user) + ' (roster)')
    for d in QR.sample(HB_DISTRICTS, 2):
        user = ('D', d)
        ask(C, user, 'cu:chief_notreg', None, 'toàn tỉnh', res='refused', where='"toàn tỉnh" = the province',
            diac=chance(0.5), extra=' ("toàn tỉnh" from a district user)')
    user = ('C', communes_for_users(1)[0])
    ask(C, user, 'shu:chief_reg', None, 'toàn tỉnh', res='refused', where='"toàn tỉnh" = the province',
        diac=chance(0.5), extra=' ("toàn tỉnh" from a commune user)')


# ---------------------------------------------------------------- main

def write_questions(path):
    counters = Counter()
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write('id\trole\tscope\tquestion\texpect\tnote\n')
        for r in ROWS:
            counters[r['cls']] += 1
            r['id'] = 'C%d-%03d' % (r['cls'], counters[r['cls']])
            f.write('\t'.join([r['id'], r['role'], r['scope'], r['question'], r['expect'], r['note']]) + '\n')


EXPECT_RE = re.compile(
    r'^(number:\d+|percent:\d+\.\d|names:[^|]*(\|[^|]+)*|ranked:[^|]+(\|[^|]+)*|yes|no|'
    r'holder:(-|[^;]+)(;since:\d\d/\d\d/\d{4})?|since:\d\d/\d\d/\d{4}|notfound|clarify|refused)$')


def self_check():
    seen = set()
    for r in ROWS:
        for part in r['expect'].split(' && '):
            assert EXPECT_RE.match(part), (r['question'], r['expect'])
        k = (r['role'], r['scope'], r['question'])
        assert k not in seen, ('duplicate', k)
        seen.add(k)
    by = Counter((r['cls'], r['role']) for r in ROWS)
    roles = ('commune', 'district', 'province', 'national')
    print('class  ' + '  '.join('%9s' % x for x in roles) + '    total')
    for c in sorted({r['cls'] for r in ROWS}):
        print('C%-5d ' % c + '  '.join('%9d' % by[(c, x)] for x in roles) + '  %7d' % sum(by[(c, x)] for x in roles))
    print('total  ' + '  '.join('%9d' % sum(by[(c, x)] for c in range(1, 10)) for x in roles) + '  %7d' % len(ROWS))
    kinds = Counter(p.split(':')[0] for r in ROWS for p in r['expect'].split(' && '))
    print('expect kinds:', dict(sorted(kinds.items())))


def main():
    write_posts(os.path.join(HERE, 'posts.csv'), HB_PLAN)
    write_posts(os.path.join(HERE, 'posts_national.csv'), PLAN)
    for fn in GENERATORS:
        fn()
    self_check()
    write_questions(os.path.join(HERE, 'questions.tsv'))


GENERATORS = [class1, class2, class3, class4, class5, class6, class7, class8, class9]

if __name__ == '__main__':
    main()
