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
    ('=SUBSTITUTE("abA","a","x")', "xbA"), ('=SUBSTITUTE(A2,".",",")', "1234,5"), ('=SUBSTITUTE("aaa","a","b",A5)', "#VALUE!"),
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

# TEXT: number format codes (Microsoft's "Number format codes" and TEXT function pages).
# 45306.75 is 2024-01-15 18:00 (a Monday).
TEXT_TABLE = [
    # digits, decimals, thousands separators, scaling, percent
    ('=TEXT(1234.567,"$#,##0.00")', "$1,234.57"), ('=TEXT(0.285,"0.0%")', "28.5%"),
    ('=TEXT(1234.567,"0.0")', "1234.6"), ('=TEXT(1234.567,"#,##0")', "1,235"), ('=TEXT(5,"0000")', "0005"),
    ('=TEXT(8.9,"#.000")', "8.900"), ('=TEXT(0.631,"0.#")', "0.6"), ('=TEXT(12,"#.0#")', "12.0"),
    ('=TEXT(1234.568,"#.0#")', "1234.57"), ('=TEXT(0.5,"#.##")', ".5"), ('=TEXT(5,"#.##")', "5."),
    ('=TEXT(44.398,"???.???")', " 44.398"), ('=TEXT(102.65,"???.???")', "102.65 "), ('=TEXT(2.8,"???.???")', "  2.8  "),
    ('=TEXT(12000,"#,###")', "12,000"), ('=TEXT(12000,"#,")', "12"), ('=TEXT(12200000,"0.0,,")', "12.2"),
    ('=TEXT(1234567,"#,##0,")', "1,235"), ('=TEXT(0,"#,###")', ""), ('=TEXT(0,"0.0")', "0.0"),
    ('=TEXT(123456789,"000-00-0000")', "123-45-6789"), ('=TEXT(5551234,"###-####")', "555-1234"),
    ('=TEXT(1.005,"0.00")', "1.01"), ('=TEXT(2.5,"0")', "3"), ('=TEXT(-2.5,"0")', "-3"),
    ('=TEXT(1E+20,"0")', "100000000000000000000"), ('=TEXT(0.5,"0%")', "50%"), ('=TEXT(-0.5,"0%")', "-50%"),
    ('=TEXT(-1/3,"0")', "0"), ('=TEXT(-0.001,"0.00")', "0.00"),
    # scientific
    ('=TEXT(12200000,"0.00E+00")', "1.22E+07"), ('=TEXT(0.000123,"0.00E+00")', "1.23E-04"),
    ('=TEXT(12345.678,"0.00E+0")', "1.23E+4"), ('=TEXT(12345,"##0.0E+0")', "12.3E+3"),
    ('=TEXT(0,"0.00E+00")', "0.00E+00"), ('=TEXT(-12345,"0.0E-00")', "-1.2E04"), ('=TEXT(9.99,"0.0E+0")', "1.0E+1"),
    # literal text, backslash, spacing, currency, colours
    ('=TEXT(5,"""Total: ""0")', "Total: 5"), ('=TEXT(5,"0 \\k\\g")', "5 kg"), ('=TEXT(5,"0_);(0)")', "5 "),
    ('=TEXT(12,"0.0""%""")', "12.0%"), ('=TEXT(5,"[Red]0")', "5"), ('=TEXT(5,"[$€-407]#,##0.00")', "€5.00"),
    ('=TEXT(-5,"abc")', "-abc"), ('=TEXT(5,"**0")', "5"), ('=TEXT(1.23,"#""°F""""")', "#VALUE!"),
    # sections, conditions
    ('=TEXT(-1234.5,"#,##0.00;[Red](#,##0.00)")', "(1,234.50)"), ('=TEXT(1234.5,"#,##0.00;(#,##0.00)")', "1,234.50"),
    ('=TEXT(0,"0.00;(0.00);""zero""")', "zero"), ('=TEXT(-5,"0;-0;""z""")', "-5"), ('=TEXT(-5,"0;;")', ""),
    ('=TEXT(150,"[>=100]0.0;0")', "150.0"), ('=TEXT(50,"[>=100]0.0;0")', "50"),
    ('=TEXT(5,"[<10]""small"";""big""")', "small"), ('=TEXT(50,"[<10]""small"";""big""")', "big"),
    ('=TEXT("abc","0;0;0;""[""@""]""")', "[abc]"), ('=TEXT("abc","0.00")', "abc"), ('=TEXT(5,"@")', "5"),
    ('=TEXT("x","@@")', "xx"), ('=TEXT(5,"0;0;0;@;0")', "#VALUE!"), ('=TEXT(5,"0@")', "#VALUE!"),
    ('=TEXT(-1,"")', "-"), ('=TEXT(1,"")', ""), ('=TEXT("a","")', "a"),
    # General: 11 characters at most, else scientific
    ('=TEXT(1234.5,"General")', "1234.5"), ('=TEXT(1/3,"General")', "0.333333333"),
    ('=TEXT(123456789012,"General")', "1.23457E+11"), ('=TEXT(1E-08,"General")', "0.00000001"),
    ('=TEXT(-5,"General;(General)")', "(5)"),
    ('=TEXT(1234567898,"[<=9999999]###-####;(###) ###-####")', "(123) 456-7898"),
    ('=TEXT(5551234,"[<=9999999]###-####;(###) ###-####")', "555-1234"), ('=TEXT(1234,"0000000")', "0001234"),
    ('=TEXT(123456,"##0° 00\' 00\'\'")', "12° 34' 56''"), ('=TEXT(45306.5,"MM/DD/YY")', "01/15/24"),
    ('=TEXT(45306.5,"H:MM AM/PM")', "12:00 PM"),
    # fractions
    ('=TEXT(4.34,"# ?/?")', "4 1/3"), ('=TRIM(TEXT(0.34,"# ?/?"))', "1/3"),
    ('=TEXT(1.5,"# ?/?")', "1 1/2"), ('=TEXT(0.75,"?/?")', "3/4"), ('=TEXT(1.25,"# ??/??")', "1  1/4 "),
    ('=TEXT(2,"# ?/?")', "2    "), ('=TEXT(0.3,"# ?/8")', " 2/8"), ('=TEXT(3.5,"?/?")', "7/2"),
    ('=TEXT(-1.5,"# ?/?")', "-1 1/2"), ('=TEXT(PI(),"# ???/???")', "3  16/113"), ('=TEXT(5.25,"# ?/4")', "5 1/4"),
    # dates and times (1900 system; serial 60 is the phantom 1900-02-29)
    ('=TEXT(45306.75,"yyyy-mm-dd hh:mm:ss")', "2024-01-15 18:00:00"),
    ('=TEXT(45306.75,"dddd, mmmm d, yyyy")', "Monday, January 15, 2024"),
    ('=TEXT(45306.75,"ddd d mmm yy")', "Mon 15 Jan 24"), ('=TEXT(45306.75,"mmmmm")', "J"),
    ('=TEXT(45306.75,"m/d/yyyy h:mm AM/PM")', "1/15/2024 6:00 PM"), ('=TEXT(45306.25,"h:mm a/p")', "6:00 a"),
    ('=TEXT(45306.75,"mm")', "01"), ('=TEXT(45306.75,"h:mm")', "18:00"), ('=TEXT(0.000694,"mm:ss")', "01:00"),
    ('=TEXT(0.5,"hh:mm:ss AM/PM")', "12:00:00 PM"), ('=TEXT(0,"h AM/PM")', "12 AM"),
    ('=TEXT(1.5,"[h]:mm")', "36:00"), ('=TEXT(1.25,"[mm]:ss")', "1800:00"), ('=TEXT(1.25,"[s]")', "108000"),
    ('=TEXT(0.5000057870,"hh:mm:ss.000")', "12:00:00.500"), ('=TEXT(0.99999999,"hh:mm:ss")', "00:00:00"),
    ('=TEXT(60,"yyyy-mm-dd")', "1900-02-29"), ('=TEXT(0,"yyyy-mm-dd dddd")', "1900-01-00 Saturday"),
    ('=TEXT(61,"dddd")', "Thursday"), ('=TEXT(2958465,"yyyy-mm-dd")', "9999-12-31"),
    ('=TEXT(2958466,"yyyy")', "#VALUE!"), ('=TEXT(-1,"yyyy")', "#VALUE!"), ('=TEXT(-1,"[h]")', "-24"),
    ('=TEXT(-1,"[h]:mm")', "#VALUE!"), ('=TEXT(45306,"mm###")', "#VALUE!"),
    ('=TEXT("1/15/2024","yyyy")', "2024"), ('=TEXT("12:30","h:mm")', "12:30"), ('=TEXT(TRUE,"0")', "TRUE"),
    ('=TEXT(A5,"0.0")', "0.0"), ('=TEXT(A4,"0")', "#N/A"), ('=TEXT("1234","0.0")', "1234.0"),
    # FIXED, DOLLAR (en-US: $#,##0.00_);($#,##0.00))
    ('=FIXED(1234.567,1)', "1,234.6"), ('=FIXED(1234.567,-1)', "1,230"), ('=FIXED(-1234.567,-1,TRUE)', "-1230"),
    ('=FIXED(44.332)', "44.33"), ('=FIXED(1234.5,0)', "1,235"), ('=FIXED(1234.5,A5)', "1,235"),
    ('=FIXED(0.5,0)', "1"), ('=FIXED(1,128)', "#VALUE!"), ('=FIXED("x")', "#VALUE!"), ('=FIXED(-0.001)', "0.00"),
    ('=DOLLAR(1234.567,2)', "$1,234.57"), ('=DOLLAR(1234.567,-2)', "$1,200"), ('=DOLLAR(-1234.567,-2)', "($1,200)"),
    ('=DOLLAR(-0.123,4)', "($0.1230)"), ('=DOLLAR(99.888)', "$99.89"), ('=DOLLAR(5,0)', "$5"),
    # VALUE: numbers, currency, percent, dates and times as Excel reads typed text
    ('=VALUE("$1,000")', 1000.0), ('=VALUE("16:48:00")-VALUE("12:00:00")', 0.2), ('=VALUE("(123)")', -123.0),
    ('=VALUE("12%")', 0.12), ('=VALUE("1e3")', 1000.0), ('=VALUE(" 12 ")', 12.0), ('=VALUE("1,234.5")', 1234.5),
    ('=VALUE("-$5")', -5.0), ('=VALUE("1 1/2")', 1.5), ('=VALUE("1/15/2024")', 45306.0),
    ('=VALUE("2024-01-15")', 45306.0), ('=VALUE("15-Jan-2024")', 45306.0), ('=VALUE("January 15, 2024")', 45306.0),
    ('=VALUE("Jan 15, 2024")', 45306.0), ('=VALUE("2/29/1900")', 60.0), ('=VALUE("12:30 PM")', 0.5208333333333334),
    ('=VALUE("12 AM")', 0.0), ('=VALUE("1/15/2024 18:00")', 45306.75), ('=VALUE("23:99")', 1479 / 1440),
    ('=VALUE("24:99")', "#VALUE!"), ('=VALUE("0:0:9999")', 9999 / 86400), ('=VALUE("59:30.5")', 3570.5 / 86400),
    ('=VALUE("abc")', "#VALUE!"), ('=VALUE("")', "#VALUE!"), ('=VALUE(TRUE)', "#VALUE!"), ('=VALUE(A2)', 1234.5),
    ('=VALUE(A5)', 0.0), ('=VALUE(A4)', "#N/A"), ('=VALUE("2/30/2024")', "#VALUE!"), ('=VALUE("1,23")', "#VALUE!"),
    ('=VALUE("(5")', "#VALUE!"), ('=VALUE("--5")', "#VALUE!"),
    # NUMBERVALUE
    ('=NUMBERVALUE("2.500,27",",",".")', 2500.27), ('=NUMBERVALUE("3.5%")', 0.035), ('=NUMBERVALUE("")', 0.0),
    ('=NUMBERVALUE(" 3 000 ")', 3000.0), ('=NUMBERVALUE("9%%")', 0.0009), ('=NUMBERVALUE("1,000.5")', 1000.5),
    ('=NUMBERVALUE("1.000,5")', "#VALUE!"), ('=NUMBERVALUE("1.2.3")', "#VALUE!"), ('=NUMBERVALUE("1,5",",",",")', "#VALUE!"),
    ('=NUMBERVALUE("(2.500,27)",",",".")', -2500.27), ('=NUMBERVALUE("1",A5)', "#VALUE!"),
    ('=NUMBERVALUE("1,5",",")', 1.5), ('=NUMBERVALUE("abc")', "#VALUE!"), ('=NUMBERVALUE(7)', 7.0),
    # VALUETOTEXT / ARRAYTOTEXT
    ('=VALUETOTEXT("abc")', "abc"), ('=VALUETOTEXT("abc",1)', '"abc"'), ('=VALUETOTEXT(1234.5)', "1234.5"),
    ('=VALUETOTEXT(TRUE,1)', "TRUE"), ('=VALUETOTEXT(A4)', "#N/A"), ('=VALUETOTEXT(1,2)', "#VALUE!"),
    ('=ARRAYTOTEXT(C1:C3)', "Tulsa, OK, 74133"), ('=ARRAYTOTEXT(C1:C3,1)', '{"Tulsa";"OK";74133}'),
    ('=ARRAYTOTEXT(B1:B4)', "a, b, , d"), ('=ARRAYTOTEXT(A3:A4,1)', "{TRUE;#N/A}"), ('=ARRAYTOTEXT(C1:C3,3)', "#VALUE!"),
    # TEXTBEFORE / TEXTAFTER
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","Red")', "Little "),
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","red")', "Little Red Riding Hood's "),
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","red",2)', "#N/A"),
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","red",2,1)', "Little Red Riding Hood's "),
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","red",-2)', "#N/A"),
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","red",-2,1)', "Little "),
    ('=TEXTBEFORE("Little Red Riding Hood\'s red hood","Red",,1)', "Little "),
    ('=TEXTAFTER("Little Red Riding Hood\'s red hood","hood")', ""), ('=TEXTAFTER("Little Red Riding Hood\'s red hood","hood",1,1)', "'s red hood"),
    ('=TEXTAFTER("Little Red Riding Hood\'s red hood","basket")', "#N/A"),
    ('=TEXTAFTER("Little Red Riding Hood\'s red hood","basket",,,,"none")', "none"),
    ('=TEXTAFTER("a-b-c","-",-1)', "c"), ('=TEXTBEFORE("a-b-c","-",-1)', "a-b"), ('=TEXTAFTER("a-b-c","-",2)', "c"),
    ('=TEXTBEFORE("a-b-c","-",3)', "#N/A"), ('=TEXTBEFORE("a-b-c","-",3,,1)', "a-b-c"), ('=TEXTAFTER("a-b-c","-",3,,1)', ""),
    ('=TEXTBEFORE("a-b","-",0)', "#VALUE!"), ('=TEXTBEFORE("a-b","-",4)', "#VALUE!"),
    ('=TEXTBEFORE("abc","")', ""), ('=TEXTAFTER("abc","")', "abc"), ('=TEXTBEFORE("abc","",-1)', "abc"),
    # BAHTTEXT: Thai words, baht and satang ("exactly" when no satang)
    ('=BAHTTEXT(1234)', "หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน"), ('=BAHTTEXT(0)', "ศูนย์บาทถ้วน"),
    ('=BAHTTEXT(21)', "ยี่สิบเอ็ดบาทถ้วน"), ('=BAHTTEXT(0.5)', "ห้าสิบสตางค์"), ('=BAHTTEXT(-5)', "ลบห้าบาทถ้วน"),
    ('=BAHTTEXT(2500000.75)', "สองล้านห้าแสนบาทเจ็ดสิบห้าสตางค์"), ('=BAHTTEXT("x")', "#VALUE!"),
    ('=REPT("",1E+300)', ""),
    ('=TEXTAFTER("a,b;c",D1:D2,2)', "c"), ('=TEXTBEFORE("x","x",1,2)', "#VALUE!"),
]
TABLE += TEXT_TABLE


def test_textsplit():
    from graddesc.engine.functions.base import Area
    from graddesc.engine.functions.text import TEXTSPLIT
    from graddesc.engine.values import NA

    assert TEXTSPLIT("Dakota Lennon Sanchez", " ").rows == [["Dakota", "Lennon", "Sanchez"]]
    assert TEXTSPLIT("1,2,3;4,5", ",", ";").rows == [["1", "2", "3"], ["4", "5", NA]]
    assert TEXTSPLIT("1,2,3;4,5", ",", ";", False, None, "-").rows == [["1", "2", "3"], ["4", "5", "-"]]
    assert TEXTSPLIT("Do. Or do not. There is no try. -Anonymous", None, ".").rows == [
        ["Do"], [" Or do not"], [" There is no try"], [" -Anonymous"]]
    assert TEXTSPLIT("a,,b", ",").rows == [["a", "", "b"]]
    assert TEXTSPLIT("a,,b", ",", None, True).rows == [["a", "b"]]
    assert TEXTSPLIT("aXbxc", "x", None, False, 1.0).rows == [["a", "b", "c"]]
    assert TEXTSPLIT("a-b,c", Area([["-", ","]])).rows == [["a", "b", "c"]]
    assert evaluate_formula('=INDEX(TEXTSPLIT("a b c"," "),1,2)') == "b"
    assert evaluate_formula('=TEXTJOIN(",",TRUE,{1,2;3,4})') == "1,2,3,4"


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
    from graddesc.engine.values import NA

    got = REGEXEXTRACT("10 apples, 12 oranges", "[0-9]+", 1.0)
    assert isinstance(got, Area) and got.rows == [["10", "12"]]  # all matches: a row
    got = REGEXEXTRACT("O my Luve red rose", r"O my (\w+) red (\w+)", 2.0)
    assert got.rows == [["Luve", "rose"]]  # the capture groups: a row
    got = REGEXEXTRACT("1a2b3c", r"((\d)[bc]+|(3c))", 2.0)
    assert got.rows == [["2b", "2", NA]]  # a group that took no part: #N/A
