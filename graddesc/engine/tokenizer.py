"""Formula text -> tokens (one compiled regular expression; no openpyxl)."""

from __future__ import annotations

import re
from typing import NamedTuple

from graddesc.errors import FormulaError

MAX_FORMULA_LENGTH = 8192  # Excel's limit

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA))
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![\w$:.])
  | (?P<xqual>'\[\d+\](?:[^']|'')*'!|\[\d+\](?:[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*)?!)
  | (?P<sref>(?:[A-Za-z_\\\u00c0-\uffff][\w.\u00c0-\uffff]*)?\[(?:[^\[\]']|'.|\[(?:[^\[\]']|'.)*\])*\])
  | (?:'(?P<qsheet>(?:[^']|'')+)'|(?P<sheet>[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*))!
  | (?P<cell>\$?[A-Za-z]{1,3}\$?\d+)(?![\w.(!])
  | (?P<colrange>\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3})(?![\w.(!])
  | (?P<rowrange>\$?\d+:\$?\d+)(?![\w.(!])
  | (?P<func>[A-Za-z_][\w.]*)\s*\(
  | (?P<bool>TRUE|FALSE)(?![\w.(])
  | (?P<name>[A-Za-z_\\\u00c0-\uffff][\w.\u00c0-\uffff]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%:,(){};@#])
    """,
    re.VERBOSE | re.IGNORECASE,
)


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int


def tokenize(text: str, cell: str = "?") -> list[Token]:
    """Tokens of a formula (without its leading '='): (kind, text, start, end).

    kinds: string error number qual (sheet prefix, text = sheet name) xqual (another workbook's
    sheet: [1]Sheet1! or '[1]My sheet'!, text as written) sref (a structured reference
    Table1[Column], [@Col]) cell colrange rowrange func (text = name, the '(' is consumed) bool
    name op.
    """
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(cell, f"formula longer than {MAX_FORMULA_LENGTH} characters ({len(text)})")
    out = []
    pos, n = 0, len(text)
    match = _TOKEN.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            raise FormulaError(cell, f"cannot read the formula at character {pos + 1}: {text[pos:pos + 12]!r}")
        kind = m.lastgroup
        end = m.end()
        if kind == "qsheet":
            out.append(Token("qual", m.group("qsheet").replace("''", "'"), pos, end))
        elif kind == "sheet":
            out.append(Token("qual", m.group("sheet"), pos, end))
        elif kind == "func":
            out.append(Token("func", m.group("func"), pos, end))
        elif kind != "ws":
            out.append(Token(kind, m.group(0), pos, end))
        pos = end
    return out
