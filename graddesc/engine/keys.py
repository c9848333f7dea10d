"""A cell's integer key: sheet << SHEET_SHIFT | row << ROW_SHIFT | col.

Row 1..1048576 needs 21 bits and column 1..16384 needs 15, so the fields never overlap and a key
splits with shifts and masks; the key is linear in (sheet, row, col), so a relative reference is a
constant offset from the formula's own key.  The one definition of the layout."""

SHEET_SHIFT = 36
ROW_SHIFT = 15
ROW_BITS = (1 << 21) - 1  # (k >> ROW_SHIFT) & ROW_BITS is the row
COL_MASK = (1 << ROW_SHIFT) - 1  # k & COL_MASK is the column
NOT_COL = ~COL_MASK


def make_key(sheet: int, row: int, col: int) -> int:
    return (sheet << SHEET_SHIFT) | (row << ROW_SHIFT) | col


def split_key(k: int):
    """key -> (sheet index, row, col)."""
    return k >> SHEET_SHIFT, (k >> ROW_SHIFT) & ROW_BITS, k & COL_MASK
