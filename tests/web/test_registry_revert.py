"""Admins revert their registry changes from the entry's history: an edit's old values
come back whole (through the edit form's checks), a retirement is undone by restoring, a
restoration or a creation by retiring; the revert is audited and can itself be reverted;
a change overtaken since, or whose old values would now clash, is refused with nothing
saved; the extractor uses the restored registry at once; editors get a 403."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.ingest import OutletRef
from app.models import AuditEvent, Outlet, Theme
from app.services.registry import current_registry
from app.services.registry_edits import snapshot
from tests.factories import make_article, speaker
from tests.web.test_admin_registry import NICKNAME_QUOTE, lavrov_form

_round = itertools.count(1)


@pytest.fixture
def admin(app, sign_in) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as test_client:
        sign_in(test_client, "admin")
        yield test_client


@pytest.fixture
def editor(app, sign_in) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as test_client:
        sign_in(test_client, "editor")
        yield test_client


def last_event(session) -> AuditEvent:
    return session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def audit_count(session) -> int:
    return session.execute(select(func.count(AuditEvent.id))).scalar_one()


def theme(session, slug: str) -> Theme:
    return session.execute(select(Theme).where(Theme.slug == slug)).scalar_one()


def outlet(session, slug: str) -> Outlet:
    return session.execute(select(Outlet).where(Outlet.slug == slug)).scalar_one()


def revert(client: TestClient, event: AuditEvent):
    return client.post(f"/history/{event.id}/revert")


def nickname_speaker(session) -> str:
    """Who the extractor gives a quote signed "Old Bear", in a new article each time."""
    text = NICKNAME_QUOTE.replace("Friday", f"Friday, round {next(_round)}")
    return make_article(session, text=text).statements[0].speaker.slug


def descriptor_speaker(session, descriptor: str) -> str | None:
    text = (
        f"Talks in Geneva\n\nThe delegations met in Geneva for round {next(_round)}.\n\n"
        f"\u201cWe will not accept these terms,\u201d {descriptor} said."
    )
    found = make_article(session, text=text, published=date(2022, 3, 1)).statements[0].speaker
    return found.slug if found else None


def test_reverting_a_speaker_edit_restores_every_field_and_the_extractor_follows(admin, session):
    lavrov = speaker(session, "sergey-lavrov")
    original, roles = snapshot(lavrov), [dict(role) for role in lavrov.roles]
    edited = lavrov_form(
        name="Sergey V. Lavrov",
        kind="institution",
        country="by",
        organisation="A ministry",
        aliases="Old Bear\nSergei Lavrov",
        role_title=["Envoy", "Envoy"],
        role_from=["2001-01-01", "2010-01-01"],
        role_to=["2002-12-31", ""],
        role_descriptors=["the envoy", "the envoy again; the bear"],
    )
    assert admin.post("/admin/speakers/sergey-lavrov", data=edited).status_code == 303
    assert nickname_speaker(session) == "sergey-lavrov"
    assert descriptor_speaker(session, "Russia's top diplomat") != "sergey-lavrov"
    edit = last_event(session)
    rows = audit_count(session)

    response = revert(admin, edit)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/speakers/sergey-lavrov#history"
    session.expire_all()
    lavrov = speaker(session, "sergey-lavrov")
    assert snapshot(lavrov) == original and lavrov.roles == roles
    assert (lavrov.name, lavrov.kind, lavrov.country) == ("Sergey Lavrov", "person", "RU")
    assert audit_count(session) == rows + 1
    done = last_event(session)
    assert (done.action, done.actor_name, done.target_id) == (
        "speaker.registry_revert",
        "admin",
        lavrov.id,
    )
    assert done.before == edit.after and done.after == edit.before | {"reverts": edit.id}
    assert nickname_speaker(session) == "old-bear", "the alias went with the revert"
    assert descriptor_speaker(session, "Russia's top diplomat") == "sergey-lavrov"


def test_reverting_an_outlet_edit_restores_its_domains_and_aliases(admin, session):
    original = snapshot(outlet(session, "reuters"))
    edited = {"name": "Reuters Wire", "domains": "reuters.example\nwire.example", "aliases": "RW"}
    assert admin.post("/admin/outlets/reuters", data=edited).status_code == 303
    stray = OutletRef(slug="news", name="News", domain=None, known=False)
    claimed = make_article(session, url="https://wire.example/2022/1", outlet=stray)
    assert claimed.outlet.slug == "reuters"

    assert revert(admin, last_event(session)).status_code == 303

    session.expire_all()
    reuters = outlet(session, "reuters")
    assert snapshot(reuters) == original and reuters.domain == "reuters.com"
    assert make_article(session, url="https://wire.example/2022/2", outlet=stray).outlet.slug != (
        "reuters"
    )
    home = make_article(session, url="https://www.reuters.com/world/3", outlet=stray)
    assert home.outlet.slug == "reuters"
    assert last_event(session).action == "outlet.registry_revert"


def test_reverting_a_theme_edit_restores_its_phrases_and_tagging(admin, session):
    original = snapshot(theme(session, "sanctions"))
    edited = {
        "name": "Sanctions and embargoes",
        "description": "Measures, edited.",
        "phrases": "zebra crossing accord\nembargo",
    }
    assert admin.post("/admin/themes/sanctions", data=edited).status_code == 303
    edit = last_event(session)

    def tagged(words: str) -> bool:
        text = (
            f"Talks on the corridor\n\nDiplomats met in Geneva for round {next(_round)}.\n\n"
            f"\u201cThe {words} must be settled first,\u201d Sergey Lavrov said."
        )
        [found] = make_article(session, text=text).statements
        return "sanctions" in {link.theme.slug for link in found.themes}

    assert tagged("zebra crossing accord") and not tagged("question of sanctions")
    assert revert(admin, edit).status_code == 303
    session.expire_all()
    assert snapshot(theme(session, "sanctions")) == original
    assert not tagged("zebra crossing accord") and tagged("question of sanctions")
    assert last_event(session).after["reverts"] == edit.id


def test_reverting_a_retirement_restores_and_reverting_a_restoration_retires(admin, session):
    assert admin.post("/admin/speakers/sergey-lavrov/retire").status_code == 303
    assert revert(admin, last_event(session)).status_code == 303
    session.expire_all()
    assert speaker(session, "sergey-lavrov").retired_at is None
    assert "sergey-lavrov" in {s.slug for s in current_registry(session).speakers}

    assert admin.post("/admin/themes/sanctions/retire").status_code == 303
    retired_on = theme(session, "sanctions").retired_at
    assert admin.post("/admin/themes/sanctions/restore").status_code == 303
    assert revert(admin, last_event(session)).status_code == 303
    session.expire_all()
    assert theme(session, "sanctions").retired_at == retired_on, "retired again, as it was"
    assert "sanctions" not in {t.slug for t in current_registry(session).themes}
    assert last_event(session).action == "theme.registry_revert"


def test_a_revert_can_itself_be_reverted(admin, session):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear\nLavrov"))
    edit = last_event(session)
    assert revert(admin, edit).status_code == 303
    undo = last_event(session)
    assert nickname_speaker(session) == "old-bear"

    assert revert(admin, undo).status_code == 303

    redo = last_event(session)
    assert (redo.action, redo.after["reverts"]) == ("speaker.registry_revert", undo.id)
    session.expire_all()
    assert snapshot(speaker(session, "sergey-lavrov")) == edit.after
    assert nickname_speaker(session) == "sergey-lavrov"


def test_a_creation_is_reverted_by_retiring_the_new_entry(admin, session):
    admin.post("/admin/outlets", data={"name": "Danube Courier", "domains": "dc.example"})
    created = last_event(session)
    assert revert(admin, created).status_code == 303
    session.expire_all()
    assert outlet(session, "danube-courier").retired_at is not None
    assert revert(admin, last_event(session)).status_code == 303
    session.expire_all()
    assert outlet(session, "danube-courier").retired_at is None


def test_a_change_overtaken_since_is_refused_until_the_later_one_is_reverted(admin, session):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear\nLavrov"))
    first = last_event(session)
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear"))
    second = last_event(session)
    rows, values = audit_count(session), snapshot(speaker(session, "sergey-lavrov"))

    refused = revert(admin, first)

    assert refused.status_code == 409 and "has changed since" in refused.text
    session.expire_all()
    assert audit_count(session) == rows
    assert snapshot(speaker(session, "sergey-lavrov")) == values
    page = admin.get("/admin/speakers/sergey-lavrov").text
    assert f'id="revert-{second.id}"' in page and f'id="revert-{first.id}"' not in page
    assert revert(admin, second).status_code == 303
    assert revert(admin, first).status_code == 303, "one change at a time, newest first"
    session.expire_all()
    assert snapshot(speaker(session, "sergey-lavrov")) == first.before


def test_old_values_another_entry_has_taken_since_are_refused_and_nothing_is_saved(admin, session):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Sergei Lavrov"))
    dropped = last_event(session)
    ryabkov = lavrov_form(
        name="Sergei Ryabkov",
        aliases="Sergey Ryabkov\nRyabkov\nLavrov",
        role_title=[""],
        role_from=[""],
        role_descriptors=[""],
    )
    assert admin.post("/admin/speakers/sergei-ryabkov", data=ryabkov).status_code == 303
    rows = audit_count(session)

    refused = revert(admin, dropped)

    assert refused.status_code == 422
    assert "Sergei Ryabkov already goes by “Lavrov”" in refused.text
    assert audit_count(session) == rows
    session.expire_all()
    assert "Lavrov" not in {a.alias for a in speaker(session, "sergey-lavrov").aliases}

    admin.post("/admin/outlets/tass", data={"name": "TASS", "domains": "tass.ru"})
    gave_up = last_event(session)
    admin.post("/admin/outlets/interfax", data={"name": "Interfax", "domains": "tass.com"})
    clash = revert(admin, gave_up)
    assert clash.status_code == 422 and "Interfax already has the domain tass.com" in clash.text
    session.expire_all()
    assert outlet(session, "tass").domains == ["tass.ru"]


def test_a_retired_speaker_whose_alias_was_taken_is_not_brought_back(admin, session):
    admin.post("/admin/speakers/sergey-lavrov/retire")
    retired = last_event(session)
    ryabkov = {"name": "Sergei Ryabkov", "aliases": "Ryabkov\nLavrov"}
    assert admin.post("/admin/speakers/sergei-ryabkov", data=ryabkov).status_code == 303
    restore = admin.post("/admin/speakers/sergey-lavrov/restore")
    assert restore.status_code == 409 and "already goes by “Lavrov”" in restore.text
    assert revert(admin, retired).status_code == 422
    session.expire_all()
    assert speaker(session, "sergey-lavrov").retired_at is not None


def test_an_editor_cannot_revert_a_registry_change_nor_sees_the_button(admin, editor, session):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear"))
    edit = last_event(session)
    rows = audit_count(session)

    refused = revert(editor, edit)

    assert refused.status_code == 403 and "Only an admin" in refused.text
    assert audit_count(session) == rows
    session.expire_all()
    assert "Old Bear" in {a.alias for a in speaker(session, "sergey-lavrov").aliases}
    assert f'id="revert-{edit.id}"' not in editor.get("/speakers/sergey-lavrov").text
    assert f'id="revert-{edit.id}"' in admin.get("/speakers/sergey-lavrov").text
    assert f'id="revert-{edit.id}"' in admin.get("/admin/speakers/sergey-lavrov").text


def test_a_revert_without_the_csrf_token_is_refused(admin, session):
    admin.post("/admin/themes/sanctions", data={"name": "Sanctions", "phrases": "embargo"})
    edit = last_event(session)
    del admin.headers["X-CSRF-Token"]
    assert revert(admin, edit).status_code == 403
    assert last_event(session).id == edit.id
    session.expire_all()
    assert theme(session, "sanctions").phrases == ["embargo"]


def test_a_role_reads_as_its_title_dates_and_descriptors_in_the_history(admin, session):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear"))
    page = admin.get("/admin/speakers/sergey-lavrov").text
    assert "Foreign Minister of Russia (2004-03-09 – …): Russian Foreign Minister;" in page
    assert "{&#39;title&#39;" not in page and "{'title'" not in page
