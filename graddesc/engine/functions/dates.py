"""Dates and times (Excel serial numbers, 1900 and 1904 systems): DATE, YEARFRAC, ...

Every serial is turned into a calendar date with base.serial_ymd and back with `ymd_serial`
below, so both date systems and the 1900 system's phantom 29-Feb-1900 (serial 60) behave as in
Excel: DATE(1900,2,29) is 60, DATE(1900,3,0) is 60, WEEKDAY(1) is 1 (a Sunday by Excel's count).

The day-count bases (30/360 US, actual/actual, actual/360, actual/365, 30/360 European) live
here once (`yearfrac`, `days360`) and are shared with the financial functions."""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import re
from dataclasses import replace as _dc_replace

from graddesc.engine.functions.base import (  # noqa: F401
    CTX,
    FUNCTIONS,
    Area,
    _num1,
    _numbers,
    _one,
    finite,
    fn,
    number_text,
    serial_ymd,
    to_bool,
    to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401

_ORD_1900 = _dt.date(1899, 12, 30).toordinal()
_ORD_1904 = _dt.date(1904, 1, 1).toordinal()
_MAX_1900 = 2958465  # 9999-12-31


def max_serial() -> int:
    return _MAX_1900 - 1462 if CTX.date1904 else _MAX_1900


def ymd_serial(y: int, m: int, d: int) -> int:
    """Excel's serial of year y, month m (any integer: rolls over into years), day d (any integer:
    the serial of the month's first day plus d-1), without range check.  In the 1900 system
    February 1900 has 29 days, as in Excel."""
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    if y < 1 or y > 9999:
        raise XLError(NUM)
    o = _dt.date(y, m, 1).toordinal()
    if CTX.date1904:
        n = o - _ORD_1904
    else:
        n = o - _ORD_1900
        if n < 61:  # before 1900-03-01: the phantom 29-Feb-1900 is not counted
            n -= 1
    return n + d - 1


def check_serial(n: float) -> float:
    """A serial Excel can show (0 .. 9999-12-31) or #NUM!."""
    if n < 0 or n >= max_serial() + 1:
        raise XLError(NUM)
    return float(n)


def is_leap(y: int) -> bool:
    """Leap year as Excel counts it (1900 is one in the 1900 system)."""
    return calendar.isleap(y) or (y == 1900 and not CTX.date1904)


def days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if is_leap(y) else 28
    return calendar.monthrange(y, m)[1]


def sunday_index(n: int) -> int:
    """0 for Sunday .. 6 for Saturday of serial n, by Excel's serial arithmetic (serial 1 of the
    1900 system is a Sunday; serial 0 of the 1904 system, 1904-01-01, a Friday)."""
    return (n + (5 if CTX.date1904 else 6)) % 7


# ------------------------------------------------------------------------------ text -> serial

_MONTHS = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        _MONTHS[_name.upper()] = _i
        _MONTHS[_name[:3].upper()] = _i
_MONTHS["SEPT"] = 9

_TIME_RE = re.compile(
    r"(?:(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?|(\d+):(\d{1,2}\.\d*)|(\d{1,2}))"
    r"\s*(AM|PM|A|P)?$")


def _year2(y: str) -> int:
    v = int(y)
    if len(y) <= 2:
        return v + (2000 if v < 30 else 1900)
    if len(y) == 4:
        return v
    raise ValueError


def _date_serial(y: int, m: int, d: int) -> int:
    if not (1900 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= days_in_month(y, m)):
        raise ValueError
    n = ymd_serial(y, m, d)
    if n < 0 or n > max_serial():
        raise ValueError
    return n


def _parse_date_part(s: str) -> int:
    """Serial of an en-US date text without its time part, or ValueError."""
    this_year = _dt.date.today().year
    m = re.fullmatch(r"(\d{1,4})\s*([/-])\s*(\d{1,2})\s*[/-]\s*(\d{1,4})", s)
    if m:
        a, _, b, c = m.groups()
        if len(a) == 4:  # yyyy-m-d
            return _date_serial(int(a), int(b), int(c))
        if len(a) > 2:
            raise ValueError
        return _date_serial(_year2(c), int(a), int(b))  # m/d/y
    m = re.fullmatch(r"(\d{1,4})\s*[/-]\s*(\d{1,4})", s)
    if m:
        a, b = m.groups()
        if len(a) == 4:  # yyyy/m: the month's first day
            return _date_serial(int(a), int(b), 1)
        if len(a) > 2:
            raise ValueError
        mo = int(a)
        if len(b) <= 2 and 1 <= mo <= 12 and 1 <= int(b) <= days_in_month(this_year, mo):
            return _date_serial(this_year, mo, int(b))  # m/d of this year
        return _date_serial(_year2(b), mo, 1)  # m/yy: the month's first day
    toks = [t for t in re.split(r"[\s,./-]+", s) if t]
    if not 2 <= len(toks) <= 3:
        raise ValueError
    kinds = ["M" if t in _MONTHS else ("N" if t.isdigit() else "?") for t in toks]
    if "?" in kinds or kinds.count("M") != 1:
        raise ValueError
    mo = _MONTHS[toks[kinds.index("M")]]
    nums = [t for t in toks if t.isdigit()]
    pat = "".join(kinds)
    if pat in ("NMN", "MNN"):  # 15-Jan-2008, January 15, 2008
        return _date_serial(_year2(nums[1]), mo, int(nums[0]))
    if pat == "NNM" and len(nums[0]) == 4:  # 2008 15 Jan is not a thing; 2008-Jan-15 is
        raise ValueError
    if pat == "NMN" or pat == "NNM":
        raise ValueError
    d = nums[0]
    if pat == "NM":  # 15-Jan: this year
        if len(d) > 2:
            raise ValueError
        return _date_serial(this_year, mo, int(d))
    if pat == "MN":  # Jan-15: day of this year if it can be one, else the year (Jan-32, Jan 2008)
        if len(d) <= 2 and 1 <= int(d) <= days_in_month(this_year, mo):
            return _date_serial(this_year, mo, int(d))
        return _date_serial(_year2(d), mo, 1)
    raise ValueError


def _parse_time_part(s: str) -> float:
    m = _TIME_RE.fullmatch(s)
    if not m:
        raise ValueError
    h, mi, se, m2, s2, h_only, ampm = m.groups()
    if m2 is not None:  # mm:ss.0
        hh, mm, ss = 0, int(m2), float(s2)
    elif h_only is not None:
        if ampm is None:
            raise ValueError
        hh, mm, ss = int(h_only), 0, 0.0
    else:
        hh, mm, ss = int(h), int(mi), float(se) if se else 0.0
    if mm >= 60 or ss >= 60:
        raise ValueError
    if ampm:
        if hh > 12:
            raise ValueError
        if hh == 12:
            hh = 0
        if ampm.startswith("P"):
            hh += 12
    elif hh >= 10000:
        raise ValueError
    return (hh * 3600 + mm * 60 + ss) / 86400.0


def parse_datetime(text: str):
    """(date serial or None, time fraction or None) of an en-US date/time text as Excel reads it
    (1/15/2008, 2008-01-15, 15-Jan-2008, January 15, 2008, 15-Jan, Jan-08, 10:30, 6:45 PM,
    1/15/2008 10:30:15.5 ...), or None when Excel would not read it as a date or time."""
    s = " ".join(text.strip().upper().split())
    if not s:
        return None
    # the time part is the last token(s) holding ':' or ending in AM/PM
    m = re.search(r"(?:^|\s)(\d+(?::\d+(?:\.\d*)?){0,2}\s*(?:AM|PM|A|P)?|\d+:\d+(?::\d+(?:\.\d*)?)?)$", s)
    time_txt = None
    date_txt = s
    if m:
        cand = m.group(1)
        if ":" in cand or re.search(r"[AP]M?$", cand):
            time_txt, date_txt = cand, s[:m.start(1)].strip()
    try:
        t = _parse_time_part(time_txt) if time_txt is not None else None
        d = _parse_date_part(date_txt) if date_txt else None
    except (ValueError, XLError):
        return None
    if d is None and t is None:
        return None
    return d, t


def date_arg(v) -> float:
    """A date argument: a number, or a text Excel reads as a number or a date/time (YEAR("2008-
    1-15")); other text #VALUE!; the serial must be 0 .. 9999-12-31 (#NUM! else)."""
    v = _one(v)
    if v.__class__ is str:
        try:
            x = to_number(v)
        except XLError:
            r = parse_datetime(v)
            if r is None:
                raise XLError(VALUE) from None
            x = (r[0] or 0) + (r[1] or 0.0)
    else:
        x = to_number(v)
    if x < 0 or x >= max_serial() + 1:
        raise XLError(NUM)
    return x


def date_arg_any(v) -> float:
    """A number or a text Excel reads as a number or date/time, without range check."""
    try:
        return to_number(v)
    except XLError:
        r = parse_datetime(v)
        if r is None:
            raise XLError(VALUE) from None
        return (r[0] or 0) + (r[1] or 0.0)


def day_arg(v) -> int:
    """A date argument's whole day (the serial truncated: DAYS, NETWORKDAYS, WORKDAY)."""
    return math.floor(date_arg(v))


def cal_arg(v) -> int:
    """The day of a date argument as Excel's conversion to a calendar date sees it: the serial is
    rounded to the nearest second first, so 46000.999999 is day 46001 (YEAR, DAY, DAYS360, ...;
    HOUR/MINUTE/SECOND round the same way)."""
    x = date_arg(v)
    return int(math.floor(x * 86400.0 + 0.5) // 86400)


def _int(v) -> int:
    """An integer argument, truncated toward zero as Excel does (a date text counts as its
    serial, as everywhere Excel wants a number)."""
    v = _one(v)
    x = date_arg_any(v) if v.__class__ is str else to_number(v)
    if abs(x) > 1e15:
        raise XLError(NUM)
    return int(x)


def no_logicals(*names, allow=()):
    """Mark functions that came from Excel's Analysis ToolPak (EDATE, YEARFRAC, the securities
    functions ...): they take no logical values, TRUE or FALSE anywhere is #VALUE!; an error
    value earlier in the argument list wins.  `allow`: positions that are logical arguments
    (ACCRINT's calc_method)."""
    for name in names:
        f = FUNCTIONS[name]
        impl = f.impl

        def checked(*args, _impl=impl):
            for i, a in enumerate(args):
                if i in allow:
                    continue
                v = _one(a) if a.__class__ is Area and len(a.rows) == 1 and len(a.rows[0]) == 1 else a
                if v.__class__ is ExcelError:
                    raise XLError(v)
                if v.__class__ is bool:
                    raise XLError(VALUE)
            return _impl(*args)

        checked.__name__ = impl.__name__
        FUNCTIONS[name] = _dc_replace(f, impl=checked)


# ------------------------------------------------------------------------------ construct

@fn("DATE", 3, 3)
def DATE(year, month, day):
    y, m, d = _num1(year), _num1(month), _num1(day)
    if max(abs(y), abs(m), abs(d)) >= 1e12:
        raise XLError(NUM)
    y, m, d = int(y), int(m), int(d)  # truncated
    if y < 0 or y >= 10000:
        raise XLError(NUM)
    if y < 1900:
        y += 1900
    return check_serial(ymd_serial(y, m, d))


@fn("TIME", 3, 3)
def TIME(hour, minute, second):
    h, m, s = _int(hour), _int(minute), _int(second)
    if max(h, m, s) > 32767:
        raise XLError(NUM)
    total = h * 3600 + m * 60 + s
    if total < 0:
        raise XLError(NUM)
    return (total % 86400) / 86400.0


@fn("DATEVALUE", 1, 1)
def DATEVALUE(text):
    text = _one(text)
    if text.__class__ is ExcelError:
        raise XLError(text)
    if text.__class__ is not str:
        raise XLError(VALUE)
    r = parse_datetime(text)
    if r is None:
        raise XLError(VALUE)
    return float(r[0] or 0)


@fn("TIMEVALUE", 1, 1)
def TIMEVALUE(text):
    text = _one(text)
    if text.__class__ is ExcelError:
        raise XLError(text)
    if text.__class__ is not str:
        raise XLError(VALUE)
    r = parse_datetime(text)
    if r is None:
        raise XLError(VALUE)
    t = r[1] or 0.0
    return t - math.floor(t)


# ------------------------------------------------------------------------------ parts

@fn("YEAR", 1, 1)
def YEAR(serial):
    return float(serial_ymd(cal_arg(serial))[0])


@fn("MONTH", 1, 1)
def MONTH(serial):
    return float(serial_ymd(cal_arg(serial))[1])


@fn("DAY", 1, 1)
def DAY(serial):
    return float(serial_ymd(cal_arg(serial))[2])


def _clock(serial) -> int:
    """Seconds since midnight of a serial's time fraction, rounded to the nearest second as
    Excel's HOUR/MINUTE/SECOND do (0.9999999 is the next midnight: HOUR 0)."""
    x = date_arg(serial)
    s = math.floor((x - math.floor(x)) * 86400.0 + 0.5)
    return int(s) % 86400


@fn("HOUR", 1, 1)
def HOUR(serial):
    return float(_clock(serial) // 3600)


@fn("MINUTE", 1, 1)
def MINUTE(serial):
    return float(_clock(serial) // 60 % 60)


@fn("SECOND", 1, 1)
def SECOND(serial):
    return float(_clock(serial) % 60)


# return_type -> (weekday index of the day numbered first, number of that day)
_WEEKDAY_TYPES = {1: (0, 1), 2: (1, 1), 3: (1, 0), 11: (1, 1), 12: (2, 1), 13: (3, 1), 14: (4, 1),
                  15: (5, 1), 16: (6, 1), 17: (0, 1)}


@fn("WEEKDAY", 1, 2)
def WEEKDAY(serial, return_type=None):
    n = cal_arg(serial)
    rt = 1 if return_type is None else _int(return_type)
    if rt not in _WEEKDAY_TYPES:
        raise XLError(NUM)
    first, base = _WEEKDAY_TYPES[rt]
    return float((sunday_index(n) - first) % 7 + base)


# WEEKNUM return_type -> Sunday-index of the day a week starts on (21: ISO 8601)
_WEEKNUM_START = {1: 0, 2: 1, 11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 16: 6, 17: 0}


def iso_weeknum(n: int) -> int:
    mon = (sunday_index(n) - 1) % 7  # 0 Monday .. 6 Sunday
    thursday = n - mon + 3
    if thursday < (0 if CTX.date1904 else 1):
        y = 1903 if CTX.date1904 else 1899
    else:
        y = serial_ymd(thursday)[0]
    return (thursday - ymd_serial(y, 1, 1)) // 7 + 1


@fn("WEEKNUM", 1, 2)
def WEEKNUM(serial, return_type=None):
    n = cal_arg(serial)
    rt = 1 if return_type is None else _int(return_type)
    if rt == 21:
        return float(iso_weeknum(n))
    if rt not in _WEEKNUM_START:
        raise XLError(NUM)
    jan1 = ymd_serial(serial_ymd(n)[0], 1, 1)
    offset = (sunday_index(jan1) - _WEEKNUM_START[rt]) % 7
    return float((n - jan1 + offset) // 7 + 1)


@fn("ISOWEEKNUM", 1, 1)
def ISOWEEKNUM(serial):
    return float(iso_weeknum(cal_arg(serial)))


# ------------------------------------------------------------------------------ month arithmetic

def add_months(n: int, months: int, end_of_month: bool) -> int:
    y, m, d = serial_ymd(n)
    y += (m - 1 + months) // 12
    m = (m - 1 + months) % 12 + 1
    if y < 1900 or y > 9999:
        raise XLError(NUM)
    last = days_in_month(y, m)
    return ymd_serial(y, m, last if end_of_month else min(d, last))


@fn("EDATE", 2, 2)
def EDATE(start, months):
    n, k = cal_arg(start), _int(months)
    return check_serial(add_months(n, k, False))


@fn("EOMONTH", 2, 2)
def EOMONTH(start, months):
    n, k = cal_arg(start), _int(months)
    return check_serial(add_months(n, k, True))


# ------------------------------------------------------------------------------ differences

@fn("DAYS", 2, 2)
def DAYS(end, start):
    e, s = day_arg(end), day_arg(start)
    return float(e - s)


@fn("DATEDIF", 3, 3)
def DATEDIF(start, end, unit):
    s, e = cal_arg(start), cal_arg(end)
    u = to_text(_one(unit)).upper()
    if s > e:
        raise XLError(NUM)
    y1, m1, d1 = serial_ymd(s)
    y2, m2, d2 = serial_ymd(e)
    if u == "D":
        return float(e - s)
    if u == "Y":
        return float(y2 - y1 - (1 if (m2, d2) < (m1, d1) else 0))
    if u == "M":
        return float((y2 - y1) * 12 + m2 - m1 - (1 if d2 < d1 else 0))
    if u == "YM":
        return float((m2 - m1 - (1 if d2 < d1 else 0)) % 12)
    if u == "MD":
        if d2 >= d1:
            return float(d2 - d1)
        # the start's day in the month before the end's, rolled over as DATE does: Excel's
        # documented quirk (1/31 to 3/1 gives -2)
        return float(e - ymd_serial(y2, m2 - 1, d1))
    if u == "YD":
        # Excel moves the end date into the start's year (the next one when its day of the year
        # comes earlier): 1988-06-22 .. 2012-05-11 is 323 days
        y = y1 if (m2, d2) >= (m1, d1) else y1 + 1
        return float(ymd_serial(y, m2, d2) - s)
    raise XLError(NUM)


def days360(s: int, e: int, european: bool) -> int:
    """DAYS360's count: US (NASD) method as Excel: a start on the 31st or on February's last day
    counts as the 30th; an end on the 31st counts as the 30th when the start (so adjusted) is the
    30th.  European: every 31st counts as the 30th."""
    y1, m1, d1 = serial_ymd(s)
    y2, m2, d2 = serial_ymd(e)
    if european:
        d1, d2 = min(d1, 30), min(d2, 30)
    else:
        if d1 == 31 or (m1 == 2 and d1 == days_in_month(y1, 2)):
            d1 = 30
        if d2 == 31 and d1 == 30:
            d2 = 30
    return (y2 - y1) * 360 + (m2 - m1) * 30 + d2 - d1


@fn("DAYS360", 2, 3)
def DAYS360(start, end, method=None):
    s, e = cal_arg(start), cal_arg(end)
    eu = False if method is None else to_bool(_one(method))
    return float(days360(s, e, eu))


# ------------------------------------------------------------------------------ day-count bases

def _basis(basis) -> int:
    b = 0 if basis is None else _int(basis)
    if b < 0 or b > 4:
        raise XLError(NUM)
    return b


def _last_of_month(y, m, d) -> bool:
    return d == days_in_month(y, m)


def days_30_360_us(s: int, e: int) -> int:
    """30/360 US day count as YEARFRAC's basis 0 does it (s <= e)."""
    y1, m1, d1 = serial_ymd(s)
    y2, m2, d2 = serial_ymd(e)
    feb1 = m1 == 2 and _last_of_month(y1, m1, d1)
    feb2 = m2 == 2 and _last_of_month(y2, m2, d2)
    if d1 == 31 and d2 == 31:
        d1 = d2 = 30
    elif d1 == 31:
        d1 = 30
    elif d1 == 30 and d2 == 31:
        d2 = 30
    elif feb1 and feb2:
        d1 = d2 = 30
    elif feb1:
        d1 = 30
    return (y2 - y1) * 360 + (m2 - m1) * 30 + d2 - d1


def days_30_360_eu(s: int, e: int) -> int:
    return days360(s, e, True)


def yearfrac(s: int, e: int, basis: int) -> float:
    """YEARFRAC's fraction of a year between two serial days, as Excel computes each basis."""
    if s > e:
        s, e = e, s
    if s == e:
        return 0.0
    if basis == 0:
        return days_30_360_us(s, e) / 360.0
    if basis == 2:
        return (e - s) / 360.0
    if basis == 3:
        return (e - s) / 365.0
    if basis == 4:
        return days_30_360_eu(s, e) / 360.0
    # basis 1, actual/actual as Excel does it: a span that looks like at most a year is divided
    # by 366 when a 29 February falls inside it (or the span is within one leap year), else
    # 365; longer spans by the average length of the calendar years they touch.
    y1, m1, d1 = serial_ymd(s)
    y2, m2, d2 = serial_ymd(e)
    # (year lengths by the real calendar: 1900 has 365 days here)
    leap = calendar.isleap
    if y1 == y2 or (y1 + 1 == y2 and (m1 > m2 or (m1 == m2 and d1 >= d2))):
        if (y1 == y2 and leap(y1)) or (leap(y1) and (m1, d1) < (3, 1)) \
                or (leap(y2) and (m2, d2) >= (3, 1)) or (m2 == 2 and d2 == 29):
            length = 366.0
        else:
            length = 365.0
        return (e - s) / length
    years = y2 - y1 + 1
    days = sum(366 if leap(y) else 365 for y in range(y1, y2 + 1))
    return (e - s) / (days / years)


@fn("YEARFRAC", 2, 3)
def YEARFRAC(start, end, basis=None):
    # Excel looks at the basis first (YEARFRAC(#DIV/0!,1,5) is #NUM!) and, an Analysis ToolPak
    # function, takes no logical values
    for v in (basis, start, end):
        if _one(v).__class__ is bool:
            raise XLError(VALUE)
    b = _basis(basis)
    s, e = cal_arg(start), cal_arg(end)
    return yearfrac(s, e, b)


# ------------------------------------------------------------------------------ working days

_WEEKEND_CODES = {1: (5, 6), 2: (6, 0), 3: (0, 1), 4: (1, 2), 5: (2, 3), 6: (3, 4), 7: (4, 5),
                  11: (6,), 12: (0,), 13: (1,), 14: (2,), 15: (3,), 16: (4,), 17: (5,)}


def _weekend(w, allow_all: bool) -> tuple:
    """A weekend argument -> 7 booleans, Monday first (True: a weekend day)."""
    w = _one(w)
    if w is None:
        days = (5, 6)
    elif w.__class__ is str:
        if len(w) != 7 or set(w) - {"0", "1"}:
            raise XLError(VALUE)
        if w == "1111111" and not allow_all:
            raise XLError(VALUE)
        return tuple(c == "1" for c in w)
    else:
        code = _int(w)
        if code not in _WEEKEND_CODES:
            raise XLError(NUM)
        days = _WEEKEND_CODES[code]
    return tuple(i in days for i in range(7))


def _monday_index(n: int) -> int:
    return (sunday_index(n) - 1) % 7


def _holidays(h) -> set:
    out = set()
    if h is None:
        return out
    vals = h.values() if h.__class__ is Area else [h]
    for v in vals:
        if v is None:
            continue
        if v.__class__ is ExcelError:
            raise XLError(v)
        if v.__class__ is bool:
            raise XLError(VALUE)
        out.add(day_arg(v))
    return out


def networkdays(s: int, e: int, weekend: tuple, hol: set) -> int:
    sign = 1
    if s > e:
        s, e, sign = e, s, -1
    total = e - s + 1
    weeks, rest = divmod(total, 7)
    count = weeks * (7 - sum(weekend))
    first = _monday_index(s)
    for i in range(rest):
        if not weekend[(first + i) % 7]:
            count += 1
    for h in hol:
        if s <= h <= e and not weekend[_monday_index(h)]:
            count -= 1
    return sign * count


def workday(n: int, days: int, weekend: tuple, hol: set) -> int:
    if days == 0:
        return n
    step = 1 if days > 0 else -1
    remaining = abs(days)
    per_week = 7 - sum(weekend)
    hol = {h for h in hol if not weekend[_monday_index(h)]}
    lim = max_serial()
    while remaining > 2 * per_week:
        k = remaining // per_week - 1
        new = n + step * 7 * k
        if new < -7 or new > lim + 7:
            raise XLError(NUM)
        lo, hi = (n + 1, new) if step > 0 else (new, n - 1)
        remaining -= k * per_week
        remaining += sum(1 for h in hol if lo <= h <= hi)
        n = new
    while remaining:
        n += step
        if n < 0 or n > lim:
            raise XLError(NUM)
        if not weekend[_monday_index(n)] and n not in hol:
            remaining -= 1
    return n


@fn("NETWORKDAYS", 2, 3, arrays=(2,))
def NETWORKDAYS(start, end, holidays=None):
    s, e = day_arg(start), day_arg(end)
    return float(networkdays(s, e, _weekend(None, True), _holidays(holidays)))


@fn("NETWORKDAYS.INTL", 2, 4, arrays=(3,))
def NETWORKDAYS_INTL(start, end, weekend=None, holidays=None):
    s, e = day_arg(start), day_arg(end)
    return float(networkdays(s, e, _weekend(weekend, True), _holidays(holidays)))


@fn("WORKDAY", 2, 3, arrays=(2,))
def WORKDAY(start, days, holidays=None):
    n, k = day_arg(start), _int(days)
    return check_serial(workday(n, k, _weekend(None, False), _holidays(holidays)))


@fn("WORKDAY.INTL", 2, 4, arrays=(3,))
def WORKDAY_INTL(start, days, weekend=None, holidays=None):
    n, k = day_arg(start), _int(days)
    wk = _weekend(weekend, False)
    return check_serial(workday(n, k, wk, _holidays(holidays)))


no_logicals("EDATE", "EOMONTH", "WEEKNUM", "NETWORKDAYS", "WORKDAY", "NETWORKDAYS.INTL", "WORKDAY.INTL")
