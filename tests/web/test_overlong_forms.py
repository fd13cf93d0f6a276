"""Every form's every text field, sent over-long: a 4xx or a kept page, never a 500 (both backends).

The red team sent over-long names to some forms; this walks them all. Forms are found the way a
person finds them: every page of the URL map as the admin, every ``<form method="post">`` on it,
each text field filled with more characters than any column holds, the others as the page gave them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from flask import url_for

from tests.web.helpers import _login, add_everything
from tests.web.test_workspace import QUERIES, _samples

LONG = "架" * 5000
TEXT_TYPES = {"text", "search", "email", "tel", "url", "", None}


class Forms(HTMLParser):
    """The post forms of a page: action and fields (name, type, value), textareas and selects too."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = "textarea" if tag == "textarea" else "select" if tag == "select" else a.get("type")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._current["fields"].append((a["name"], kind, a.get("value") or ""))
        elif self._current is not None and tag == "option" and a.get("value") is not None:
            fields = self._current["fields"]
            if fields and fields[-1][1] == "select" and not fields[-1][2]:
                fields[-1] = (fields[-1][0], "select", a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _pages(world) -> list[str]:
    samples = _samples(world)
    paths = []
    for rule in world.app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments - set(samples) or rule.endpoint == "static":
            continue
        with world.app.test_request_context():
            paths.append(url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments})
                         + QUERIES.get(rule.endpoint, ""))
    return paths


def test_every_text_field_of_every_form_sent_over_long_is_never_a_500(world):
    app = add_everything(world).app
    admin = _login(app, "admin")
    sent = 0
    for page in _pages(world):
        got = admin.get(page)
        if got.status_code != 200 or not got.content_type.startswith("text/html"):
            continue
        parser = Forms()
        parser.feed(got.get_data(as_text=True))
        for form in parser.forms:
            action = form["action"] or page.split("?")[0]
            if re.search(r"/(logout|delete|withdraw|restore|close|tokens?)\b", action):
                continue  # no text to send; deleting would empty the world for the next forms
            for index, (name, kind, _) in enumerate(form["fields"]):
                if kind not in TEXT_TYPES and kind != "textarea":
                    continue
                data = {n: (LONG if i == index else v) for i, (n, _, v) in enumerate(form["fields"])}
                answer = admin.post(action, data=data)
                sent += 1
                assert answer.status_code < 500, (page, action, name, answer.get_data(as_text=True)[:300])
    assert sent > 20
