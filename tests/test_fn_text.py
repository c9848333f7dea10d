"""Excel's text functions: a table of formulas with the values Microsoft's function reference
documents (its examples where it gives some), including the error cases."""

import pytest

from graddesc.engine import evaluate_formula

# A1 text, A2 number, A3 TRUE, A4 an error, A5 empty (not set), B1..B3 a column of text with a gap
CELLS = {"A1": "Sale Price", "A2": 1234.5, "A3": True, "A4": "#N/A", "A6": "Alpha beta",
         "B1": "a", "B2": "b", "B4": "d", "C1": "Tulsa", "C2": "OK", "C3": 74133.0,
         "D1": ",", "D2": ";"}

TABLE = [
    # LEFT / RIGHT / MID (num_chars truncated; negative is #VALUE!; beyond the length: all)
    ('=LEFT(A1,4)', "Sale"), ('=LEFT(A1)', "S"), ('=LEFT("abc",0)', ""), ('=LEFT("abc",10)', "abc"),
    ('=LEFT("abc",1.9)', "a"), ('=LEFT("abc",-1)', "#VALUE!"), ('=LEFT(A2,3)', "123"),
    ('=LEFT(A3,2)', "TR"), ('=LEFT(A4,1)', "#N/A"), ('=LEFT(A5,2)', ""), ('=LEFT("abc","x")', "#VALUE!"),
    ('=RIGHT(A1,5)', "Price"), ('=RIGHT("Stock Number")', "r"), ('=RIGHT("abc",0)', ""),
    ('=RIGHT("abc",5)', "abc"), ('=RIGHT("abc",-1)', "#VALUE!"), ('=RIGHT(A2,3)', "4.5"),
    ('=MID("Fluid Flow",1,5)', "Fluid"), ('=MID("Fluid Flow",7,20)', "Flow"), ('=MID("Fluid Flow",20,5)', ""),
    ('=MID("abc",0,1)', "#VALUE!"), ('=MID("abc",1,-1)', "#VALUE!"), ('=MID("abc",2.7,1.2)', "b"),
    ('=LEFTB("abc",2)', "ab"), ('=RIGHTB("abc",2)', "bc"), ('=MIDB("abc",2,1)', "b"),
    # LEN
    ('=LEN("Phoenix, AZ")', 11.0), ('=LEN("")', 0.0), ('=LEN("     One   ")', 11.0), ('=LEN(A2)', 6.0),
    ('=LEN(A3)', 4.0), ('=LEN(A5)', 0.0), ('=LEN(A4)', "#N/A"), ('=LENB("abc")', 3.0),
    # FIND (case-sensitive) / SEARCH (case-insensitive, wildcards)
    ('=FIND("M","Miriam McGovern")', 1.0), ('=FIND("m","Miriam McGovern")', 6.0),
    ('=FIND("M","Miriam McGovern",3)', 8.0), ('=FIND("x","abc")', "#VALUE!"), ('=FIND("a","abc",0)', "#VALUE!"),
    ('=FIND("a","abc",5)', "#VALUE!"), ('=FIND("","abc")', 1.0), ('=FIND("","abc",3)', 3.0),
    ('=FIND("A","abc")', "#VALUE!"), ('=FIND(4,A2)', 4.0), ('=FINDB("c","abc")', 3.0),
    ('=SEARCH("e","Statements",6)', 7.0), ('=SEARCH("n","printer")', 4.0), ('=SEARCH("BASE","database")', 5.0),
    ('=SEARCH("p?i","Sale Price")', 6.0), ('=SEARCH("s*e","xSale")', 2.0), ('=SEARCH("~?","a?b")', 2.0),
    ('=SEARCH("~*","a*b")', 2.0), ('=SEARCH("~~","a~b")', 2.0), ('=SEARCH("a.c","abc")', "#VALUE!"),
    ('=SEARCH("x","abc")', "#VALUE!"), ('=SEARCH("a","abc",0)', "#VALUE!"), ('=SEARCH("","abc")', 1.0),
    ('=SEARCH("*","abc",2)', 2.0), ('=SEARCHB("B","abc")', 2.0),
    # SUBSTITUTE / REPLACE
    ('=SUBSTITUTE("Sales Data","Sales","Cost")', "Cost Data"),
    ('=SUBSTITUTE("Quarter 1, 2008","1","2",1)', "Quarter 2, 2008"),
    ('=SUBSTITUTE("Quarter 1, 2011","1","2",3)', "Quarter 1, 2012"),
    ('=SUBSTITUTE("aaa","a","b",4)', "aaa"), ('=SUBSTITUTE("aaa","","b")', "aaa"),
    ('=SUBSTITUTE("aaaa","aa","b",2)', "aab"), ('=SUBSTITUTE("abc","a","x",0)', "#VALUE!"),
    ('=SUBSTITUTE("abA","a","x")', "xbA"), ('=SUBSTITUTE(A2,".",",")', "1234,5"),
    ('=REPLACE("abcdefghijk",6,5,"*")', "abcde*k"), ('=REPLACE("2009",3,2,"10")', "2010"),
    ('=REPLACE("123456",1,3,"@")', "@456"), ('=REPLACE("abc",10,1,"x")', "abcx"),
    ('=REPLACE("abc",0,1,"x")', "#VALUE!"), ('=REPLACE("abc",1,-1,"x")', "#VALUE!"),
    ('=REPLACEB("abc",2,1,"X")', "aXc"),
    # case, TRIM, CLEAN, EXACT, T, REPT
    ('=UPPER("total")', "TOTAL"), ('=UPPER(A3)', "TRUE"), ('=LOWER("E. E. Cummings")', "e. e. cummings"),
    ('=UPPER("straße")', "STRAßE"), ('=LOWER(A4)', "#N/A"),
    ('=PROPER("this is a TITLE")', "This Is A Title"), ('=PROPER("2-way street")', "2-Way Street"),
    ('=PROPER("76BudGet")', "76Budget"), ("=PROPER(\"don't\")", "Don'T"),
    ('=TRIM(" First Quarter Earnings ")', "First Quarter Earnings"), ('=TRIM("  a   b  ")', "a b"),
    ('=TRIM("a' + "\u00a0" + '")', "a\u00a0"), ('=TRIM(A2)', "1234.5"),
    ('=CLEAN(CHAR(9)&"Monthly report"&CHAR(10))', "Monthly report"), ('=CLEAN("a"&CHAR(127))', "a\x7f"),
    ('=EXACT("word","word")', True), ('=EXACT("Word","word")', False), ('=EXACT("w ord","word")', False),
    ('=EXACT(1,"1")', True), ('=EXACT(A4,"x")', "#N/A"),
    ('=T("Rainfall")', "Rainfall"), ('=T(19)', ""), ('=T(TRUE)', ""), ('=T(A1)', "Sale Price"), ('=T(A4)', "#N/A"),
    ('=REPT("*-",3)', "*-*-*-"), ('=REPT("-",10)', "----------"), ('=REPT("ab",0)', ""), ('=REPT("a",2.9)', "aa"),
    ('=REPT("a",-1)', "#VALUE!"), ('=LEN(REPT("a",32767))', 32767.0), ('=REPT("ab",16384)', "#VALUE!"),
    # CHAR / CODE (Windows-1252) and UNICHAR / UNICODE
    ('=CHAR(65)', "A"), ('=CHAR(33)', "!"), ('=CHAR(65.9)', "A"), ('=CHAR(128)', "\u20ac"), ('=CHAR(233)', "é"),
    ('=CHAR(10)', "\n"), ('=CHAR(129)', "\x81"), ('=CHAR(0)', "#VALUE!"), ('=CHAR(256)', "#VALUE!"),
    ('=CHAR("a")', "#VALUE!"), ('=CODE("A")', 65.0), ('=CODE("!")', 33.0), ('=CODE("Alphabet")', 65.0),
    ('=CODE("")', "#VALUE!"), ('=CODE(CHAR(128))', 128.0), ('=CODE(5)', 53.0), ('=CODE(UNICHAR(1488))', 63.0),
    ('=UNICHAR(66)', "B"), ('=UNICHAR(32)', " "), ('=UNICHAR(0)', "#VALUE!"), ('=UNICHAR(1114112)', "#VALUE!"),
    ('=UNICHAR(55296)', "#N/A"), ('=UNICHAR(8364)', "\u20ac"), ('=UNICODE("B")', 66.0),
    ('=UNICODE(" ")', 32.0), ('=UNICODE("")', "#VALUE!"), ('=UNICODE(UNICHAR(128512))', 128512.0),
    ('=ASC("ＡＢＣ１")', "ABC1"), ('=ASC("abc")', "abc"), ('=DBCS("AB 1")', "ＡＢ\u3000１"),
    # CONCATENATE / CONCAT / TEXTJOIN
    ('=CONCATENATE("Stream population for ","x"," is ",32,"/mile")', "Stream population for x is 32/mile"),
    ('=CONCATENATE(A2,A3,A5)', "1234.5TRUE"), ('=CONCATENATE("a",A4)', "#N/A"),
    ('=CONCAT(B1:B4)', "abd"), ('=CONCAT(C1:C3,"!")', "TulsaOK74133!"), ('=CONCAT(B1:B4,A4)', "#N/A"),
    ('=CONCAT("x",A2,A3)', "x1234.5TRUE"),
    ('=TEXTJOIN(", ",TRUE,C1:C3)', "Tulsa, OK, 74133"), ('=TEXTJOIN("-",FALSE,B1:B4)', "a-b--d"),
    ('=TEXTJOIN("-",TRUE,B1:B4)', "a-b-d"), ('=TEXTJOIN(D1:D2,TRUE,B1:B4,"e")', "a,b;d,e"),
    ('=TEXTJOIN("",TRUE,"a","","b")', "ab"), ('=TEXTJOIN(" ",FALSE,"a","","b")', "a  b"),
    ('=TEXTJOIN(",",TRUE,B1:B4,A4)', "#N/A"), ('=TEXTJOIN(",","x","a")', "#VALUE!"),
    ('=LEN(CONCAT(REPT("a",32767),"b"))', "#VALUE!"),
    # REGEXTEST / REGEXEXTRACT / REGEXREPLACE (Excel 365, PCRE2 syntax)
    ('=REGEXTEST("alpine","a")', True), ('=REGEXTEST("Alpine","^a")', False), ('=REGEXTEST("Alpine","^a",1)', True),
    ('=REGEXTEST("WORDS","^[A-Z]{5}$")', True), ('=REGEXTEST("WORD","^[A-Z]{5}$")', False),
    ('=REGEXTEST("abc","[")', "#VALUE!"), ('=REGEXTEST("abc","a",2)', "#VALUE!"),
    ('=REGEXTEST("(378) 555-4195","\\(\\d{3}\\) \\d{3}-\\d{4}")', True),
    ('=REGEXTEST("a.b","\\Qa.b\\E")', True), ('=REGEXTEST("axb","\\Qa.b\\E")', False),
    ('=REGEXTEST("Été","^\\p{Lu}")', True), ('=REGEXTEST("x1","[[:digit:]]")', True),
    ('=REGEXTEST(123,"^\\d+$")', True), ('=REGEXTEST(A4,"x")', "#N/A"),
    ('=REGEXEXTRACT("Sonia (378) 555-4195","\\d{3}-\\d{4}")', "555-4195"),
    ('=REGEXEXTRACT("10 apples, 12 oranges","[0-9]+")', "10"),
    ('=REGEXEXTRACT("O my Luve red rose","O my (\\w+) red (\\w+)")', "O my Luve red rose"),
    ('=REGEXEXTRACT("abc","\\d")', "#N/A"), ('=REGEXEXTRACT("abc","B",0,1)', "b"),
    ('=REGEXEXTRACT("abc","b",3)', "#VALUE!"),
    ('=REGEXREPLACE("Sonia Rees","(\\w+) (\\w+)","$2, $1")', "Rees, Sonia"),
    ('=REGEXREPLACE("a1b22c333","\\d+","#")', "a#b#c#"), ('=REGEXREPLACE("a1b22c333","\\d+","#",2)', "a1b#c333"),
    ('=REGEXREPLACE("a1b22c333","\\d+","#",-1)', "a1b22c#"), ('=REGEXREPLACE("a1b22c333","\\d+","#",9)', "a1b22c333"),
    ('=REGEXREPLACE("aBc","b","x")', "aBc"), ('=REGEXREPLACE("aBc","b","x",0,1)', "axc"),
    ('=REGEXREPLACE("2024-01-15","(?<y>\\d+)-(\\d+)-(\\d+)","$3/$2/${y}")', "15/01/2024"),
    ('=REGEXREPLACE("cost 5","\\d","$$")', "cost $"), ('=REGEXREPLACE("abc","x*","-")', "-a-b-c-"),
    ('=REGEXREPLACE("abc","(","x")', "#VALUE!"),
]


@pytest.mark.parametrize("formula,expected", TABLE)
def test_text_function(formula, expected):
    got = evaluate_formula(formula, CELLS)
    if isinstance(expected, str) and expected.startswith("#"):
        assert str(got) == expected, formula
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-12), formula
    else:
        assert got == expected and type(got) is type(expected), formula


def test_regexextract_arrays():
    from graddesc.engine.functions.base import Area
    from graddesc.engine.functions.text import REGEXEXTRACT

    got = REGEXEXTRACT("10 apples, 12 oranges", "[0-9]+", 1.0)
    assert isinstance(got, Area) and got.rows == [["10"], ["12"]]  # all matches: a column
    got = REGEXEXTRACT("O my Luve red rose", r"O my (\w+) red (\w+)", 2.0)
    assert got.rows == [["Luve", "rose"]]  # the capture groups: a row
