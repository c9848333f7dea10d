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

import re

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
def SUBSTITUTE(text, old_text, new_text, instance_num=None):
    s, old, new = _text(text), _text(old_text), _text(new_text)
    if instance_num is None:
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
    """return_mode 0: the first match; 1: every match (a column); 2: the capture groups of the
    first match (a row; a group that did not take part is empty text).  No match: #N/A."""
    s = _text(text)
    rx = _regex(pattern, case_sensitivity)
    mode = 0 if return_mode is None else _int(return_mode)
    if mode not in (0, 1, 2):
        raise XLError(VALUE)
    if mode == 1:
        found = [m.group(0) for m in rx.finditer(s)]
        if not found:
            raise XLError(NA)
        return Area([[x] for x in found])
    m = rx.search(s)
    if m is None:
        raise XLError(NA)
    if mode == 0:
        return m.group(0)
    groups = m.groups()
    if not groups:
        raise XLError(NA)
    return Area([[g if g is not None else "" for g in groups]])


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
