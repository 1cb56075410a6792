"""The one door from the web app to the planner: no other web module imports ``planner``
(an import-linter contract in pyproject.toml checks it).

Pages, forms and the worker call the names below (``from web import planning``); what comes out is
plain dicts, lists, strings and bytes, or planner values that pages only read (a published Plan's
stops, a Parameter of the catalogue). A renamed planner function is fixed in this package only:
``plans`` (scenarios, solves, plan pages, downloads), ``editor`` (pickers, season, parameters,
uploads) and ``communes`` (shipped communes, what hosts get). ``planner`` never imports Flask.
"""

from planner.domain.formatting import plural
from planner.domain.outcome import STATUSES as OUTCOME_STATUSES
from planner.domain.outcome import StopOutcome
from planner.domain.plan import solver_status_label
from planner.domain.problems import DataError, Problem
from planner.domain.season import SCHOOL_ZONES
from web.planning.communes import (
    commune_facts,
    commune_map,
    host_calendar,
    host_stop,
    host_workbook,
    postcodes,
    region_facts,
    search_key,
    search_keys,
    shipped_by_insee,
)
from web.planning.editor import (
    PRESET_LABELS,
    SERVICE_KIND_LABELS,
    TEAM_FIELDS,
    WEEKDAY_CODES,
    check_params,
    closed_days,
    contact_problems,
    default_weekdays,
    email_problem,
    epci_choices,
    epci_names,
    import_rows,
    import_table,
    number,
    parameter,
    params_defaults,
    phone_problem,
    problem_rows,
    requests_in_upload,
    season_bounds,
    section_title,
    territory_communes,
    upload_name,
)
from web.planning.hosts import (
    REJECTED,
    UNKNOWN_WORDS,
    host_row_problems,
    host_rows,
    parse_weekday,
    scenario_markets,
    with_confirmed_sites,
)
from web.planning.plans import (
    PHASES,
    best_replacement,
    compare,
    default_spec,
    evaluate_upload,
    plan_of,
    plan_payload,
    plan_spec,
    plan_summary,
    public_scenario_for,
    published_service,
    replan_spec,
    request_service,
    request_services,
    scenario_for,
    season_ics,
    season_map_svg,
    season_workbook,
    site_labels,
    solve,
    spec_problems,
    stop_key,
    stops_csv,
    without_stop,
    working_weekdays,
)
from web.planning.reports import (
    cost_per_day,
    history_rows,
    merge_outcomes,
    outcome_rows,
    past_season,
    past_season_rows,
    planned_outcomes,
    read_outcomes_upload,
    season_report_page,
    season_report_workbook,
    stored_outcomes,
)

__all__ = [
    "OUTCOME_STATUSES", "StopOutcome", "best_replacement", "without_stop",
    "REJECTED", "UNKNOWN_WORDS", "host_row_problems", "host_rows", "parse_weekday", "scenario_markets",
    "with_confirmed_sites",
    "PHASES", "PRESET_LABELS", "SCHOOL_ZONES", "SERVICE_KIND_LABELS", "TEAM_FIELDS", "WEEKDAY_CODES", "check_params",
    "closed_days", "commune_facts", "commune_map", "email_problem", "import_table", "phone_problem", "public_scenario_for",
    "upload_name", "compare", "contact_problems", "DataError", "default_spec", "default_weekdays",
    "epci_choices", "epci_names", "evaluate_upload", "host_calendar", "host_stop", "host_workbook", "import_rows",
    "number", "parameter", "params_defaults", "region_facts", "plan_of", "plan_payload", "plan_spec", "plan_summary", "postcodes",
    "plural", "solver_status_label", "published_service", "request_service", "request_services",
    "Problem", "problem_rows", "requests_in_upload", "scenario_for", "search_key", "search_keys", "season_bounds", "season_ics",
    "season_map_svg", "season_workbook", "section_title", "shipped_by_insee", "site_labels", "solve", "stop_key",
    "replan_spec", "spec_problems", "stops_csv", "territory_communes", "working_weekdays",
    "cost_per_day", "history_rows", "merge_outcomes", "past_season", "planned_outcomes", "read_outcomes_upload",
    "season_report_page", "season_report_workbook", "outcome_rows", "past_season_rows", "stored_outcomes",
]
