"""Issue 12, item 1: the admin screens speak French, with no raw codes and no raw JSON.

Every admin page (index, each model's list, each object's page and history, the search, the timeline, the
INSi screen, the consent page, the duplicates worklist) is read as each role of the desk. The visible text
(tags and attributes stripped, but button labels and placeholders kept) must hold no English word of Django's
or ours, no Django stock phrase, no reason code (AUD-01 codes are for the API and the auditors' filters, a
person reads their French label) and no raw JSON.
"""

import logging
import re

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.urls import reverse

from consent import reasons as consent_reasons
from insi import reasons as insi_reasons
from patients import reasons as patient_reasons
from patients import roles
from tests.identity_registry.admin_world import model_of, registered_labels, world_in_transaction
from tests.identity_registry.test_fix01_admin_sweep import history_version

pytestmark = pytest.mark.django_db

DESK_ROLES = [roles.AGENT, roles.REFERENT, roles.AUDITOR]

# Whole words, case-sensitive: English of Django's stock screens or of our own code.
ENGLISH = [
    "Call",
    "Created by",
    "Decided by",
    "history type",
    "History",
    "Select",
    "None available",
    "None",
    "True",
    "False",
    "PROFESSIONAL",
    "EPISODE",
    "Add",
    "Change",
    "Delete",
    "Save",
    "Search",
    "Filter",
    "Yes",
    "No",
    "Unknown",
    "Revert",
    "Object",
    "Date/time",
    "Comment",
    "User",
    "Reason",
    "by",
]
# French, but Django's stock wording that tells a desk agent nothing.
STOCK_PHRASES = ["Sélectionnez l'objet", "Sélectionnez l’objet", "Aucun(e) disponible", "Par history type"]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH) + r")(?![\w-])")
RULE_CODE_RE = re.compile(r"\b[A-Z]{2,5}-\d{2}_[A-Z_]+\b")


def _codes(module) -> set[str]:
    return {value for name, value in vars(module).items() if name.isupper() and isinstance(value, str) and "_" in value}


RAW_CODES = _codes(patient_reasons) | _codes(insi_reasons) | _codes(consent_reasons) | set(patient_reasons.LABELS)
RAW_CODE_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(code) for code in sorted(RAW_CODES)) + r")(?![\w-])")


def visible_text(content: bytes) -> str:
    page = lxml.html.fromstring(content.decode() if isinstance(content, bytes) else content)
    for hidden in page.xpath("//script | //style | //template | //noscript | //*[@hidden]"):
        hidden.drop_tree()
    # Each text node apart: two cells side by side are two words, not one.
    shown = [" ".join(page.itertext())]
    shown += page.xpath('//input[@type="submit" or @type="button"]/@value | //*[@placeholder]/@placeholder')
    shown += page.xpath("//title/text() | //*[@aria-label]/@aria-label")
    return "\n".join(shown)


def defects(content: bytes) -> list[str]:
    text = visible_text(content)
    found = [f"anglais « {m} »" for m in ENGLISH_RE.findall(text)]
    found += [f"formule Django « {phrase} »" for phrase in STOCK_PHRASES if phrase in text]
    found += [f"code brut « {m} »" for m in RULE_CODE_RE.findall(text)]
    found += [f"code brut « {m} »" for m in RAW_CODE_RE.findall(text)]
    if '{"' in text:
        found.append("JSON brut")
    return sorted(set(found))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_transaction(django_db_blocker) as built:
        yield built


@pytest.fixture(autouse=True, scope="module")
def _quiet_refusals():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _model_urls(label: str, world) -> list[str]:
    model = model_of(label)
    opts = model._meta
    obj = world.object_of(model)
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
    if obj is not None:
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
        version = history_version(admin.site._registry[model], obj)
        if version is not None:
            urls.append(version[0])
    return urls


def _custom_urls(world) -> list[str]:
    patient = world.patient.pk
    return [
        reverse("admin:index"),
        reverse("patient-timeline", args=[patient]),
        reverse("admin:insi_query", args=[patient]),
        reverse("admin:consent_patient_dmp", kwargs={"patient_id": patient}),
        reverse("admin:patients_duplicatecandidate_changelist"),
        reverse("patient-label", args=[patient]),
        reverse("patient-wristband", args=[patient]),
    ]


def _check(client, url: str, problems: dict[str, list[str]]) -> None:
    response = client.get(url, follow=True)
    if response.status_code != 200:
        return
    found = defects(response.content)
    if found:
        problems[url] = found


@pytest.mark.parametrize("role", DESK_ROLES)
def test_issue12_every_admin_page_speaks_french_without_codes(world, client, role):
    client.force_login(world.users[role])
    problems: dict[str, list[str]] = {}
    for url in _custom_urls(world):
        _check(client, url, problems)
    for label in registered_labels():
        if model_of(label) not in admin.site._registry:
            continue
        for url in _model_urls(label, world):
            _check(client, url, problems)
    # The search box: posted, then the list for it.
    response = client.post(reverse("admin:patients_patient_search"), {SEARCH_VAR: "BALAYAGE"}, follow=True)
    if response.status_code == 200 and defects(response.content):
        problems["recherche BALAYAGE"] = defects(response.content)
    report = "\n".join(f"{url}: {', '.join(found)}" for url, found in sorted(problems.items()))
    assert not problems, f"{role}:\n{report}"


def test_issue12_the_checker_sees_english_codes_and_json():
    page = b'<html><body><p>Call</p><td>ST-06_DOWNGRADE</td><pre>{"a": 1}</pre><th>Par history type</th></body></html>'
    found = defects(page)
    assert "anglais « Call »" in found
    assert "code brut « ST-06_DOWNGRADE »" in found
    assert "JSON brut" in found
    assert "formule Django « Par history type »" in found
    assert defects(b"<html><body><p>Appel au t\xc3\xa9l\xc3\xa9service INSi (INSI-10)</p></body></html>") == []
