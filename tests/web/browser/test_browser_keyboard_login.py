"""Keyboard only, in chromium: the skip link comes first, the login form is filled and sent with
Tab and Enter, and the empty scenario list passes axe."""

import re

from playwright.sync_api import expect

from tests.web.browser.conftest import PASSWORD, PLANNER_EMAIL, assert_accessible


def test_a_planner_logs_in_with_the_keyboard_alone(page, live_server):
    page.goto(f"{live_server}/connexion")
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au contenu")
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    page.get_by_label("Adresse e-mail").focus()
    page.keyboard.type(PLANNER_EMAIL)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Rester connecté sur cet appareil")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Se connecter")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"{live_server}/scenarios")))  # the #contenu fragment may stay
    expect(page.get_by_role("heading", name="Mes scénarios")).to_be_visible()
    assert_accessible(page)
