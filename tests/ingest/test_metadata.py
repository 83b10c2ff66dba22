"""Outlets from by-lines and source lines."""

from rag.ingest.metadata import canonical_outlet, detect_outlet


def test_source_line():
    assert detect_outlet("نص الخبر\n  • المصدر: شبكة شام\n  • اسم الكاتب: فريق التحرير") == "Sham Network"


def test_bylines():
    assert detect_outlet("عنوان\nخاص – SY24\nنص") == "SY24"
    assert detect_outlet("عنوان\nأوطان بوست – فريق التحرير\nنص") == "Awtan Post"
    assert detect_outlet("نص طويل\nراديو الكل – متابعات") == "Radio Alkul"


def test_platform_speaking_of_itself():
    assert detect_outlet("وقال لمنصة SY24: إن هناك لعبة") == "SY24"


def test_a_newspaper_quoted_in_the_body_is_not_the_outlet():
    assert detect_outlet("ووفق ما أفادت صحيفة “الشرق الأوسط” اليوم الأحد، فإن القوات بدأت") == ""


def test_unknown_source_kept_as_written():
    assert canonical_outlet("Some Wire") == "Some Wire"
    assert canonical_outlet("شبكة شام") == "Sham Network"


def test_outlets_from_the_data_file_not_only_the_samples():
    assert detect_outlet("عنوان\nعنب بلدي – متابعات\nنص") == "Enab Baladi"
    assert detect_outlet("نص\nالمصدر: المرصد السوري لحقوق الإنسان") == "Syrian Observatory for Human Rights"
    assert detect_outlet("عنوان\nخاص – دير الزور 24\nنص") == "Deir Ezzor 24"
    assert canonical_outlet("روداو") == "Rudaw"


def test_an_attribution_in_the_body_is_not_the_outlet():
    assert detect_outlet("وقال المرصد السوري لحقوق الإنسان إن 14 مقاتلا قتلوا في الغارة على المطار") == ""
