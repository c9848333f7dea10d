"""Text: LEFT, MID, FIND, SEARCH, SUBSTITUTE, TRIM, CHAR, VALUE, TEXT, TEXTJOIN, REGEX..., ...

Written from Microsoft's function reference (en-US locale: "." decimal, "," thousands, "$",
month/day/year dates, the Windows-1252 character set of CHAR and CODE).  The byte variants
(LEFTB, LENB, ...) count bytes only under a double-byte (DBCS) default language; in any other
locale Excel documents them as equal to LEFT, LEN, ..., which is what they are here.

Helpers other modules may use:
  format_number(value, code)  a number (or text) shown with an Excel number format code
  parse_number_text(s)        Excel's reading of typed text as a number, date or time (VALUE)
  fixed_text(x, decimals, commas)
"""

from __future__ import annotations

import calendar
import datetime as _dt
import decimal
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from graddesc.engine.functions.base import (  # noqa: F401
    CTX,
    FUNCTIONS,
    Area,
    Function,
    _num1,
    _numbers,
    _one,
    date_to_serial,
    finite,
    fn,
    number_text,
    serial_ymd,
    to_bool,
    to_number,
    to_text,
)
from graddesc.engine.values import DIV0, NA, NUM, REF, VALUE, ExcelError, XLError  # noqa: F401

try:  # PCRE-like syntax (named groups (?<n>..), \p{L}, [[:alpha:]], atomic groups); a dependency of `formulas`
    import regex as _re_engine
except ImportError:  # pragma: no cover - fall back to the standard library
    _re_engine = re

_OMITTED = object()  # an omitted argument, where Excel treats it unlike an empty cell
MAX_TEXT = 32767  # Excel's longest text value; a longer result is #VALUE!


def _limit(s: str) -> str:
    if len(s) > MAX_TEXT:
        raise XLError(VALUE)
    return s


def _text(x) -> str:
    return to_text(_one(x))


def _int(x) -> int:
    """An "integer" argument: Excel truncates toward zero."""
    v = _num1(x)
    if v - v != 0.0:
        raise XLError(NUM)
    return int(v)


def _flag01(x, default=0) -> int:
    """A 0/1 mode argument (case_sensitivity, match_mode): anything else is #VALUE!."""
    if x is None:
        return default
    v = _int(x)
    if v not in (0, 1):
        raise XLError(VALUE)
    return v


def _flat(args):
    """Values of CONCAT/TEXTJOIN-like arguments, ranges row by row."""
    for a in args:
        if a.__class__ is Area:
            yield from a.values()
        else:
            yield a


# ------------------------------------------------------------------------------ pieces of text

@fn("LEFT", 1, 2)
def LEFT(text, num_chars=1.0):
    s = _text(text)
    n = _int(num_chars)
    if n < 0:
        raise XLError(VALUE)
    return s[:n]


@fn("RIGHT", 1, 2)
def RIGHT(text, num_chars=1.0):
    s = _text(text)
    n = _int(num_chars)
    if n < 0:
        raise XLError(VALUE)
    return s[len(s) - n:] if n < len(s) else s


@fn("MID", 3, 3)
def MID(text, start_num, num_chars):
    s = _text(text)
    start, n = _int(start_num), _int(num_chars)
    if start < 1 or n < 0:
        raise XLError(VALUE)
    return s[start - 1:start - 1 + n]


@fn("LEN", 1, 1)
def LEN(text):
    return float(len(_text(text)))


@fn("REPLACE", 4, 4)
def REPLACE(old_text, start_num, num_chars, new_text):
    s = _text(old_text)
    start, n = _int(start_num), _int(num_chars)
    new = _text(new_text)
    if start < 1 or n < 0:
        raise XLError(VALUE)
    return _limit(s[:start - 1] + new + s[start - 1 + n:])


for _name, _impl in (("LEFTB", LEFT), ("RIGHTB", RIGHT), ("MIDB", MID), ("LENB", LEN), ("REPLACEB", REPLACE)):
    _f = FUNCTIONS[_name[:-1]]
    fn(_name, _f.min_args, _f.max_args)(_impl)


# ------------------------------------------------------------------------------ searching

def _start(start_num, within: str) -> int:
    start = _int(start_num)
    if start < 1 or start > len(within) + 1:
        raise XLError(VALUE)
    return start


@fn("FIND", 2, 3)
def FIND(find_text, within_text, start_num=1.0):
    """Case-sensitive, no wildcards; "" is found at start_num."""
    f, s = _text(find_text), _text(within_text)
    start = _start(start_num, s)
    i = s.find(f, start - 1)
    if i < 0:
        raise XLError(VALUE)
    return float(i + 1)


def wildcard_regex(pattern: str, anchored: bool = False) -> str:
    """Excel's wildcards as a regular expression: ? one character, * any run, ~ escapes ?, * and ~."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "~" and i + 1 < n and pattern[i + 1] in "?*~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append("." if c == "?" else ".*" if c == "*" else re.escape(c))
        i += 1
    body = "".join(out)
    return f"(?s:{body})\\Z" if anchored else f"(?s:{body})"


@fn("SEARCH", 2, 3)
def SEARCH(find_text, within_text, start_num=1.0):
    """Case-insensitive, with the wildcards ? * and ~."""
    f, s = _text(find_text), _text(within_text)
    start = _start(start_num, s)
    m = re.compile(wildcard_regex(f), re.IGNORECASE).search(s, start - 1)
    if m is None:
        raise XLError(VALUE)
    return float(m.start() + 1)


fn("FINDB", 2, 3)(FIND)
fn("SEARCHB", 2, 3)(SEARCH)


@fn("SUBSTITUTE", 3, 4)
def SUBSTITUTE(text, old_text, new_text, instance_num=_OMITTED):
    s, old, new = _text(text), _text(old_text), _text(new_text)
    if instance_num is _OMITTED:  # (an empty cell counts as 0: #VALUE!)
        return _limit(s.replace(old, new)) if old else s
    n = _int(instance_num)
    if n < 1:
        raise XLError(VALUE)
    if not old:
        return s
    i = -1
    for _ in range(n):
        i = s.find(old, i + (len(old) if i >= 0 else 1))
        if i < 0:
            return s
    return _limit(s[:i] + new + s[i + len(old):])


# ------------------------------------------------------------------------------ case and cleaning

def _map_same_length(s: str, f) -> str:
    # Excel maps character by character: "ß" stays "ß" in UPPER (Python would give "SS")
    return "".join(u if len(u := f(c)) == 1 else c for c in s)


@fn("UPPER", 1, 1)
def UPPER(text):
    return _map_same_length(_text(text), str.upper)


@fn("LOWER", 1, 1)
def LOWER(text):
    return _map_same_length(_text(text), str.lower)


@fn("PROPER", 1, 1)
def PROPER(text):
    """The first letter of the text and every letter after a non-letter in upper case, all other
    letters in lower case ("2-way street" -> "2-Way Street", "don't" -> "Don'T")."""
    out = []
    prev_letter = False
    for c in _text(text):
        if c.isalpha():
            u = c.lower() if prev_letter else c.upper()
            out.append(u if len(u) == 1 else c)
            prev_letter = True
        else:
            out.append(c)
            prev_letter = False
    return "".join(out)


_SPACES = re.compile(" +")


@fn("TRIM", 1, 1)
def TRIM(text):
    """Removes the spaces (character 32 only) at both ends and leaves single spaces between words."""
    return _SPACES.sub(" ", _text(text).strip(" "))


_CONTROL = re.compile("[\x00-\x1f]+")


@fn("CLEAN", 1, 1)
def CLEAN(text):
    """Removes the 7-bit ASCII control characters 0-31 (not 127, not the Unicode ones)."""
    return _CONTROL.sub("", _text(text))


@fn("EXACT", 2, 2)
def EXACT(text1, text2):
    return _text(text1) == _text(text2)


@fn("T", 1, 1)
def T(value):
    v = _one(value)
    if v.__class__ is ExcelError:
        raise XLError(v)
    return v if v.__class__ is str else ""


@fn("REPT", 2, 2)
def REPT(text, number_times):
    s = _text(text)
    n = _int(number_times)
    if n < 0:
        raise XLError(VALUE)
    if not s:
        return ""
    if len(s) * n > MAX_TEXT:
        raise XLError(VALUE)
    return s * n


# ------------------------------------------------------------------------------ characters

def _char(n: int) -> str:
    """Character n (1-255) of Windows-1252; its five unassigned codes give the control character."""
    try:
        return bytes([n]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(n)


@fn("CHAR", 1, 1)
def CHAR(number):
    n = _int(number)
    if not 1 <= n <= 255:
        raise XLError(VALUE)
    return _char(n)


@fn("CODE", 1, 1)
def CODE(text):
    s = _text(text)
    if not s:
        raise XLError(VALUE)
    c = s[0]
    try:
        return float(c.encode("cp1252")[0])
    except UnicodeEncodeError:
        o = ord(c)
        return float(o) if o < 256 else 63.0  # not in the code page: "?"


@fn("UNICHAR", 1, 1)
def UNICHAR(number):
    n = _int(number)
    if not 1 <= n <= 0x10FFFF:
        raise XLError(VALUE)
    if 0xD800 <= n <= 0xDFFF:  # a lone surrogate is not a character
        raise XLError(NA)
    return chr(n)


@fn("UNICODE", 1, 1)
def UNICODE(text):
    s = _text(text)
    if not s:
        raise XLError(VALUE)
    return float(ord(s[0]))


@fn("ASC", 1, 1)
def ASC(text):
    """Full-width (double-byte) letters, digits, punctuation and the ideographic space become
    their half-width forms; everything else is unchanged."""
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else " " if c == "\u3000" else c
                   for c in _text(text))


@fn("DBCS", 1, 1)
def DBCS(text):
    """The reverse of ASC: half-width ASCII letters, digits, punctuation and space become full-width."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c
                   for c in _text(text))


fn("JIS", 1, 1)(DBCS)


# ------------------------------------------------------------------------------ joining

@fn("CONCATENATE", 1)
def CONCATENATE(*args):
    return _limit("".join(_text(a) for a in args))


@fn("CONCAT", 1, arrays_from=0)
def CONCAT(*args):
    return _limit("".join(to_text(v) for v in _flat(args)))


@fn("TEXTJOIN", 3, arrays=(0,), arrays_from=2)
def TEXTJOIN(delimiter, ignore_empty, *texts):
    delims = [to_text(d) for d in _flat([delimiter])] or [""]
    skip = to_bool(_one(ignore_empty))
    items = []
    for v in _flat(texts):
        s = to_text(v)
        if skip and s == "":
            continue
        items.append(s)
    out = []
    for i, s in enumerate(items):
        if i:
            out.append(delims[(i - 1) % len(delims)])
        out.append(s)
    return _limit("".join(out))


# ------------------------------------------------------------------------------ regular expressions
# Excel 365 uses PCRE2.  The `regex` module reads the same syntax for everything common
# (classes, quantifiers, lazy/possessive, look-around, atomic groups, (?<name>..), \p{..},
# [[:alpha:]]); \Q..\E and PCRE's \Z are translated here.

_RX_CACHE: dict = {}


def _pcre_to_python(p: str) -> str:
    out = []
    i, n = 0, len(p)
    in_class = False
    while i < n:
        c = p[i]
        if c == "\\" and i + 1 < n:
            d = p[i + 1]
            if d == "Q":
                j = p.find("\\E", i + 2)
                lit = p[i + 2:] if j < 0 else p[i + 2:j]
                out.append(_re_engine.escape(lit))
                i = n if j < 0 else j + 2
                continue
            if d == "Z" and not in_class:
                out.append(r"(?=\n?\Z)")
                i += 2
                continue
            if d == "z" and _re_engine is re and not in_class:
                out.append(r"\Z")
                i += 2
                continue
            out.append(p[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if i < n and p[i] == "^":
                out.append("^")
                i += 1
            if i < n and p[i] == "]":  # a leading ] is a literal
                out.append("\\]")
                i += 1
            continue
        if c == "[" and in_class and p.startswith("[:", i):
            j = p.find(":]", i + 2)
            if j > 0:
                out.append(p[i:j + 2])
                i = j + 2
                continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def _regex(pattern, case_sensitivity):
    p = _text(pattern)
    ci = _flag01(case_sensitivity)
    key = (p, ci)
    rx = _RX_CACHE.get(key)
    if rx is None:
        try:
            rx = _re_engine.compile(_pcre_to_python(p), _re_engine.IGNORECASE if ci else 0)
        except (_re_engine.error, ValueError, TypeError):  # an invalid pattern
            raise XLError(VALUE) from None
        if len(_RX_CACHE) > 512:
            _RX_CACHE.clear()
        _RX_CACHE[key] = rx
    return rx


@fn("REGEXTEST", 2, 3)
def REGEXTEST(text, pattern, case_sensitivity=None):
    s = _text(text)
    return _regex(pattern, case_sensitivity).search(s) is not None


@fn("REGEXEXTRACT", 2, 4)
def REGEXEXTRACT(text, pattern, return_mode=None, case_sensitivity=None):
    """return_mode 0: the first match; 1: every match (a row); 2: the capture groups of the
    first match (a row; a group that did not take part is #N/A).  No match: #N/A."""
    s = _text(text)
    rx = _regex(pattern, case_sensitivity)
    mode = 0 if return_mode is None else _int(return_mode)
    if mode not in (0, 1, 2):
        raise XLError(VALUE)
    if mode == 1:
        found = [m.group(0) for m in rx.finditer(s)]
        if not found:
            raise XLError(NA)
        return Area([found])
    m = rx.search(s)
    if m is None:
        raise XLError(NA)
    if mode == 0:
        return m.group(0)
    groups = m.groups()
    if not groups:  # capture groups asked of a pattern without any
        raise XLError(VALUE)
    return Area([[g if g is not None else NA for g in groups]])


_SUBST = re.compile(r"\$(?:(\d+)|\{(\w+)\}|(\$))")


def _expand(template: str, m) -> str:
    """PCRE2's replacement text: $n, ${n}, ${name}, $$ (a dollar); everything else literal."""
    def one(t):
        if t.group(3):
            return "$"
        ref = t.group(1) or t.group(2)
        key = int(ref) if ref.isdigit() else ref
        try:
            g = m.group(key)
        except (IndexError, KeyError):
            raise XLError(VALUE) from None
        return g or ""
    return _SUBST.sub(one, template)


@fn("REGEXREPLACE", 3, 5)
def REGEXREPLACE(text, pattern, replacement, occurrence=None, case_sensitivity=None):
    """occurrence 0 replaces every match, n > 0 the n-th, n < 0 the n-th from the end."""
    s = _text(text)
    rx = _regex(pattern, case_sensitivity)
    rep = _text(replacement)
    occ = 0 if occurrence is None else _int(occurrence)
    matches = list(rx.finditer(s))
    if occ != 0:
        k = occ - 1 if occ > 0 else len(matches) + occ
        if not 0 <= k < len(matches):
            return s
        matches = [matches[k]]
    out, pos = [], 0
    for m in matches:
        out.append(s[pos:m.start()])
        out.append(_expand(rep, m))
        pos = m.end()
    out.append(s[pos:])
    return _limit("".join(out))


# ------------------------------------------------------------------------------ numbers as text
# Excel keeps 15 significant digits: a number is rounded to them before any display rounding
# (so 1.005 shown with two decimals is 1.01, as Excel shows it, although the double is 1.00499..).

_DEC_CTX = decimal.Context(prec=400, rounding=ROUND_HALF_UP)


def _dec15(x: float) -> Decimal:
    """|x| to 15 significant digits as a Decimal."""
    return Decimal(f"{abs(x):.14e}")


def _round_dec(d: Decimal, places: int) -> Decimal:
    """d rounded half away from zero to `places` decimals (negative: tens, hundreds, ...)."""
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_DEC_CTX)


def _plain(d: Decimal) -> str:
    s = format(d, "f")
    return s


def _group(int_digits: str) -> str:
    out = []
    for i, c in enumerate(reversed(int_digits)):
        if i and i % 3 == 0:
            out.append(",")
        out.append(c)
    return "".join(reversed(out))


def fixed_text(x: float, decimals: int, commas: bool = True) -> str:
    """x rounded to `decimals` places (negative: to the left of the point) in the en-US form of
    FIXED: 1234.567 with 1 -> "1,234.6"; with -1 -> "1,230"."""
    d = _round_dec(_dec15(x), decimals)
    s = _plain(d)
    ip, _, fp = s.partition(".")
    if decimals <= 0:
        fp = ""
    else:
        fp = fp.ljust(decimals, "0")[:decimals]
    ip = ip.lstrip("0") or "0"
    if commas:
        ip = _group(ip)
    neg = x < 0 and (d != 0)
    return ("-" if neg else "") + ip + ("." + fp if fp else "")


def _decimals_arg(decimals) -> int:
    n = _int(decimals)  # omitted: 2 (the default); an empty cell: 0
    if n > 127:
        raise XLError(VALUE)
    return n


@fn("FIXED", 1, 3)
def FIXED(number, decimals=2.0, no_commas=False):
    x = finite(_num1(number))
    n = _decimals_arg(decimals)
    commas = not to_bool(_one(no_commas))
    return fixed_text(x, n, commas)


@fn("DOLLAR", 1, 2)
def DOLLAR(number, decimals=2.0):
    """en-US currency format $#,##0.00_);($#,##0.00): negatives in parentheses."""
    x = finite(_num1(number))
    n = _decimals_arg(decimals)
    s = fixed_text(abs(x), n, True)
    return f"(${s})" if x < 0 and s.strip("0.,") else f"${s}"




# ------------------------------------------------------------------------------ number format codes
# A format code has up to four sections separated by ";": positive;negative;zero;text.  Two
# sections: the first is for zero too.  A section may carry a condition [>=100] (then the
# sections are chosen by their conditions) and a colour [Red] (ignored: TEXT returns text).
# With more than one numeric section, a negative number is shown without its minus sign (the
# section is expected to show the sign, e.g. "0;(0)").

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_COND = re.compile(r"\s*(<=|>=|<>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$")
_ELAPSED = re.compile(r"(h+|m+|s+)$", re.IGNORECASE)
_PLACEHOLDERS = ("0", "#", "?")
_DATE_KINDS = frozenset(("y", "m", "d", "h", "s", "ampm", "elapsed", "era"))
_FMT_CACHE: dict = {}


def _split_sections(code: str) -> list[str]:
    out, cur = [], []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == '"':
            j = code.find('"', i + 1)
            j = n - 1 if j < 0 else j
            cur.append(code[i:j + 1])
            i = j + 1
            continue
        if c in "\\_*" and i + 1 < n:
            cur.append(code[i:i + 2])
            i += 2
            continue
        if c == "[":
            j = code.find("]", i + 1)
            j = n - 1 if j < 0 else j
            cur.append(code[i:j + 1])
            i = j + 1
            continue
        if c == ";":
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


class _Section:
    __slots__ = ("cond", "kind", "tokens")

    def __init__(self, tokens, cond):
        self.tokens = tokens  # list of (kind, value)
        self.cond = cond      # None or (op, threshold)
        kinds = {k for k, _ in tokens}
        if kinds & _DATE_KINDS:
            self.kind = "date"
        elif "general" in kinds:
            self.kind = "general"
        elif "@" in kinds:
            self.kind = "text"
        else:
            self.kind = "number"


def _tokenize(sec: str) -> _Section:
    toks: list = []
    cond = None
    i, n = 0, len(sec)
    low = sec.lower()
    while i < n:
        c = sec[i]
        lc = c.lower()
        if c == '"':
            j = sec.find('"', i + 1)
            if j < 0:  # an unterminated quoted text
                raise XLError(VALUE)
            toks.append(("lit", sec[i + 1:j]))
            i = j + 1
        elif c == "\\":
            toks.append(("lit", sec[i + 1:i + 2]))
            i += 2
        elif c == "_":
            toks.append(("lit", " " if i + 1 < n else ""))
            i += 2
        elif c == "*":  # fill with the next character to the column width: nothing in TEXT
            i += 2
        elif c == "[":
            j = sec.find("]", i + 1)
            j = n if j < 0 else j
            body = sec[i + 1:j]
            i = j + 1
            m = _COND.match(body)
            if m:
                cond = (m.group(1), float(m.group(2)))
            elif _ELAPSED.match(body):
                toks.append(("elapsed", (body[0].lower(), len(body))))
            elif body.startswith("$"):  # [$€-407] currency symbol (and locale): the symbol shows
                sym = body[1:].split("-", 1)[0]
                if sym:
                    toks.append(("lit", sym))
            # else a colour ([Red], [Color10]) or other modifier: not shown
        elif low.startswith("general", i):
            toks.append(("general", None))
            i += 7
        elif low.startswith("am/pm", i):
            toks.append(("ampm", ("AM", "PM")))
            i += 5
        elif low.startswith("a/p", i):
            toks.append(("ampm", ("A", "P") if c == "A" else ("a", "p")))
            i += 3
        elif lc in "ymdhs":
            j = i
            while j < n and sec[j].lower() == lc:
                j += 1
            toks.append((lc, j - i))
            i = j
        elif lc == "e" and i + 1 < n and sec[i + 1] in "+-":
            toks.append(("E", sec[i + 1]))
            i += 2
        elif c in _PLACEHOLDERS:
            toks.append(("ph", c))
            i += 1
        elif c in ".,%/@":
            toks.append((c, c))
            i += 1
        elif c.isdigit():
            toks.append(("digit", c))
            i += 1
        else:
            toks.append(("lit", c))
            i += 1
    return _Section(toks, cond)


def _parse_format(code: str):
    got = _FMT_CACHE.get(code)
    if got is None:
        secs = _split_sections(code)
        if len(secs) > 4:
            raise XLError(VALUE)
        got = [_tokenize(s) for s in secs]
        for i, sec in enumerate(got):
            kinds = {k for k, _ in sec.tokens}
            text_sec = i == (3 if len(got) == 4 else len(got) - 1)
            if "@" in kinds and (not text_sec or kinds & (_DATE_KINDS | {"ph", "E"})):
                raise XLError(VALUE)  # text only in the text section (the 4th, or the last of fewer)
        if len(_FMT_CACHE) > 2048:
            _FMT_CACHE.clear()
        _FMT_CACHE[code] = got
    return got


def _cond_ok(cond, v: float) -> bool:
    op, t = cond
    return {"<": v < t, "<=": v <= t, ">": v > t, ">=": v >= t, "=": v == t, "<>": v != t}[op]


def format_number(value, code: str) -> str:
    """`value` (a number, or text) shown with the number format `code`, as TEXT does."""
    secs = _parse_format(code)
    if value.__class__ is str:
        if len(secs) == 4:
            sec = secs[3]
        elif secs[-1].kind == "text":
            sec = secs[-1]
        else:
            return value
        return "".join(value if k == "@" else (v if k == "lit" else "") for k, v in sec.tokens
                       if k in ("@", "lit"))
    v = float(value)
    numeric = secs[:3] if len(secs) == 4 else list(secs)
    if len(secs) < 4 and len(numeric) > 1 and numeric[-1].kind == "text":
        numeric = numeric[:-1]
    if numeric and numeric[0].kind == "text" and len(numeric) == 1:
        numeric = [_tokenize("General")]
    n = len(numeric)
    if numeric[0].cond is not None or (n > 1 and numeric[1].cond is not None):
        c1, c2 = numeric[0].cond, numeric[1].cond if n > 1 else None
        if c1 is not None and _cond_ok(c1, v):
            sec = numeric[0]
        elif n > 1 and c2 is not None and _cond_ok(c2, v):
            sec = numeric[1]
        elif n > 1:
            sec = numeric[2] if (c1 is not None and c2 is not None and n > 2) else \
                numeric[1] if c2 is None else numeric[0]
        else:
            sec = numeric[0]
    else:
        if v > 0 or n == 1:
            sec = numeric[0]
        elif v < 0:
            sec = numeric[1]
        else:
            sec = numeric[2] if n > 2 else numeric[0]
    show_sign = v < 0 and n == 1
    if v < 0 and n > 1:
        v = -v
    if sec.kind == "date":
        return _format_date(v, sec.tokens)
    if sec.kind == "general" or sec.kind == "text":
        return _format_general(v, sec.tokens)
    return _format_num(v, sec.tokens, show_sign)


def general_text(x: float) -> str:
    """The General number format as a cell (and TEXT) shows it: at most 11 characters for the
    digits (the minus sign aside), else scientific notation: 1/3 -> 0.333333333,
    123456789012 -> 1.23457E+11, 1E-08 -> 0.00000001, 1.23456789E-08 -> 1.23457E-08."""
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    a = abs(x)
    d = _dec15(a)
    e = d.adjusted()
    digits = len(d.normalize().as_tuple().digits)  # significant digits needed
    # scientific: d.ddddd + E+xx (11 characters)
    exp_len = 4 if abs(e) < 100 else 5
    sci_sig = max(1, 11 - exp_len - 1)
    n_int = e + 1 if e >= 0 else 1
    if n_int <= 11:
        places = max(0, 11 - n_int - 1) if n_int < 11 else 0
        dec_sig = (n_int + places) if e >= 0 else places + e + 1
        if digits <= dec_sig or dec_sig >= min(sci_sig, digits):
            s = format(_round_dec(d, places), "f")
            if "." in s:
                s = s.rstrip("0").rstrip(".")
            if s != "0" and len(s.replace(".", "")) <= 11 and len(s) <= 11:
                return sign + s
    m = _round_dec(d.scaleb(-e), sci_sig - 1)
    if m >= 10:
        e += 1
        m = _round_dec(d.scaleb(-e), sci_sig - 1)
    ms = format(m, "f")
    if "." in ms:
        ms = ms.rstrip("0").rstrip(".")
    return f"{sign}{ms}E{'-' if e < 0 else '+'}{abs(e):02d}"


def _format_general(v: float, toks) -> str:
    out = []
    for k, val in toks:
        if k == "general":
            out.append(general_text(v))
        elif k == "lit" or k in ",.%/" or k == "digit":
            out.append(val)
    return "".join(out)


# -- dates and times

def _format_date(v: float, toks) -> str:
    # digits of fractional seconds: "ss.000"
    frac_digits = 0
    toks = list(toks)
    i = 0
    marks = []  # (index of '.', count of 0) right after seconds
    while i < len(toks):
        k, val = toks[i]
        if (k == "s" or (k == "elapsed" and val[0] == "s")) and i + 1 < len(toks) and toks[i + 1][0] == ".":
            j = i + 2
            while j < len(toks) and toks[j] == ("ph", "0"):
                j += 1
            if j > i + 2:
                marks.append((i + 1, j - i - 2))
                frac_digits = max(frac_digits, j - i - 2)
        i += 1
    used = {j for start, cnt in marks for j in range(start + 1, start + 1 + cnt)}
    if any(k in ("ph", "E") and i not in used for i, (k, _) in enumerate(toks)):
        raise XLError(VALUE)  # "mm###": digit placeholders do not mix with dates
    # only elapsed time ([h]:mm) needs no calendar date: it may be negative or beyond 9999
    elapsed_only = any(k == "elapsed" for k, _ in toks) and not any(k in ("y", "d") or (k == "m" and val > 2)
                                                                    for k, val in toks)
    sign = ""
    if v < 0:  # only a lone [h], [m] or [s] shows a negative time
        if sum(1 for k, _ in toks if k in _DATE_KINDS) != 1 or not elapsed_only or marks:
            raise XLError(VALUE)
        sign, v = "-", -v
    scale = 10 ** frac_digits
    units = math.floor(v * 86400 * scale + 0.5)  # rounded to the shown precision of seconds
    day_units = 86400 * scale
    days, rest = divmod(units, day_units)
    secs_whole, sub = divmod(rest, scale)
    hour, rem = divmod(secs_whole, 3600)
    minute, second = divmod(rem, 60)
    total_secs = units // scale
    try:
        y, mo, d = serial_ymd(float(days)) if not elapsed_only else (1900, 1, 0)
    except XLError:
        raise XLError(VALUE) from None
    weekday = (days + (5 if CTX.date1904 else 6)) % 7
    has_ampm = any(k == "ampm" for k, _ in toks)
    date_idx = [idx for idx, (k, _) in enumerate(toks) if k in _DATE_KINDS]
    minute_tok = set()
    for pos, idx in enumerate(date_idx):
        k, val = toks[idx]
        if k != "m" or val > 2:
            continue
        prev = toks[date_idx[pos - 1]] if pos else None
        nxt = toks[date_idx[pos + 1]] if pos + 1 < len(date_idx) else None
        if (prev and (prev[0] == "h" or (prev[0] == "elapsed" and prev[1][0] == "h"))) or \
                (nxt and (nxt[0] == "s" or (nxt[0] == "elapsed" and nxt[1][0] == "s"))):
            minute_tok.add(idx)
    out = []
    skip = {}
    for start, cnt in marks:
        skip[start] = cnt
    i = 0
    while i < len(toks):
        k, val = toks[i]
        if i in skip:
            cnt = skip[i]
            out.append("." + str(sub).zfill(frac_digits)[:cnt])
            i += 1 + cnt
            continue
        if k == "y":
            out.append(str(y % 100).zfill(2) if val <= 2 else str(y).zfill(4))
        elif k == "m":
            if i in minute_tok:
                out.append(str(minute).zfill(val))
            elif val <= 2:
                out.append(str(mo).zfill(val))
            elif val == 3:
                out.append(_MONTHS[mo - 1][:3])
            elif val == 5:
                out.append(_MONTHS[mo - 1][0])
            else:
                out.append(_MONTHS[mo - 1])
        elif k == "d":
            if val <= 2:
                out.append(str(d).zfill(val))
            elif val == 3:
                out.append(_DAYS[weekday][:3])
            else:
                out.append(_DAYS[weekday])
        elif k == "h":
            h = hour
            if has_ampm:
                h = hour % 12 or 12
            out.append(str(h).zfill(min(val, 2)))
        elif k == "s":
            out.append(str(second).zfill(min(val, 2)))
        elif k == "ampm":
            out.append(val[0] if hour < 12 else val[1])
        elif k == "elapsed":
            unit, width = val
            if unit == "h":
                out.append(str(total_secs // 3600).zfill(width))
            elif unit == "m":
                out.append(str(total_secs // 60).zfill(width))
            else:
                out.append(str(total_secs).zfill(width))
        elif k == "ph":
            out.append(val if val == "0" else "")
        else:  # literals, ".", ",", "/", "%", "@", digits
            out.append(val if val is not None else "")
        i += 1
    return sign + "".join(out)


# -- numbers

def _num_pieces(digits: str, phs: list, group: bool):
    """Characters for the integer placeholders `phs` ('0', '#', '?') showing `digits` ("" for
    zero): excess digits go to the first placeholder; padding is 0, nothing or a space.  Returns
    a list (one string per placeholder)."""
    k = len(phs)
    out = [""] * k
    if k == 0:
        return out
    if len(digits) >= k:
        out[0] = digits[:len(digits) - k + 1]
        for j in range(1, k):
            out[j] = digits[len(digits) - k + j]
    else:
        pad = k - len(digits)
        for j in range(k):
            if j < pad:
                out[j] = "0" if phs[j] == "0" else (" " if phs[j] == "?" else "")
            else:
                out[j] = digits[j - pad]
    if group:
        count = 0
        for j in range(k - 1, -1, -1):
            piece = out[j]
            new = []
            for ch in reversed(piece):
                if count and count % 3 == 0:
                    new.append("," if ch != " " else " ")
                new.append(ch)
                count += 1
            out[j] = "".join(reversed(new))
    return out


def _frac_pieces(digits: str, phs: list):
    """The decimals: trailing zeros shown by 0, dropped by #, spaces for ?."""
    last = len(digits.rstrip("0"))
    out = []
    for j, p in enumerate(phs):
        ch = digits[j] if j < len(digits) else "0"
        if j >= last:
            out.append("0" if p == "0" else (" " if p == "?" else ""))
        else:
            out.append(ch)
    return out


def _format_num(v: float, toks, show_sign: bool) -> str:
    kinds = [k for k, _ in toks]
    if "/" in kinds:
        slash = kinds.index("/")
        before = [k for k in kinds[:slash] if k == "ph"]
        after = [k for k in kinds[slash + 1:] if k in ("ph", "digit")]
        if before and after:
            return _format_fraction(v, toks, slash, show_sign)
    x = abs(v)
    # the decimal point, thousands separators and scaling commas, percent
    ph_idx = [i for i, k in enumerate(kinds) if k == "ph"]
    e_idx = kinds.index("E") if "E" in kinds else None
    mant_end = e_idx if e_idx is not None else len(toks)
    point = next((i for i, k in enumerate(kinds[:mant_end]) if k == "."), None)
    int_end = point if point is not None else mant_end
    int_ph = [i for i in ph_idx if i < int_end]
    frac_ph = [i for i in ph_idx if point is not None and point < i < mant_end]
    exp_ph = [i for i in ph_idx if e_idx is not None and i > e_idx]
    group = False
    scale = 0
    role = {}
    # a comma between two digit placeholders: thousands separators; after the last placeholder
    # of the integer part or of the decimals: scaling by 1000; after a placeholder elsewhere:
    # dropped; after anything else: a literal comma
    for i, k in enumerate(kinds):
        if k != "," or i >= mant_end:
            continue
        j0 = i
        while j0 > 0 and kinds[j0 - 1] == ",":
            j0 -= 1
        j1 = i
        while j1 + 1 < len(kinds) and kinds[j1 + 1] == ",":
            j1 += 1
        prev_ph = j0 > 0 and kinds[j0 - 1] == "ph"
        next_ph = j1 + 1 < len(kinds) and kinds[j1 + 1] == "ph"
        if not prev_ph:
            role[i] = "lit"
        elif i < int_end and next_ph:
            group = True
            role[i] = "group"
        elif (i < int_end and not any(i < p < int_end for p in int_ph)) or \
                (i > int_end and not any(p > i for p in frac_ph)):
            scale += 1
            role[i] = "scale"
        else:
            role[i] = "drop"
    pct = kinds.count("%")
    d = _dec15(x)
    if pct:
        d = d.scaleb(2 * pct)
    if scale:
        d = d.scaleb(-3 * scale)
    nd = len(frac_ph)
    exp_text = None
    if e_idx is not None:
        k = len(int_ph)
        if d == 0:
            exp = 0
        else:
            e10 = d.adjusted()
            hashes = any(toks[i][1] == "#" for i in int_ph)
            if hashes and k > 1:
                exp = (e10 // k) * k
            else:
                exp = e10 - (k - 1) if k else e10 + 1
        m = _round_dec(d.scaleb(-exp), nd)
        limit = Decimal(10) ** max(k, 1 if not k else k)
        if d != 0 and m >= limit:
            exp += k if (k > 1 and any(toks[i][1] == "#" for i in int_ph)) else 1
            m = _round_dec(d.scaleb(-exp), nd)
        d_rounded = m
        sign_char = toks[e_idx][1]
        width = sum(1 for i in exp_ph if toks[i][1] == "0") or 1
        exp_text = ("-" if exp < 0 else ("+" if sign_char == "+" else "")) + str(abs(exp)).zfill(width)
        group = False
    else:
        d_rounded = _round_dec(d, nd)
    s = format(d_rounded, "f")
    ip, _, fp = s.partition(".")
    ip = ip.lstrip("0")
    fp = (fp + "0" * nd)[:nd]
    int_pieces = _num_pieces(ip, [toks[i][1] for i in int_ph], group)
    frac_pieces = _frac_pieces(fp, [toks[i][1] for i in frac_ph])
    piece_at = dict(zip(int_ph, int_pieces))
    piece_at.update(zip(frac_ph, frac_pieces))
    out = []
    if show_sign and (ip.strip("0") or fp.strip("0")):  # a negative shown as zero has no sign
        out.append("-")
    placed_int = bool(int_ph)
    for i, (k, val) in enumerate(toks):
        if i in piece_at:
            out.append(piece_at[i])
        elif k == ".":
            if i == point:
                if not placed_int and ip:
                    out.append(ip)  # no integer placeholders: the digits still show
                out.append(".")
            else:
                out.append(".")
        elif k == ",":
            if role.get(i) == "lit":
                out.append(",")
        elif k == "E":
            out.append("E" + exp_text)
        elif i in exp_ph:
            continue
        elif k == "%":
            out.append("%")
        elif k in ("lit", "digit", "/"):
            out.append(val)
        elif k == "@":
            continue
    return "".join(out)


def _format_fraction(v: float, toks, slash: int, show_sign: bool) -> str:
    kinds = [k for k, _ in toks]
    # numerator: the placeholders right before "/"; integer part: placeholders before those
    j = slash - 1
    while j >= 0 and kinds[j] != "ph":
        j -= 1
    num_end = j
    while j >= 0 and kinds[j] == "ph":
        j -= 1
    num_start = j + 1
    int_ph = [i for i in range(num_start) if kinds[i] == "ph"]
    num_ph = list(range(num_start, num_end + 1))
    den_idx = []
    j = slash + 1
    while j < len(toks) and kinds[j] not in ("ph", "digit"):
        j += 1
    while j < len(toks) and kinds[j] in ("ph", "digit"):
        den_idx.append(j)
        j += 1
    den_fixed = all(kinds[i] == "digit" or toks[i][1] in "123456789" for i in den_idx) and \
        any(kinds[i] == "digit" for i in den_idx)
    x = abs(v)
    x = float(_dec15(x)) if x else 0.0
    whole = int(x) if int_ph else 0
    frac = x - whole if int_ph else x
    if den_fixed:
        den = int("".join(toks[i][1] for i in den_idx))
        num = math.floor(frac * den + 0.5)
    else:
        maxden = 10 ** len(den_idx) - 1
        f = Fraction(frac).limit_denominator(maxden)
        num, den = f.numerator, f.denominator
    if int_ph and num == den and num:
        whole += 1
        num = 0
    out = ["-"] if show_sign and (whole or num) else []
    int_digits = str(whole) if whole else ""
    if int_ph and not int_digits and num == 0:
        int_digits = "0"
    ipieces = dict(zip(int_ph, _num_pieces(int_digits, [toks[i][1] for i in int_ph], False)))
    blank = bool(int_ph) and num == 0
    nstr = str(num)
    num_pieces = _num_pieces(nstr if (num or not int_ph) else "", [toks[i][1] for i in num_ph], False)
    if not int_ph and num == 0:
        num_pieces = _num_pieces("0", [toks[i][1] for i in num_ph], False)
    npieces = dict(zip(num_ph, num_pieces))
    den_s = str(den)
    if not den_fixed:
        den_s = den_s.ljust(sum(1 for i in den_idx if toks[i][1] in "0?"), " ")
    frac_start, frac_end = num_ph[0], den_idx[-1]
    seg = []
    for i, (k, val) in enumerate(toks):
        if i in ipieces:
            out.append(ipieces[i])
        elif frac_start <= i <= frac_end:
            if i in npieces:
                seg.append(npieces[i])
            elif i == slash:
                seg.append("/")
            elif i == den_idx[0]:
                seg.append(den_s)
            elif i in den_idx:
                pass
            elif k in ("lit", "digit", ".", ",", "%"):
                seg.append(val)
            if i == frac_end:
                text = "".join(seg)
                out.append(" " * len(text) if blank else text)
        elif k in ("lit", "digit", ".", ",", "%"):
            out.append(val)
    return "".join(out)


@fn("TEXT", 2, 2)
def TEXT(value, format_text):
    v = _one(value)
    code = _text(format_text)
    if v.__class__ is ExcelError:
        raise XLError(v)
    if v is None:
        v = 0.0
    elif v.__class__ is bool:
        v = "TRUE" if v else "FALSE"
    elif v.__class__ is str:
        x = parse_number_text(v)
        if x is not None:
            v = x
    return _limit(format_number(v, code))


# ------------------------------------------------------------------------------ text as numbers
# VALUE reads text as Excel reads what is typed into a cell (en-US): numbers with thousands
# separators, a currency sign, a percent sign, parentheses for negatives, scientific notation,
# mixed fractions "1 1/2", dates (m/d/y, y-m-d, d-mmm-y, "January 15, 2024" ...) and times
# (h:mm[:ss[.000]] [AM/PM]) -> their serial numbers.

_NUM_RX = re.compile(
    r"(?P<open>\()?(?P<s1>[+-])?(?P<cur1>\$)?(?P<s2>[+-])?"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE](?P<exp>[+-]?\d+))?"
    r"(?P<pct>%)?(?P<close>\))?$")
_FRAC_RX = re.compile(r"(?P<s>[+-])?(?P<w>\d+) +(?P<n>\d+)/(?P<d>\d+)$")
_TIME_RX = re.compile(
    r"(?P<h>\d+)(?::(?P<m>\d+)(?::(?P<s>\d+(?:\.\d*)?))?|(?=\s*[AaPp]))(?P<msec>\.\d*)?\s*(?P<ap>[AaPp][Mm]?)?$")
_MONTH_ABBR = {m[:3].lower(): i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_FULL = {m.lower(): i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_FULL["sept"] = 9


def _month(name: str):
    n = name.lower().rstrip(".")
    return _MONTH_FULL.get(n) or (_MONTH_ABBR.get(n) if len(n) == 3 else None)


def _year(ytext: str) -> int:
    y = int(ytext)
    if len(ytext) <= 2:
        y += 2000 if y < 30 else 1900
    return y


def _ymd_serial(y: int, m: int, d: int):
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    if CTX.date1904:
        if y < 1904:
            return None
    elif y < 1900:
        return None
    if y > 9999:
        return None
    if (y, m, d) == (1900, 2, 29) and not CTX.date1904:
        return 60.0
    if d > calendar.monthrange(y, m)[1]:
        return None
    return date_to_serial(_dt.date(y, m, d))


def _this_year() -> int:
    return _dt.date.today().year


_DATE_NUM3 = re.compile(r"(\d{1,4})([/-])(\d{1,2})\2(\d{1,4})")
_DATE_NUM2 = re.compile(r"(\d{1,2})[/-](\d{1,4})")
_DATE_DMY = re.compile(r"(\d{1,2})[-/ ]([A-Za-z]{3,9}\.?)(?:[-/ ,]+(\d{1,4}))?")
_DATE_MDY = re.compile(r"([A-Za-z]{3,9}\.?)[-/ ](\d{1,4})(?:(?:,\s*|[-/ ]+)(\d{1,4}))?")


def _parse_date(t: str):
    """(serial, rest of the text) for a date at the start of t, or None."""
    for rx in (_DATE_NUM3, _DATE_DMY, _DATE_MDY, _DATE_NUM2):
        m = rx.match(t)
        if not m:
            continue
        rest = t[m.end():]
        if rest and not rest[0].isspace():
            continue
        g = m.groups()
        if rx is _DATE_NUM3:
            a, _, b, c = g
            if len(a) >= 3:
                s = _ymd_serial(int(a), int(b), int(c))
            else:
                s = _ymd_serial(_year(c), int(a), int(b))
        elif rx is _DATE_NUM2:
            a, b = g
            if int(b) > 31 or len(b) >= 3:  # month/year: the 1st of that month
                s = _ymd_serial(_year(b), int(a), 1)
            else:
                s = _ymd_serial(_this_year(), int(a), int(b))
        elif rx is _DATE_DMY:
            d, mon, y = g
            mo = _month(mon)
            if mo is None:
                continue
            s = _ymd_serial(_year(y) if y else _this_year(), mo, int(d))
        else:
            mon, a, y = g
            mo = _month(mon)
            if mo is None:
                continue
            if y:
                s = _ymd_serial(_year(y), mo, int(a))
            elif int(a) > 31 or len(a) >= 3:  # "Jan-2024": the 1st
                s = _ymd_serial(_year(a), mo, 1)
            else:
                s = _ymd_serial(_this_year(), mo, int(a))
        if s is None:
            return None
        return s, rest.strip()
    return None


def _parse_time(t: str):
    """h:mm, h:mm:ss[.000], m:ss.0, each with an optional AM/PM, or "h AM".  Hours go to 23,
    the minutes of h:mm:ss and m:ss.0 to 59, but the last field may be up to 9999: Excel reads
    "23:99" as 24:39 and "0:0:9999" as 2:46:39."""
    m = _TIME_RX.match(t)
    if not m:
        return None
    h = int(m.group("h"))
    mi = m.group("m")
    sec = m.group("s")
    ap = m.group("ap")
    msec = m.group("msec")
    if msec and len(msec) > 1 and sec is None and mi is not None:  # "m:ss.0": minutes and seconds
        if ap or h > 59 or int(mi) > 9999:
            return None
        return (h * 60 + float(mi + msec)) / 86400.0
    minutes = int(mi) if mi is not None else 0
    seconds = float(sec) if sec is not None else 0.0
    if h > 23 or minutes > (59 if sec is not None else 9999) or seconds >= 10000:
        return None
    if ap:
        if h > 12:
            return None
        h = h % 12 + (12 if ap[0] in "Pp" else 0)
    elif mi is None:
        return None
    return (h * 3600 + minutes * 60 + seconds) / 86400.0


def _bad_number_marks(m) -> bool:
    """Unbalanced parentheses, two signs, a sign inside parentheses, both $ and %."""
    g = m.group
    signed = g("s1") or g("s2")
    return (bool(g("open")) != bool(g("close")) or bool(g("s1") and g("s2"))
            or bool(g("open") and signed) or bool(g("pct") and g("cur1")))


def parse_number_text(s: str):
    """The number Excel reads from typed text (en-US), or None when it is not one."""
    t = s.strip()
    if not t:
        return None
    m = _NUM_RX.match(t.replace(" ", "")) if "%" in t or "$" in t or "(" in t else _NUM_RX.match(t)
    if m and _bad_number_marks(m):
        m = None
    if m:
        x = float(m.group("num").replace(",", "") + ("e" + m.group("exp") if m.group("exp") else ""))
        if m.group("pct"):
            x /= 100.0
        if m.group("open") or "-" in (m.group("s1") or "") + (m.group("s2") or ""):
            x = -x
        return x if x - x == 0.0 else None
    m = _FRAC_RX.match(t)
    if m:
        den = int(m.group("d"))
        if den == 0:
            return None
        x = int(m.group("w")) + int(m.group("n")) / den
        return -x if m.group("s") == "-" else x
    date = _parse_date(t)
    if date is not None:
        serial, rest = date
        if not rest:
            return serial
        tm = _parse_time(rest)
        return None if tm is None else serial + tm
    tm = _parse_time(t)
    if tm is not None:
        return tm
    return None


@fn("VALUE", 1, 1)
def VALUE_(text):
    v = _one(text)
    t = v.__class__
    if t is float:
        return v
    if v is None:
        return 0.0
    if t is ExcelError:
        raise XLError(v)
    if t is bool:
        raise XLError(VALUE)
    x = parse_number_text(v)
    if x is None:
        raise XLError(VALUE)
    return x


_PLAIN_NUM = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


@fn("NUMBERVALUE", 1, 3)
def NUMBERVALUE(text, decimal_separator=_OMITTED, group_separator=_OMITTED):
    """Locale-independent: the separators are given (only their first character counts; an
    empty one is #VALUE!); spaces anywhere are ignored; parentheses make it negative; each
    % (inside or outside the parentheses) divides by 100; "" is 0."""
    v = _one(text)
    dec = "." if decimal_separator is _OMITTED else _text(decimal_separator)[:1]
    grp = "," if group_separator is _OMITTED else _text(group_separator)[:1]
    if group_separator is _OMITTED and grp == dec:
        grp = "." if dec == "," else ","  # the default group separator gives way to the decimal one
    if v.__class__ is float:
        return v
    if not dec or not grp or dec == grp:
        raise XLError(VALUE)
    s = re.sub(r"\s+", "", to_text(v))
    if s == "":
        return 0.0
    pct = len(s) - len(s.rstrip("%"))
    s = s.rstrip("%")
    neg = s.startswith("(") and s.endswith(")")
    if neg:
        s = s[1:-1]
        if s[:1] in ("+", "-"):
            raise XLError(VALUE)
        pct += len(s) - len(s.rstrip("%"))
        s = s.rstrip("%")
    if s.count(dec) > 1:
        raise XLError(VALUE)
    if dec in s and grp in s[s.index(dec):]:
        raise XLError(VALUE)
    s = s.replace(grp, "").replace(dec, ".")
    if not _PLAIN_NUM.match(s):
        raise XLError(VALUE)
    x = finite(float(s) / 100.0 ** pct)
    return -x if neg else x


# ------------------------------------------------------------------------------ values as text

def _value_text(v, strict: bool) -> str:
    t = v.__class__
    if v is None:
        return ""
    if t is str:
        return '"' + v.replace('"', '""') + '"' if strict else v
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is float:
        return number_text(v)
    if t is ExcelError:
        return v.code
    return to_text(v)


def _format01(fmt) -> bool:
    if fmt is None:
        return False
    f = _int(fmt)
    if f not in (0, 1):
        raise XLError(VALUE)
    return f == 1


@fn("VALUETOTEXT", 1, 2)
def VALUETOTEXT(value, format=None):
    """format 0 (concise): as shown; 1 (strict): as typed in a formula (text in quotes)."""
    return _limit(_value_text(_one(value), _format01(format)))


@fn("ARRAYTOTEXT", 1, 2, arrays=(0,))
def ARRAYTOTEXT(array, format=None):
    """Concise: the values joined by ", "; strict: an array constant {1,"a";TRUE,#N/A}."""
    strict = _format01(format)
    rows = array.rows if array.__class__ is Area else [[array]]
    if strict:
        return _limit("{" + ";".join(",".join(_value_text(v, True) for v in r) for r in rows) + "}")
    return _limit(", ".join(_value_text(v, False) for r in rows for v in r))


# ------------------------------------------------------------------------------ TEXTBEFORE, TEXTAFTER, TEXTSPLIT

def _delims(d) -> list[str]:
    if d.__class__ is Area:
        out = [to_text(v) for v in d.values()]
    else:
        out = [to_text(d)]
    return out


def _occurrences(s: str, delims: list[str], ci: bool, reverse: bool):
    """Non-overlapping (start, end) of any delimiter, scanning from the left (or from the right)."""
    hay = s.lower() if ci else s
    ds = [d.lower() if ci else d for d in delims if d != ""]
    found = []
    if not reverse:
        i = 0
        while i <= len(hay):
            hit = None
            for d in ds:
                if hay.startswith(d, i) and (hit is None or len(d) > hit):
                    hit = len(d)
            if hit:
                found.append((i, i + hit))
                i += hit
            else:
                i += 1
    else:
        j = len(hay)
        while j >= 0:
            hit = None
            for d in ds:
                if j - len(d) >= 0 and hay.startswith(d, j - len(d)) and (hit is None or len(d) > hit):
                    hit = len(d)
            if hit:
                found.append((j - hit, j))
                j -= hit
            else:
                j -= 1
    return found


def _before_after(text, delimiter, instance_num, match_mode, match_end, if_not_found):
    s = _text(text)
    delims = _delims(delimiter)
    # a skipped argument (",,") is the default 1; Excel gives #VALUE! for an empty cell (0), but
    # the engine passes both as None, and skipped arguments are the common case
    n = 1 if instance_num is None or instance_num is _OMITTED else _int(instance_num)
    ci = _flag01(match_mode) == 1
    end = False if match_end is None else to_bool(_one(match_end))
    if n == 0 or abs(n) > len(s) and s:
        raise XLError(VALUE)
    if any(d == "" for d in delims):  # an empty delimiter matches at once
        return (0, 0) if n > 0 else (len(s), len(s)), s
    reverse = n < 0
    occ = _occurrences(s, delims, ci, reverse)
    if end:
        occ.append((0, 0) if reverse else (len(s), len(s)))
    k = abs(n) - 1
    if k >= len(occ):
        return None, s
    return occ[k], s


@fn("TEXTBEFORE", 2, 6, arrays=(1,))
def TEXTBEFORE(text, delimiter, instance_num=_OMITTED, match_mode=None, match_end=None, if_not_found=NA):
    hit, s = _before_after(text, delimiter, instance_num, match_mode, match_end, if_not_found)
    if hit is None:
        if if_not_found.__class__ is ExcelError:
            raise XLError(if_not_found)
        return _one(if_not_found)
    return s[:hit[0]]


@fn("TEXTAFTER", 2, 6, arrays=(1,))
def TEXTAFTER(text, delimiter, instance_num=_OMITTED, match_mode=None, match_end=None, if_not_found=NA):
    hit, s = _before_after(text, delimiter, instance_num, match_mode, match_end, if_not_found)
    if hit is None:
        if if_not_found.__class__ is ExcelError:
            raise XLError(if_not_found)
        return _one(if_not_found)
    return s[hit[1]:]


def _split(s: str, delims: list[str], ci: bool) -> list[str]:
    if not any(delims):
        return [s]
    parts, pos = [], 0
    for a, b in _occurrences(s, delims, ci, False):
        parts.append(s[pos:a])
        pos = b
    parts.append(s[pos:])
    return parts


@fn("TEXTSPLIT", 2, 6, arrays=(1, 2))
def TEXTSPLIT(text, col_delimiter, row_delimiter=None, ignore_empty=None, match_mode=None, pad_with=NA):
    """Splits into rows by row_delimiter, each row into columns by col_delimiter; short rows are
    padded with pad_with (#N/A by default)."""
    s = _text(text)
    cols = _delims(col_delimiter) if col_delimiter is not None else []
    rows_d = _delims(row_delimiter) if row_delimiter is not None else []
    skip = False if ignore_empty is None else to_bool(_one(ignore_empty))
    ci = _flag01(match_mode) == 1
    if not any(cols) and not any(rows_d):
        raise XLError(VALUE)
    rows = _split(s, rows_d, ci)
    if skip:
        rows = [r for r in rows if r != ""]
    out = []
    for r in rows:
        cells = _split(r, cols, ci)
        if skip:
            cells = [c for c in cells if c != ""]
        out.append(cells)
    out = [r for r in out if r] or [[""]]
    width = max(len(r) for r in out)
    pad = _one(pad_with)
    return Area([r + [pad] * (width - len(r)) for r in out])


# ------------------------------------------------------------------------------ BAHTTEXT
# A number in Thai words with "baht" (and satang, rounded to two decimals; "exactly" when there
# are none); negative numbers start with "minus".  Blocks of six digits are joined by "million".

_TH_DIGITS = ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"]
_TH_POW = {2: "ร้อย", 3: "พัน", 4: "หมื่น", 5: "แสน"}
_TH_TEN, _TH_TWENTY, _TH_ONE_AFTER_TEN = "สิบ", "ยี่", "เอ็ด"
_TH_MILLION, _TH_BAHT, _TH_EXACT, _TH_SATANG, _TH_MINUS = "ล้าน", "บาท", "ถ้วน", "สตางค์", "ลบ"


def _thai_block(n: int) -> str:
    """1 <= n <= 999999 in Thai words."""
    out = []
    for p in (5, 4, 3, 2):
        d, n = divmod(n, 10 ** p)
        if d:
            out.append(_TH_DIGITS[d] + _TH_POW[p])
    tens, ones = divmod(n, 10)
    if tens:
        out.append((_TH_DIGITS[tens] if tens >= 3 else _TH_TWENTY if tens == 2 else "") + _TH_TEN)
    if ones:
        out.append(_TH_ONE_AFTER_TEN if tens and ones == 1 else _TH_DIGITS[ones])
    return "".join(out)


@fn("BAHTTEXT", 1, 1)
def BAHTTEXT(number):
    x = finite(_num1(number))
    cents = int(_round_dec(_dec15(x), 2).scaleb(2))
    baht, satang = divmod(cents, 100)
    text = ""
    if baht:
        blocks = []
        while baht:
            baht, block = divmod(baht, 1_000_000)
            blocks.append(block)
        parts = []
        for i, block in enumerate(reversed(blocks)):
            parts.append(_thai_block(block) if block else "")
            if i < len(blocks) - 1:
                parts.append(_TH_MILLION)
        text = "".join(parts) + _TH_BAHT
    elif not satang:
        text = _TH_DIGITS[0] + _TH_BAHT
    text += _thai_block(satang) + _TH_SATANG if satang else _TH_EXACT
    return (_TH_MINUS if x < 0 and cents else "") + text
