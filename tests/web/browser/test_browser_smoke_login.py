"""The live server answers in chromium: the planner logs in and the scenario list passes axe."""

from tests.web.browser.conftest import assert_accessible


def test_login_page_and_empty_scenario_list_are_accessible(planner_page, live_server):
    assert planner_page.get_by_role("heading", name="Mes scénarios").is_visible()
    assert_accessible(planner_page)
