"""SECURITY.md row 18, injection and XSS: ~200 XSS/SQL payloads through the real free-text entry points,
then the pages that show the text, plus a static check for the escape hatches of the ORM and templates.

Each long text field (≥ 256 characters: descriptions, opinions, ticket content, review comments) gets all
200 payloads (25 bases × 8 wrappers); a short one (names, titles, addresses) gets the 25 bases, every
attack shape, that fit it. To keep the file fast on a loaded 2-core machine the payloads are packed into
as few submissions as the field's length limit allows (one per line, each line led by a unique marker such
as `注入007-`), so one submission stands for several payloads; the marker proves the text reached the
rendered page, which is what makes the "nothing dangerous is unescaped" assertion able to fail. Pages are
checked as a browser would parse them (html.parser): an escaped `&lt;img onerror=…&gt;` is text, fine.

Three defects these tests found are fixed and pinned here: the 12345 caller name was cut to 64 characters
silently (now refused); a NUL in 12345 or 好差评 text was a 500 on PostgreSQL (now a 400 from
`common.input_guard`); the clock chart's tooltip rendered a pause reason as HTML (now escaped; a Chromium
test, marked `browser`).

Per submission: no 5xx; the stored value equals the input (no silent mangling); row counts of tables the
entry point has no business touching are unchanged (SQL payloads change nothing else). Per rendered page:
no 5xx, no raw payload that contains markup, no script tag other than ours, no `on…=` handler, no
`javascript:` link, and a Content-Security-Policy whose script-src has no 'unsafe-inline'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum.cn import uscc as stdnum_uscc

from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import accepted_case, at, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.domain.identifiers import gb11714_check_digit
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import make_hotline
from zhengwu.reviews.models import Review
from zhengwu.reviews.tests.factories import granted_case

pytestmark = pytest.mark.django_db

# -- the payloads ------------------------------------------------------------------------------------

BASES: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></sCrIpT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(document.cookie)//",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert`1`>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">点我</a>',
    "javascript:alert(document.domain)",
    "<math><mtext></p><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    "{{7*7}}{% debug %}${7*7}#{7*7}",
    "{{ request.user.password }}{% load static %}",
    "' OR 1=1 --",
    "' OR '1'='1';--",
    "'; DROP TABLE cases_case; --",
    '"; DELETE FROM organization_user WHERE "1"="1"; --',
    "1; UPDATE organization_user SET is_superuser=true; --",
    "' UNION SELECT username, password FROM organization_user --",
    "张三\u202egnp.exe\u202c李四",  # RTL override: shows as 张三exe.png李四
    "零宽\u200b\u200d\ufeff字符\u2028分隔",
)
WRAPPERS: tuple[str, ...] = (
    "{}",
    "申请人{}",
    "{}。谢谢",
    '"{}"',
    "'{}'",
    "（{}）",
    "{}{}",
    "<b>{}</b>",
)
PAYLOADS: tuple[str, ...] = tuple(w.replace("{}", b) for b in BASES for w in WRAPPERS)
MARKUP = re.compile(r"<[a-z/!]", re.IGNORECASE)


def test_the_payload_list_has_about_two_hundred_distinct_entries():
    assert len(set(PAYLOADS)) == len(PAYLOADS) == len(BASES) * len(WRAPPERS) >= 200


SHORT_FIELD = 256  # characters: a shorter field (a name, a title, an address) gets the bare BASES
MARKED = re.compile(r"^\D*\d{3}-")


def payloads_for(limit: int) -> tuple[str, ...]:
    """All payloads for a text field; the 25 bare bases for a short one, where ~200 would take ~100
    submissions (every attack shape is among the bases: the wrappers only add surrounding text)."""
    return PAYLOADS if limit >= SHORT_FIELD else BASES


def pack(limit: int, *, lead: str = "注入") -> list[str]:
    """The payloads as marked lines, greedily packed into values of at most `limit` characters; a payload
    too long for the field on its own line is left out (length limits have their own tests)."""
    values: list[str] = []
    current = ""
    for index, payload in enumerate(payloads_for(limit)):
        line = f"{lead}{index:03d}-{payload}"
        if len(line) > limit:
            continue
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            values.append(current)
            candidate = line
        current = candidate
    return [*values, current] if current else values


def left_out(values: list[str], limit: int) -> set[str]:
    """The payloads meant for a field of `limit` characters that the packed values do not carry."""
    carried = {MARKED.sub("", line) for value in values for line in value.split("\n")}
    return set(payloads_for(limit)) - carried


# -- what a safe page looks like ----------------------------------------------------------------------


class _Tags(HTMLParser):
    """The elements a browser would build from the page: the only place a handler or a script can run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.position = (0, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"{tag} at {self.getpos()}"
        values = dict(attrs)
        if tag == "script" and not (
            (values.get("src") or "").startswith("/static/") or values.get("type") == "application/json"
        ):
            self.problems.append(f"inline <script> ({where}: {attrs})")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= ({where})")
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"} and re.sub(
                r"[\s\x00-\x1f]", "", value or ""
            ).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                self.problems.append(f"script URL in {name}= ({where})")

    handle_startendtag = handle_starttag


def assert_safe_page(response, values: Iterable[str] = ()) -> str:
    assert response.status_code < 500, response.status_code
    body = response.content.decode()
    parser = _Tags()
    parser.feed(body)
    parser.close()
    assert not parser.problems, (parser.problems[:3], body[:300])
    for value in values:
        for line in value.split("\n"):
            if MARKUP.search(line):
                assert line not in body, f"raw payload on the page: {line!r}"
    if response.get("Content-Type", "").startswith("text/html"):
        assert_csp_forbids_inline_script(response)
    return body


def assert_csp_forbids_inline_script(response) -> None:
    csp = response.get("Content-Security-Policy", "")
    directives = dict([*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip())
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None, csp
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in csp


def assert_markers_shown(body: str, values: Iterable[str], *, lead: str = "注入") -> None:
    """Every marked line reached the page (so the absence checks above looked at the payloads)."""
    markers = {m for value in values for m in re.findall(rf"{lead}\d{{3}}-", value)}
    missing = {m for m in markers if m not in body}
    assert not missing, sorted(missing)[:5]


COUNTED = (
    "organization.Region",
    "organization.Department",
    "organization.User",
    "organization.Applicant",
    "catalog.ServiceItem",
    "workdays.CalendarYear",
    "cases.Case",
    "hotline.Ticket",
    "reviews.Review",
)


def counts(*skip: str) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED if label not in skip}


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_submission_throttle(settings):
    """Each packed submission counts against the per-account limit; this file is not about that limit."""
    settings.ZHENGWU_SUBMIT_RATE_ACCOUNT = "100000/min"
    settings.ZHENGWU_SUBMIT_RATE_IP = "100000/min"


def uscc(n: int) -> str:
    """The `n`th valid 统一社会信用代码 of an enterprise registered in 赫山区."""
    org = f"{n:08d}"
    body = f"91430903{org}{gb11714_check_digit(org)}"
    return body + stdnum_uscc.calc_check_digit(body)


@pytest.fixture
def county():
    return make_county()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# -- a citizen's online application ------------------------------------------------------------------


def test_online_application_text_is_stored_as_typed_and_shown_escaped(client, county):
    item = make_item(department=county.department, name="食品经营许可")
    material = item.current_version.materials.get(name="申请书")
    citizen = make_citizen()
    descriptions, addresses = pack(1000), pack(255)
    assert not left_out(descriptions, 1000) and not left_out(addresses, 255)
    rounds = max(len(descriptions), len(addresses))
    before = counts("cases.Case")
    client.force_login(citizen)
    with clock.frozen(at("2026-06-01")):
        for i in range(rounds):
            description, address = descriptions[i % len(descriptions)], addresses[i % len(addresses)]
            response = client.post(
                reverse("portal:apply", args=[item.implementation_code]),
                {
                    "description": description,
                    "address": address,
                    "contact_phone": "13912345678",
                    "action": "submit",
                    f"file_{material.pk}": SimpleUploadedFile("申请书.pdf", PDF, "application/pdf"),
                },
            )
            assert response.status_code == 302, response.content.decode()[:1500]
            case = Case.objects.latest("pk")
            assert description in case.form_data.values() and address in case.form_data.values()
            portal = assert_safe_page(client.get(reverse("portal:case_detail", args=[case.number])))
            assert_markers_shown(portal, [description])
        # The staff case page does not show the application form's answers (only the portal does), so
        # there is no marker to look for there: it must still be a safe page with the text in the case.
        client.force_login(county.clerk)
        for case in Case.objects.all():
            assert_safe_page(
                client.get(reverse("workbench:case_detail", args=[case.number])), case.form_data.values()
            )
        assert_safe_page(client.get(reverse("workbench:case_list")), descriptions)
    assert Case.objects.count() == rounds
    assert counts("cases.Case") == before


# -- a clerk's window intake ---------------------------------------------------------------------------


def test_window_intake_names_are_stored_as_typed_and_shown_escaped(client, county):
    item = make_item(department=county.department, name="食品经营许可")
    names, agents = pack(128, lead="甲"), pack(64, lead="乙")
    assert not left_out(names, 128) and left_out(agents, 64) == {p for p in BASES if len(f"乙000-{p}") > 64}
    rounds = max(len(names), len(agents))
    client.force_login(county.clerk)
    before = counts("cases.Case", "organization.Applicant")
    with clock.frozen(at("2026-06-02")):
        for i in range(rounds):
            name, agent = names[i % len(names)], agents[i % len(agents)]
            response = client.post(
                reverse("workbench:case_intake"),
                {
                    "item": item.implementation_code,
                    "kind": "legal_person",
                    "name": name,
                    "id_number": uscc(i + 1),  # a new enterprise each time: a known one keeps its name
                    "legal_representative": agent,
                    "agent_name": agent,
                    "agent_id_number": "430903199001011238",
                },
            )
            assert response.status_code == 302, response.content.decode()[:1500]
            case = Case.objects.latest("pk")
            assert case.agent_name == agent
            assert case.applicant.name == name, (case.applicant.name, name)
            page = assert_safe_page(client.get(response.url.split("#")[0]), [name, agent])
            assert case.number in page
        assert_safe_page(client.get(reverse("workbench:case_list")), names)
    assert counts("cases.Case", "organization.Applicant") == before


# -- opinions on a case --------------------------------------------------------------------------------


def test_case_pause_reasons_and_comments_are_stored_as_typed_and_shown_escaped(client, county):
    case = accepted_case(county)
    reasons = pack(500)
    assert not left_out(reasons, 500)
    client.force_login(county.approver)
    url = reverse("workbench:case_detail", args=[case.number])
    before = counts()
    with clock.frozen(at("2026-06-02")):
        pauses, resumes = (
            reasons[::2],
            reasons[1::2],
        )  # each round: pause with one value, resume with the next
        resumes += reasons[: len(pauses) - len(resumes)]
        for reason, comment in zip(pauses, resumes, strict=True):
            for name, data, text in (
                ("pause", {"reason_code": "expert_review", "reason": reason, "expected_days": "5"}, reason),
                ("resume", {"comment": comment}, comment),
            ):
                case.refresh_from_db()
                response = client.post(
                    reverse("workbench:case_action", args=[case.number, name]),
                    {"version": case.version, **data},
                    HTTP_HX_REQUEST="true",
                )
                assert_safe_page(response, [text])
                assert "不能超过" not in response.content.decode()
        stored = [e.comment for e in case.events.filter(action__in=["pause", "resume"])]
        assert sorted(stored) == sorted(pauses + resumes)
        page = assert_safe_page(client.get(url), reasons)
    assert_markers_shown(page, reasons)
    assert counts() == before


def test_a_too_long_case_comment_is_refused_in_chinese_and_changes_nothing(client, county):
    case = accepted_case(county)
    client.force_login(county.approver)
    long = "<script>alert(1)</script>" * 100
    with clock.frozen(at("2026-06-02")):
        response = client.post(
            reverse("workbench:case_action", args=[case.number, "step_return"]),
            {"version": case.version, "comment": long},
            HTTP_HX_REQUEST="true",
        )
    body = assert_safe_page(response, [long])
    assert "退回原因不能超过 2000 个字" in body
    case.refresh_from_db()
    assert case.status == "in_review"


# -- a 12345 ticket --------------------------------------------------------------------------------


def test_hotline_ticket_text_is_stored_as_typed_and_shown_escaped(client):
    hotline = make_hotline()
    contents, titles, callers = pack(4000), pack(128), pack(64)
    assert not left_out(contents, 4000) and not left_out(titles, 128)
    assert left_out(callers, 64) == {p for p in BASES if len(f"注入000-{p}") > 64}
    rounds = max(len(contents), len(titles), len(callers))
    client.force_login(hotline.agent)
    before = counts("hotline.Ticket")
    with clock.frozen(at("2026-09-30")):
        for i in range(rounds):
            content, title, caller = (
                contents[i % len(contents)],
                titles[i % len(titles)],
                callers[i % len(callers)],
            )
            response = client.post(
                "/workbench/hotline/",
                {
                    "region": hotline.region.pk,
                    "category": "complaint",
                    "urgency": "normal",
                    "topic": "供水",
                    "title": title,
                    "content": content,
                    "location": title,
                    "caller_name": caller,
                    "caller_phone": "13812345678",
                },
            )
            assert response.status_code == 302, response.content.decode()[:1500]
            ticket = Ticket.objects.latest("pk")
            assert (ticket.title, ticket.content, ticket.caller_name) == (title, content, caller)
            page = assert_safe_page(
                client.get(f"/workbench/hotline/{ticket.number}/"), [content, title, caller]
            )
            assert_markers_shown(page, [content, title])
        for path in ("/workbench/hotline/", "/workbench/hotline/board/"):
            assert_safe_page(client.get(path), titles)
    assert counts("hotline.Ticket") == before


def test_a_too_long_hotline_caller_name_is_refused_not_cut(client):
    hotline = make_hotline()
    client.force_login(hotline.agent)
    caller = "张" * 40 + "<img src=x onerror=alert(1)>" * 2
    with clock.frozen(at("2026-09-30")):
        response = client.post(
            "/workbench/hotline/",
            {
                "region": hotline.region.pk,
                "category": "complaint",
                "urgency": "normal",
                "topic": "供水",
                "title": "停水",
                "content": "小区停水",
                "caller_name": caller,
                "caller_phone": "13812345678",
            },
        )
    assert response.status_code < 500
    stored = Ticket.objects.values_list("caller_name", flat=True)
    assert list(stored) in ([], [caller])


# -- a 好差评 review ----------------------------------------------------------------------------------


def test_review_comments_are_stored_as_typed_and_shown_escaped(client, county):
    citizen = make_citizen()
    comments = pack(500)
    assert not left_out(comments, 500)
    cases = [granted_case(county, citizen=citizen) for _ in comments]
    before = counts("reviews.Review")
    client.force_login(citizen)
    with clock.frozen(at("2026-04-02")):
        for case, comment in zip(cases, comments, strict=True):
            response = client.post(f"/my/cases/{case.number}/review/", {"grade": "1", "comment": comment})
            assert_safe_page(response, [comment])
            assert response.status_code == 200, response.content.decode()[:1500]
    assert sorted(Review.objects.values_list("comment", flat=True)) == sorted(comments)
    client.force_login(county.head)
    with clock.frozen(at("2026-04-02")):
        for review in Review.objects.select_related("rectification"):
            page = assert_safe_page(
                client.get(f"/workbench/reviews/rectifications/{review.rectification.pk}/"), [review.comment]
            )
            assert_markers_shown(page, [review.comment])
        assert_safe_page(client.get("/workbench/reviews/rectifications/"), comments)
    client.force_login(county.supervisor)
    with clock.frozen(at("2026-04-10")):
        assert_safe_page(client.get("/workbench/reviews/stats/", {"period": "2026-04"}), comments)
        assert_safe_page(client.get("/reviews/", {"period": "2026-04"}), comments)
    assert counts("reviews.Review") == before


# -- a NUL character: refused in Chinese or stored, never a 500 (PostgreSQL cannot store it) -------------

NUL = "停水\x00<script>alert(1)</script>"


def test_a_nul_character_in_the_online_application_is_refused_in_chinese(client, county):
    item = make_item(department=county.department, name="食品经营许可")
    client.force_login(make_citizen())
    with clock.frozen(at("2026-06-01")):
        response = client.post(
            reverse("portal:apply", args=[item.implementation_code]),
            {"description": NUL, "contact_phone": "13912345678", "action": "save"},
        )
    body = assert_safe_page(response, [NUL])
    assert response.status_code in {200, 400} and "空字符" in body
    assert not Case.objects.exists()


def test_a_nul_character_in_a_case_comment_never_breaks_the_page(client, county):
    case = accepted_case(county)
    client.force_login(county.approver)
    with clock.frozen(at("2026-06-02")):
        response = client.post(
            reverse("workbench:case_action", args=[case.number, "step_return"]),
            {"version": case.version, "comment": NUL},
            HTTP_HX_REQUEST="true",
        )
    assert_safe_page(response, [NUL])
    event = case.events.filter(action="step_return").first()
    assert event is None or event.comment == NUL


def test_a_nul_character_in_a_hotline_ticket_is_refused_in_chinese(client):
    hotline = make_hotline()
    client.force_login(hotline.agent)
    with clock.frozen(at("2026-09-30")):
        response = client.post(
            "/workbench/hotline/",
            {
                "region": hotline.region.pk,
                "category": "complaint",
                "urgency": "normal",
                "topic": "供水",
                "title": "停水",
                "content": NUL,
                "caller_name": "张三",
                "caller_phone": "13812345678",
            },
        )
    body = assert_safe_page(response, [NUL])
    assert response.status_code == 400 and "空字符" in body
    assert not Ticket.objects.exists()


def test_a_nul_character_in_a_review_comment_is_refused_in_chinese(client, county):
    citizen = make_citizen()
    case = granted_case(county, citizen=citizen)
    client.force_login(citizen)
    with clock.frozen(at("2026-04-02")):
        response = client.post(f"/my/cases/{case.number}/review/", {"grade": "1", "comment": NUL})
    body = assert_safe_page(response, [NUL])
    assert response.status_code == 400 and "空字符" in body
    assert not Review.objects.exists()


# -- the clock chart draws user text in the browser -----------------------------------------------------

INJECTED = '<img src="/static/zhengwu/site.css" id="zw-injected">组织专家评审'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_clock_chart_tooltip_shows_a_pause_reason_as_text_not_markup(live_server, browser):
    county = make_county()
    case = accepted_case(county)
    from zhengwu.cases import services as case_services

    case_services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-06-02"),
        reason_code="expert_review",
        reason=INJECTED,
        expected_days=5,
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        with clock.frozen(at("2026-06-05")):
            page.goto(f"{live_server.url}/workbench/cases/{case.number}/")
            page.fill("input[name=username]", county.approver.username)
            page.fill("input[name=password]", "Zw!test-pass-2026")
            page.click("button[type=submit]")
            page.wait_for_url(f"**/workbench/cases/{case.number}/")
            page.wait_for_selector(".clock-chart svg")
            tip = page.evaluate(
                """() => {
                  const el = document.querySelector("[data-clock-chart]");
                  window.echarts.getInstanceByDom(el).dispatchAction({ type: "showTip", seriesIndex: 1, dataIndex: 0 });
                  return el.textContent;
                }"""
            )
            if "特别程序" not in tip:
                pytest.fail(f"the pause tooltip did not open, the test proves nothing: {tip!r}")
            injected = page.locator("[data-clock-chart] #zw-injected").count()
    finally:
        context.close()
    assert injected == 0, "the pause reason's <img> became an element of the page"


# -- static: the escape hatches ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]  # the zhengwu package
PY_HATCHES = re.compile(r"\bmark_safe\(|\.raw\(|\.extra\(|\bSafeString\(|\bformat_html\(\s*f[\"']")
TEMPLATE_HATCHES = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off|\|\s*safeseq\b")

# (path relative to zhengwu/, the line's stripped text) -> why the value is not user data.
ALLOWED: dict[tuple[str, str], str] = {
    ("common/qr.py", "return mark_safe(qr_code(text).svg_inline(scale=scale))"): (
        "segno's SVG of a QR code: the text only sets which modules are dark, it is never copied into the "
        "markup (no title/desc is passed), so the SVG holds nothing the user typed"
    ),
}


def hatch_lines() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}" or "__pycache__" in relative:
            continue
        if path.suffix == ".py":
            pattern = PY_HATCHES
        elif path.suffix in {".html", ".txt", ".xml"} and "/templates/" in f"/{relative}":
            pattern = TEMPLATE_HATCHES
        else:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if pattern.search(line):
                found.append((relative, line.strip()))
    return found


def test_the_static_scan_sees_the_source_and_would_catch_a_hatch():
    assert (ROOT / "cases" / "services.py").exists()
    assert PY_HATCHES.search("html = mark_safe(value)") and PY_HATCHES.search("Case.objects.raw(sql)")
    assert PY_HATCHES.search("qs.extra(where=[w])") and TEMPLATE_HATCHES.search("{{ case.note|safe }}")
    assert TEMPLATE_HATCHES.search("{% autoescape off %}")


def test_no_mark_safe_raw_extra_or_safe_filter_outside_the_justified_allow_list():
    unexpected = [hit for hit in hatch_lines() if hit not in ALLOWED]
    assert not unexpected, unexpected


def test_every_allow_list_entry_is_still_needed_and_justified():
    hits = set(hatch_lines())
    assert all(reason.strip() for reason in ALLOWED.values())
    assert not [entry for entry in ALLOWED if entry not in hits]
