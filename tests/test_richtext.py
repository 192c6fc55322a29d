"""The shared rich-text parser: each construct, escaping, forbidden links."""

from __future__ import annotations

import pytest

from briefgen.model import Emph, FootnoteRef, Link, Strong, Text
from briefgen.richtext import FootnoteNumbering, RichTextError, check_url, parse


def test_plain_text_is_one_text_node():
    assert parse("Just words.").inlines == (Text("Just words."),)


def test_bold_and_italic_nest():
    rich = parse("a **bold *both*** and _under_ *it*")
    assert rich.inlines == (
        Text("a "),
        Strong((Text("bold "), Emph((Text("both"),)))),
        Text(" and "),
        Emph((Text("under"),)),
        Text(" "),
        Emph((Text("it"),)),
    )
    assert rich.plain() == "a bold both and under it"


@pytest.mark.parametrize("url", ["https://example.org/a?b=c&d=e", "http://x.org", "mailto:desk@example.org"])
def test_allowed_links(url):
    rich = parse(f"see [the page]({url}) now")
    assert rich.inlines[1] == Link(url, (Text("the page"),))


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "ftp://x.org", "/relative", "vbscript:x", "https://"],
)
def test_forbidden_links_are_errors(url):
    with pytest.raises(RichTextError, match="only http, https and mailto|no host"):
        parse(f"[x]({url})")
    assert check_url(url)


@pytest.mark.parametrize("target", ["#Anchor", "#a_b", "#a--b", "#-a", "#"])
def test_internal_links_must_name_an_id(target):
    # Format 1.1: [words](#id) is a cross-reference; only a slug can be an id.
    with pytest.raises(RichTextError, match="is not an id"):
        parse(f"[x]({target})")


def test_every_problem_is_reported_and_the_label_kept():
    seen: list[str] = []
    rich = parse("[a](javascript:x) and [b](file:///y)", on_error=seen.append)
    assert len(seen) == 2
    assert rich.plain() == "a and b"
    assert not any(isinstance(node, Link) for node in rich.inlines)


def test_raw_html_is_literal_text():
    rich = parse("<b>bold?</b> <script>alert(1)</script> &amp; <!-- c -->")
    assert rich.inlines == (Text("<b>bold?</b> <script>alert(1)</script> &amp; <!-- c -->"),)


def test_other_markdown_is_literal():
    source = "# not a heading, `code`, ~~strike~~, <https://auto.link>, 1. not a list"
    assert parse(source).inlines == (Text(source),)


def test_image_syntax_is_not_an_image():
    rich = parse("![alt](https://example.org/x.png)")
    # The image rule is off: '!' stays text and the rest is an ordinary link.
    assert rich.inlines[0] == Text("!")
    assert isinstance(rich.inlines[1], Link)


def test_backslash_escapes():
    assert parse(r"\*not italic\* and \[^x]").plain() == "*not italic* and [^x]"


def test_line_breaks_become_spaces():
    assert parse("one\ntwo").plain() == "one two"


def test_footnote_references():
    notes = FootnoteNumbering(frozenset({"a", "b"}))
    rich = parse("x[^b] y[^a] z[^b]", notes)
    refs = [node for node in rich.inlines if isinstance(node, FootnoteRef)]
    assert refs == [FootnoteRef("b", 1, True), FootnoteRef("a", 2, True), FootnoteRef("b", 1, False)]
    assert rich.plain() == "x y z"


def test_footnote_inside_emphasis_and_unknown_note():
    notes = FootnoteNumbering(frozenset({"known"}))
    seen: list[str] = []
    rich = parse("**bold[^known]** and[^unknwn]", notes, on_error=seen.append)
    assert rich.inlines[0] == Strong((Text("bold"), FootnoteRef("known", 1, True)))
    assert seen == ["footnote [^unknwn] is not defined in 'footnotes'; did you mean 'known'?"]


def test_footnote_reference_where_none_is_allowed():
    with pytest.raises(RichTextError, match="not allowed here"):
        parse("note text[^a]")


def test_unbalanced_markers_stay_literal():
    assert parse("**open and *half").plain() == "**open and *half"
    assert parse("[label](https://x.org").plain() == "[label](https://x.org"


def test_typographic_quotes_dashes_and_ellipsis():
    rich = parse('He said "it\'s fine" -- twice --- and then... stopped; 1990--2000')
    assert rich.plain() == "He said “it’s fine” – twice — and then… stopped; 1990–2000"


def test_quotes_follow_the_language():
    assert parse('"Ja"', lang="de").plain() == "„Ja“"
    assert parse('"Oui"', lang="fr-CA").plain() == "«\u00a0Oui\u00a0»"
    assert parse('"はい"', lang="ja").plain() == "「はい」"
    assert parse('"yes"', lang="en-GB").plain() == "“yes”"


def test_typography_leaves_code_like_text_and_escapes_alone():
    assert parse("a ---- rule, (c) and (a), (b), (c)").plain() == "a ---- rule, (c) and (a), (b), (c)"
    assert parse(r"\"straight\"").plain() == '"straight"'
