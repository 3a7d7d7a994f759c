"""Uploads in every supported format, and hostile or broken input turned into error items."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from datetime import date

import pytest

from app.ingest.archive import EntryMark
from app.ingest.items import InputItem
from app.ingest.limits import IngestLimits
from app.ingest.readers import detect_format, read_paths, read_upload

LIMITS = IngestLimits()

WIRE_STORY = (
    "The foreign ministers of both countries met in Vienna on Tuesday for three hours, "
    "the first such meeting since the spring.\n\n"
    '"We have agreed to keep talking, and that is already something," the deputy '
    "minister told reporters after the session, adding that a second round was planned.\n\n"
    "Officials on both sides declined to say whether a prisoner exchange had been discussed."
)


def only(items: list[InputItem]) -> InputItem:
    assert len(items) == 1, items
    return items[0]


def article_of(items: list[InputItem]):
    item = only(items)
    assert item.error is None, item.error
    assert item.article is not None
    return item.article


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return buffer.getvalue()


# Plain text


def test_text_file_with_header_line_keeps_date_url_and_outlet():
    data = f"date 2023-12-15 https://tass.com/politics/1\nMinisters meet in Vienna\n\n{WIRE_STORY}"
    article = article_of(read_upload("a.txt", data.encode(), limits=LIMITS))
    assert article.published == date(2023, 12, 15)
    assert article.url == "https://tass.com/politics/1"
    assert article.outlet is not None and article.outlet.slug == "tass"
    assert article.title == "Ministers meet in Vienna"
    assert article.language == "en"
    assert article.minhash is not None and len(article.minhash) == 256


def test_text_file_without_header_still_reads():
    article = article_of(
        read_upload("b.txt", f"Vienna talks\n\n{WIRE_STORY}".encode(), limits=LIMITS)
    )
    assert (article.title, article.published, article.url) == ("Vienna talks", None, None)


def test_pasted_text_without_extension_is_read_as_text():
    assert article_of(read_upload("", WIRE_STORY.encode(), limits=LIMITS)).body.startswith("The")


def test_windows_1252_file_is_decoded():
    data = "Négociations à Genève\n\nLe ministre a déclaré : « Nous restons prêts. »".encode(
        "cp1252"
    )
    article = article_of(read_upload("fr.txt", data, limits=LIMITS))
    assert article.title == "Négociations à Genève"


def test_cyrillic_file_in_windows_1251_is_decoded_by_charset_detection():
    text = (
        "Переговоры в Вене\n\nМинистр иностранных дел заявил во вторник, что переговоры "
        "продолжатся в следующем месяце, несмотря на разногласия сторон."
    )
    article = article_of(read_upload("ru.txt", text.encode("cp1251"), limits=LIMITS))
    assert article.title == "Переговоры в Вене"
    assert article.language == "ru"


def test_utf8_bom_is_dropped():
    article = article_of(
        read_upload("bom.txt", b"\xef\xbb\xbf" + WIRE_STORY.encode(), limits=LIMITS)
    )
    assert not article.title.startswith("\ufeff")


# Bad input: each one is an error item with a sentence, never an exception


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n\t ", "is empty"),
        ("blob.txt", bytes(range(256)) * 40, "binary"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), "JPEG image"),
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        ("noise.txt", bytes((n * 37 + 11) % 128 + 128 for n in range(3000)), "encoding"),
    ],
)
def test_unreadable_files_become_one_error_item(name, data, message):
    item = only(read_upload(name, data, limits=LIMITS))
    assert item.article is None
    assert message in item.error
    assert item.error.endswith(".")


def test_invalid_utf8_that_reads_as_latin_is_decoded_not_refused():
    data = b"Caf\xe9 talks\n\nThe minister said the caf\xe9 would stay open during the summit."
    assert article_of(read_upload("cafe.txt", data, limits=LIMITS)).title == "Café talks"


def test_upload_over_the_size_limit_is_refused_without_reading():
    item = only(read_upload("big.txt", b"x" * 101, limits=IngestLimits(max_upload_bytes=100)))
    assert "limit for one upload is 100 bytes" in item.error


def test_article_over_the_article_limit_is_refused():
    item = only(
        read_upload("long.txt", WIRE_STORY.encode(), limits=IngestLimits(max_article_bytes=50))
    )
    assert "limit for one article is 50 bytes" in item.error


# HTML


PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Ministers meet in Vienna | The Danube Ledger</title>
<meta property="og:site_name" content="The Danube Ledger">
<meta property="article:published_time" content="2023-03-02T10:00:00Z">
<link rel="canonical" href="https://ledger.example/world/vienna-talks">
<script>window.tracker = "alert(1)";</script>
<style>body { color: red }</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Ministers meet in Vienna</h1>
<p>The foreign ministers of both countries met in Vienna on Tuesday for three hours,
the first such meeting since the spring.</p>
<img src="x.jpg" onerror="alert('onerror')">
<script>alert(1)</script>
<p>"We have agreed to keep talking, and that is already something," the deputy minister
told reporters after the session, adding that a second round was planned.</p>
<p>Officials on both sides declined to say whether a prisoner exchange had been discussed
during the talks, which lasted longer than planned.</p>
<noscript>Please enable JavaScript</noscript>
</article>
<footer>All rights reserved</footer>
</body></html>"""


def test_html_page_gives_main_text_and_metadata():
    article = article_of(read_upload("page.html", PAGE.encode(), limits=LIMITS))
    assert article.title == "Ministers meet in Vienna"
    assert article.url == "https://ledger.example/world/vienna-talks"
    assert article.published == date(2023, 3, 2)
    assert article.outlet is not None and article.outlet.name == "The Danube Ledger"
    assert article.body.startswith("The foreign ministers")
    assert "We have agreed to keep talking" in article.body


def test_scripts_styles_and_event_handlers_never_reach_the_text():
    body = article_of(read_upload("page.html", PAGE.encode(), limits=LIMITS)).body
    for fragment in ("alert", "onerror", "tracker", "color: red", "enable JavaScript", "Home |"):
        assert fragment not in body


def test_page_full_of_scripts_and_no_text_is_an_error_item():
    page = "<html><head><title>App</title></head><body>" + "<script>alert(1)</script>" * 200
    item = only(read_upload("app.html", (page + "</body></html>").encode(), limits=LIMITS))
    assert "no article text" in item.error


def test_html_saved_as_txt_is_read_as_html():
    article = article_of(read_upload("saved.txt", PAGE.encode(), limits=LIMITS))
    assert "<p>" not in article.body and article.title == "Ministers meet in Vienna"


def test_html_in_a_declared_legacy_charset_is_decoded():
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "Vienna on Tuesday", "Vienna on Tuesday (caf\u00e9 Landtmann)"
    )
    article = article_of(read_upload("old.htm", page.encode("cp1252"), limits=LIMITS))
    assert "café Landtmann" in article.body


# Records


def test_jsonl_records_map_fields_case_insensitively():
    lines = [
        {
            "Headline": "Vienna talks",
            "Body": WIRE_STORY,
            "pubDate": "15 Dec 2023",
            "Site": "Reuters",
        },
        {
            "title": "Second",
            "full_text": WIRE_STORY,
            "link": "https://apnews.com/a",
            "date": "2023-12",
        },
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    first, second = read_upload("export.jsonl", data, limits=LIMITS)
    assert first.source == "export.jsonl:1" and first.article is not None
    assert first.article.title == "Vienna talks"
    assert first.article.published == date(2023, 12, 15)
    assert first.article.outlet is not None and first.article.outlet.slug == "reuters"
    assert second.article is not None
    assert (second.article.published, second.article.published_precision) == (
        date(2023, 12, 1),
        "month",
    )
    assert second.article.outlet is not None and second.article.outlet.slug == "ap"


def test_json_record_without_text_is_an_error_naming_the_record():
    data = json.dumps([{"title": "a", "text": WIRE_STORY}, {"title": "no text here"}]).encode()
    ok, bad = read_upload("export.json", data, limits=LIMITS)
    assert ok.article is not None
    assert bad.source == "export.json#2"
    assert bad.error.startswith("Record 2 has no text field (expected one of: text, content")


def test_json_content_given_as_a_list_of_paragraphs_is_joined():
    data = json.dumps({"articles": [{"title": "T", "content": ["One para.", "Two para."]}]})
    article = article_of(read_upload("wrapped.json", data.encode(), limits=LIMITS))
    assert article.body == "One para.\n\nTwo para."


@pytest.mark.parametrize("value", ["31/02/2022", "2022-02-30", "2021-13-01"])
def test_impossible_date_in_a_record_is_an_error_not_a_silent_none(value):
    data = json.dumps({"title": "T", "text": WIRE_STORY, "date": value}).encode()
    item = only(read_upload("export.json", data, limits=LIMITS))
    assert item.article is None
    assert f"'{value}', is impossible" in item.error


def test_unreadable_date_in_a_record_is_an_error():
    data = json.dumps({"text": WIRE_STORY, "date": "last Tuesday"}).encode()
    assert "not a date" in only(read_upload("e.json", data, limits=LIMITS)).error


def test_broken_json_line_does_not_hide_the_others():
    data = json.dumps({"text": WIRE_STORY}).encode() + b"\n{not json\n"
    good, bad = read_upload("export.ndjson", data, limits=LIMITS)
    assert good.article is not None
    assert bad.source == "export.ndjson:2" and "not valid JSON" in bad.error


def test_csv_rows_become_articles_with_line_sources():
    quoted = WIRE_STORY.replace('"', '""')
    data = f'title,content,published_at,outlet\nVienna,"{quoted}",2023-12-15,TASS\n'.encode()
    item = only(read_upload("export.csv", data, limits=LIMITS))
    assert item.article is not None and item.article.outlet.slug == "tass"
    assert item.article.body == WIRE_STORY
    assert item.source == "export.csv:6"  # the line where the (multi-line) record ends


def test_semicolon_csv_is_sniffed():
    data = b"title;text\nVienna;The minister said the talks went well.\n"
    assert article_of(read_upload("e.csv", data, limits=LIMITS)).title == "Vienna"


def test_csv_without_a_text_column_is_one_error_naming_its_columns():
    item = only(read_upload("export.csv", b"title,author,date\nA,B,2023-01-01\n", limits=LIMITS))
    assert item.source == "export.csv"
    assert "no text column" in item.error
    assert "its columns are: title, author, date" in item.error


# Feeds


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Reuters</title><link>https://www.reuters.com</link>
<item><title>Ministers meet in Vienna</title>
<link>https://www.reuters.com/world/vienna-talks</link>
<pubDate>Tue, 12 Dec 2023 09:30:00 GMT</pubDate>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The foreign ministers met in Vienna on Tuesday.</p>
<script>alert(1)</script><p>"We will keep talking," the deputy minister said.</p>]]></content:encoded>
</item>
<item><title>No body at all</title><link>https://www.reuters.com/world/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>The Danube Ledger</title>
<entry><title>Border crossing reopens</title>
<link href="https://ledger.example/border"/>
<published>2023-11-30T08:00:00Z</published>
<summary type="html">&lt;p&gt;The crossing reopened on Thursday, officials said.&lt;/p&gt;</summary>
</entry></feed>"""


def test_rss_entries_use_full_content_and_drop_scripts():
    first, second = read_upload("feed.rss", RSS.encode(), limits=LIMITS)
    assert first.source == "feed.rss#1" and first.article is not None
    assert first.article.body == (
        "The foreign ministers met in Vienna on Tuesday.\n\n"
        '"We will keep talking," the deputy minister said.'
    )
    assert first.article.published == date(2023, 12, 12)
    assert first.article.outlet is not None and first.article.outlet.slug == "reuters"
    assert second.source == "feed.rss#2" and "has no text" in second.error


def test_atom_entry_summary_is_read():
    article = article_of(read_upload("ledger.atom", ATOM.encode(), limits=LIMITS))
    assert article.title == "Border crossing reopens"
    assert article.body == "The crossing reopened on Thursday, officials said."
    assert article.url == "https://ledger.example/border"


def test_xml_that_is_not_a_feed_is_an_error_item():
    item = only(
        read_upload("data.xml", b"<?xml version='1.0'?><config><a>1</a></config>", limits=LIMITS)
    )
    assert "not a readable RSS or Atom feed" in item.error


# Zip archives


def test_zip_of_mixed_formats_reads_every_entry_with_its_path():
    data = zip_bytes(
        {
            "dir/a.txt": f"Vienna talks\n\n{WIRE_STORY}".encode(),
            "dir/page.html": PAGE.encode(),
            "export.jsonl": json.dumps({"text": WIRE_STORY}).encode(),
        }
    )
    items = read_upload("bundle.zip", data, limits=LIMITS)
    assert [item.source for item in items] == [
        "bundle.zip/dir/a.txt",
        "bundle.zip/dir/page.html",
        "bundle.zip/export.jsonl:1",
    ]
    assert all(item.article is not None for item in items)


def test_directories_macos_folders_and_dotfiles_in_a_zip_are_skipped_silently():
    data = zip_bytes(
        {
            "dir/": b"",
            "__MACOSX/dir/._a.txt": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "dir/.hidden.txt": b"secret",
            "dir/a.txt": WIRE_STORY.encode(),
        }
    )
    assert [item.source for item in read_upload("b.zip", data, limits=LIMITS)] == [
        "b.zip/dir/a.txt"
    ]


@pytest.mark.parametrize(
    "entry", ["../../etc/passwd", "/etc/passwd", "C:/Windows/win.ini", "dir/..\\..\\evil.txt"]
)
def test_zip_entry_that_escapes_the_archive_is_refused_by_name(entry):
    data = zip_bytes({entry: b"root:x:0:0", "ok.txt": WIRE_STORY.encode()})
    bad, good = read_upload("bundle.zip", data, limits=LIMITS)
    assert bad.article is None and f"'{entry}'" in bad.error
    assert good.article is not None


def test_nested_zip_is_not_opened():
    inner = zip_bytes({"a.txt": WIRE_STORY.encode()})
    item = only(read_upload("outer.zip", zip_bytes({"inner.zip": inner}), limits=LIMITS))
    assert (
        item.error
        == "Nested archives are not opened: unzip 'inner.zip' first and upload its files."
    )


def test_nested_zip_with_another_extension_is_recognised_by_content():
    inner = zip_bytes({"a.txt": WIRE_STORY.encode()})
    item = only(read_upload("outer.zip", zip_bytes({"data.txt": inner}), limits=LIMITS))
    assert "Nested archives are not opened" in item.error


def test_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = zip_bytes({"bomb.txt": b"\x20" * 20_000_000, "ok.txt": WIRE_STORY.encode()})
    assert len(bomb) < 100_000
    bad, good = read_upload("bomb.zip", bomb, limits=LIMITS)
    assert "zip bomb" in bad.error and bad.source == "bomb.zip/bomb.txt"
    assert good.article is not None


def test_zip_whose_total_size_is_over_the_limit_stops_reading():
    data = zip_bytes({f"{n}.txt": WIRE_STORY.encode() for n in range(5)})
    limits = IngestLimits(max_archive_total_bytes=len(WIRE_STORY) * 2 + 10)
    items = read_upload("many.zip", data, limits=limits)
    assert [item.article is not None for item in items] == [True, True, False]
    assert "the entries after it were not read" in items[-1].error


def test_zip_header_that_understates_the_size_is_caught_while_reading():
    data = bytearray(zip_bytes({"a.txt": b"a" * 5000}, compression=zipfile.ZIP_DEFLATED))
    # Rewrite the declared size in the central directory to 10 bytes: the reader must
    # count what it inflates rather than trust the header.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    items = read_upload("liar.zip", bytes(data), limits=IngestLimits(max_archive_total_bytes=1000))
    assert only(items).article is None


def test_zip_with_too_many_entries_is_one_error():
    data = zip_bytes({f"{n}.txt": b"x" for n in range(6)})
    item = only(read_upload("wide.zip", data, limits=IngestLimits(max_archive_entries=5)))
    assert "has 6 entries; the limit is 5" in item.error


def test_corrupt_zip_is_an_error_item():
    item = only(read_upload("broken.zip", b"PK\x03\x04" + b"\x00" * 40, limits=LIMITS))
    assert "not a readable zip archive" in item.error


def test_word_document_is_named_as_such():
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert "office document" in only(read_upload("memo.docx", data, limits=LIMITS)).error


def test_item_count_is_capped_with_a_closing_error():
    data = "\n".join(json.dumps({"text": f"Story number {n} said."}) for n in range(5)).encode()
    items = read_upload("many.jsonl", data, limits=IngestLimits(max_items=3))
    assert len(items) == 4
    assert "only the first 3 were read" in items[-1].error


@pytest.mark.parametrize("stop", [1, 2, 3, 4, 6])
@pytest.mark.parametrize(
    ("limits", "last_error"),
    [
        (IngestLimits(max_items=3), "only the first 3 were read"),
        (
            IngestLimits(max_archive_total_bytes=len(WIRE_STORY) * 3 + 10),
            "the entries after it were not read",
        ),
    ],
    ids=["item cap", "size limit"],
)
def test_reading_up_to_a_stop_gives_the_first_items_of_a_whole_read(stop, limits, last_error):
    data = zip_bytes({f"{n}.txt": WIRE_STORY.encode() for n in range(5)})
    whole = read_upload("many.zip", data, limits=limits, defer=True)
    assert len(whole) == 4
    assert last_error in whole[-1].error
    part = read_upload("many.zip", data, limits=limits, defer=True, stop=stop)
    assert [(item.source, item.error) for item in part] == [
        (item.source, item.error) for item in whole[:stop]
    ]


def messy_zip() -> bytes:
    """Entries of every kind a whole read treats its own way, in one archive."""
    records = "\n".join(json.dumps({"text": WIRE_STORY, "title": f"Record {n}"}) for n in range(3))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", WIRE_STORY)
        archive.writestr("folder/", b"")
        archive.writestr("export.jsonl", records)
        archive.writestr("../escape.txt", WIRE_STORY)
        archive.writestr("__MACOSX/._a.txt", b"resource fork")
        archive.writestr("damaged.txt", WIRE_STORY, compress_type=zipfile.ZIP_STORED)
        archive.writestr("inner.zip", zip_bytes({"x.txt": WIRE_STORY.encode()}))
        for n in range(4):
            archive.writestr(f"b{n}.txt", WIRE_STORY)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("damaged.txt")
    data[info.header_offset + 30 + len(info.filename) + 10] ^= 0xFF  # its CRC no longer holds
    return bytes(data)


@pytest.mark.parametrize(
    "limits",
    [
        LIMITS,
        IngestLimits(max_items=7),
        IngestLimits(max_archive_total_bytes=len(WIRE_STORY) * 9),
    ],
    ids=["no limit reached", "item cap", "size limit"],
)
def test_a_read_resumed_at_an_entry_gives_the_rest_of_the_whole_read(limits):
    data = messy_zip()
    marks: list[EntryMark] = []
    whole = read_upload("messy.zip", data, limits=limits, defer=True, marks=marks)
    sources = [(item.source, item.error) for item in whole]
    assert any("damaged" in (error or "") for _, error in sources)
    assert len({mark.item for mark in marks}) > 5
    for mark in marks:
        for stop in (mark.item + 1, mark.item + 3, len(whole), None):
            part = read_upload("messy.zip", data, limits=limits, defer=True, stop=stop, resume=mark)
            assert [(item.source, item.error) for item in part] == sources[mark.item : stop]


# Dispatch and the CLI's paths


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("x.txt", b"PK\x03\x04rest", "zip"),
        ("noext", b'{"text": "a"}', "json"),
        ("noext", b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        ("noext", b"<?xml version='1.0'?><rss><channel/></rss>", "feed"),
        ("page.txt", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("notes.csv", b"a,b\n1,2\n", "csv"),
        ("notes", b"Plain words.", "text"),
    ],
)
def test_format_is_sniffed_when_the_extension_is_missing_or_lies(name, data, kind):
    assert detect_format(name, data) == kind


def test_read_paths_walks_folders_for_every_supported_extension(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(WIRE_STORY)
    (tmp_path / "sub" / "b.json").write_text(json.dumps({"text": WIRE_STORY}))
    (tmp_path / "sub" / "c.html").write_text(PAGE)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text(WIRE_STORY)
    items = list(read_paths([tmp_path, tmp_path / "missing.txt"], limits=LIMITS))
    assert [item.source.removeprefix(str(tmp_path)) for item in items] == [
        "/a.txt",
        "/sub/b.json#1",
        "/sub/c.html",
        "/missing.txt",
    ]
    assert "does not exist" in items[-1].error


# Deferred reading (bulk imports parse each article where it is extracted)


def test_deferred_items_of_a_zip_read_to_the_same_articles_as_eager_reading():
    data = zip_bytes(
        {
            "dir/a.txt": f"Ministers meet in Vienna\n\n{WIRE_STORY}".encode(),
            "dir/page.html": b"<html><head><title>Talks</title></head><body><article><p>"
            + WIRE_STORY.encode()
            + b"</p></article></body></html>",
            "export.jsonl": json.dumps({"title": "T", "text": WIRE_STORY}).encode(),
        }
    )
    eager = read_upload("bundle.zip", data, limits=LIMITS)
    deferred = read_upload("bundle.zip", data, limits=LIMITS, defer=True)

    assert [item.source for item in deferred] == [item.source for item in eager]
    assert [item.article is None for item in deferred[:2]] == [True, True], "not parsed yet"
    assert [item.read() for item in deferred] == eager


def test_a_deferred_item_travels_to_another_process_and_reads_there():
    [item] = read_upload("a.txt", f"Talks\n\n{WIRE_STORY}".encode(), limits=LIMITS, defer=True)
    assert pickle.loads(pickle.dumps(item)).read() == item.read()


def test_a_deferred_unreadable_page_reads_to_the_error_item_eager_reading_gives():
    page = b"<html><body><script>alert(1)</script><p></p></body></html>"
    [eager] = read_upload("scripts.html", page, limits=LIMITS)
    [deferred] = read_upload("scripts.html", page, limits=LIMITS, defer=True)

    read = deferred.read()
    assert read.article is None and read.error
    assert read == eager
