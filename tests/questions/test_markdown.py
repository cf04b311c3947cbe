"""Question Markdown: ordinary formatting survives, nothing that can run script gets through."""

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from questions.markdown import image_allowed, plain_text, render, sanitise

# Written out here rather than imported, so that widening the module's allowlist fails a test.
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "title", "src", "alt", "rel", "start"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
FORBIDDEN_TEXT = ("<script", "<iframe", "<svg", "<style", "<object", "<embed", "<math", "<form")

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<img src="/uploads/a.png" onload="alert(1)">',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](https://ok.example/a.png "t\\" onerror=\\"alert(1)")',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](  javascript:alert(1)  )",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="https://ok.example" onfocus="alert(1)" autofocus>x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width:expression(alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<details open ontoggle=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "**<img src=x onerror=alert(1)>**",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "> <script>alert(1)</script>",
    # An event handler on every tag the allowlist keeps.
    *(f"<{tag} onclick=alert(1) onmouseover='alert(2)'>x</{tag}>" for tag in sorted(ALLOWED_TAGS)),
]


class Tags(HTMLParser):
    """Every tag with its attributes as a browser would read them (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


def assert_safe(html: str) -> None:
    lowered = html.lower()
    for forbidden in FORBIDDEN_TEXT:
        assert forbidden not in lowered, forbidden
    parser = Tags()
    parser.feed(html)
    parser.close()
    assert parser.comments == []
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES and not name.startswith("on"), (tag, name)
            if name in ("href", "src") and value is not None:
                # What a browser reads: entities decoded (done), tabs and newlines dropped.
                url = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
                assert "javascript:" not in url and "vbscript:" not in url, value
                scheme, colon, _ = url.partition(":")
                if colon and scheme.isalpha():
                    assert url.startswith(SAFE_SCHEMES), value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_typed_as_markdown_reaches_the_page_as_anything_that_runs(payload):
    assert_safe(render(payload))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_alone_stops_every_payload_even_given_raw_html(payload):
    assert_safe(sanitise(payload))


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 25


def test_the_checker_itself_catches_what_it_is_meant_to():
    for dangerous in [
        "<script>x</script>",
        '<p onclick="x">a</p>',
        '<a href="javascript:x">a</a>',
        '<a href="jav&#x09;ascript:x">a</a>',
        '<img src="data:image/png;base64,AA">',
        "<div>a</div>",
        '<p style="color:red">a</p>',
    ]:
        with pytest.raises(AssertionError):
            assert_safe(dangerous)


def test_typed_html_is_shown_as_text():
    assert render("<b>đậm</b>") == "<p>&lt;b&gt;đậm&lt;/b&gt;</p>\n"


def test_a_javascript_link_in_markdown_is_left_as_inert_text():
    html = render("[bấm](javascript:alert(1))")
    assert "<a" not in html and "bấm" in html


def test_a_link_whose_scheme_hides_behind_a_tab_keeps_its_text_but_loses_its_address():
    assert render("[x](jav&#x09;ascript:alert(1))") == (
        '<p><a rel="noopener noreferrer nofollow">x</a></p>\n'
    )


# ---- ordinary Markdown survives ---------------------------------------------------------------


def test_render_returns_markup_ready_for_a_template():
    assert isinstance(render("x"), Markup)
    assert render("") == "" and render(None) == ""


def test_bold_italic_and_vietnamese_text_survive_unchanged():
    html = render("Theo **Chỉ thị 05-CT/TW**, *học tập và làm theo* tư tưởng Hồ Chí Minh.")
    assert html == (
        "<p>Theo <strong>Chỉ thị 05-CT/TW</strong>, <em>học tập và làm theo</em> "
        "tư tưởng Hồ Chí Minh.</p>\n"
    )


def test_lists_survive_including_an_ordered_list_starting_later():
    assert render("- Đạo đức\n- Phong cách") == (
        "<ul>\n<li>Đạo đức</li>\n<li>Phong cách</li>\n</ul>\n"
    )
    assert render("3. Ba\n4. Bốn") == '<ol start="3">\n<li>Ba</li>\n<li>Bốn</li>\n</ol>\n'


def test_https_and_mailto_links_survive_and_are_marked_nofollow():
    html = render('[Báo Nhân Dân](https://nhandan.vn/chi-thi-05 "Nguồn") hoặc <ban@tu.vn>')
    assert (
        '<a href="https://nhandan.vn/chi-thi-05" title="Nguồn" '
        'rel="noopener noreferrer nofollow">Báo Nhân Dân</a>'
    ) in html
    assert '<a href="mailto:ban@tu.vn" rel="noopener noreferrer nofollow">ban@tu.vn</a>' in html


def test_a_relative_link_survives():
    assert 'href="/questions/12"' in render("[câu 12](/questions/12)")


def test_a_table_survives_without_its_alignment_styles():
    html = render("| Năm | Sự kiện |\n|:---|---:|\n| 2016 | Chỉ thị 05 |")
    assert html == (
        "<table>\n<thead>\n<tr>\n<th>Năm</th>\n<th>Sự kiện</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>2016</td>\n<td>Chỉ thị 05</td>\n</tr>\n</tbody>\n</table>\n"
    )


def test_blockquote_code_rule_and_line_breaks_survive():
    html = render("> Trích dẫn\n\n`mã`\n\n---\n\nDòng một\nDòng hai")
    assert "<blockquote>\n<p>Trích dẫn</p>\n</blockquote>" in html
    assert "<code>mã</code>" in html and "<hr>" in html
    assert "Dòng một<br>\nDòng hai" in html


def test_a_fenced_code_block_keeps_its_text_escaped():
    assert render("```python\nx = '<b>'\n```") == ("<pre><code>x = '&lt;b&gt;'\n</code></pre>\n")


def test_headings_start_at_h3():
    assert render("# Một\n\n## Hai\n\n### Ba\n\n###### Sáu") == (
        "<h3>Một</h3>\n<h4>Hai</h4>\n<h5>Ba</h5>\n<h6>Sáu</h6>\n"
    )


def test_images_from_uploads_and_https_are_shown():
    assert render("![Ảnh](/uploads/q/1.png)") == '<p><img src="/uploads/q/1.png" alt="Ảnh"></p>\n'
    assert '<img src="https://ok.example/a.png" alt="x" title="t">' in render(
        '![x](https://ok.example/a.png "t")'
    )


@pytest.mark.parametrize(
    "src",
    [
        "http://ok.example/a.png",
        "data:image/png;base64,AAAA",
        "/uploads/../admin.png",
        "/uploads/%2e%2e/secret.png",
        "/static/logo.png",
        "a.png",
        "//evil.example/a.png",
    ],
)
def test_other_images_show_their_alt_text_instead(src):
    assert render(f"![Bản đồ]({src})") == "<p>Bản đồ</p>\n"
    assert not image_allowed(src)


def test_the_sanitiser_also_drops_an_image_address_outside_the_allowed_places():
    assert sanitise('<img src="http://ok.example/a.png" alt="a">') == '<img alt="a">'
    assert sanitise('<img src="/uploads/a.png">') == '<img src="/uploads/a.png">'


# ---- plain text -------------------------------------------------------------------------------


def test_plain_text_is_the_words_without_markup_on_one_line():
    text = "# Chỉ thị\n\n**Học tập** và *làm theo*\n- [Nguồn](https://nhandan.vn) `05`"
    assert plain_text(text) == "Chỉ thị Học tập và làm theo Nguồn 05"


def test_plain_text_keeps_table_cells_image_alt_and_code():
    text = "| Năm | Sự kiện |\n|---|---|\n| 2016 | Ban hành |\n\n"
    text += "![Bản đồ](/uploads/a.png)\n\n```\nx = 1\n```"
    assert plain_text(text) == "Năm Sự kiện 2016 Ban hành Bản đồ x = 1"


def test_plain_text_decodes_entities_and_keeps_typed_tags_as_text():
    assert plain_text("A &amp; B &lt;3") == "A & B <3"
    assert plain_text("<b>đậm</b>") == "<b>đậm</b>"


def test_plain_text_of_nothing_is_empty():
    assert plain_text("") == "" and plain_text(None) == "" and plain_text("  \n\n ") == ""
