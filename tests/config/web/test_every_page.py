"""Every page of the web application, in Debian's Chromium: it answers, it breaks no rule of
the Content-Security-Policy (nor do the admin's main pages and the API docs), axe-core finds no
serious or critical violation, screenshots at 1366×768 and 390×844 go to var/screenshots/,
the keyboard's first stop is the skip link to the content, and print leaves the menus out.
A new page must be listed here (or among the routes that are not pages), or the first test
fails."""

import importlib
from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver

from tests.browser_harness import assert_keeps_the_policy, check_page
from tests.web_world import World

# (route name, its address in the world, who opens it: a World attribute or None)
PAGES: list[tuple[str, Callable[[World], str], str | None]] = [
    ("signin", lambda w: "/signin/", None),
    ("password-change", lambda w: "/account/password/", "syt_officer"),
    ("tasks", lambda w: "/tasks/", "syt_officer"),
    ("task", lambda w: f"/tasks/{w.awaiting.pk}/", "office"),
    ("review", lambda w: "/review/", "office"),
    ("overdue", lambda w: "/overdue/", "chairman"),
    ("calendar", lambda w: "/calendar/", "office"),
    ("periods", lambda w: "/periods/", "office"),
    ("dashboard", lambda w: "/dashboard/", "chairman"),
    ("directives", lambda w: "/directives/", "syt_officer"),
    ("directive-new", lambda w: "/directives/new/", "office"),
    ("directive", lambda w: f"/directives/{w.within.directive_id}/", "syt_officer"),
    ("directive-tasks-new", lambda w: f"/directives/{w.within.directive_id}/tasks/new/", "office"),
    ("import", lambda w: "/import/", "office"),
    ("inbox", lambda w: "/inbox/", "syt_head"),
    ("preferences", lambda w: "/inbox/preferences/", "syt_officer"),
    ("failed-deliveries", lambda w: "/deliveries/failed/", "office"),
]
# Routes that answer no page of their own: redirects, form posts, downloads, fragments.
NOT_PAGES = {
    "home",  # redirects to the role's start page
    "signout",
    "language",
    "task-short",  # redirects to the task
    "task-directive-options",  # a fragment: the directive filter's options
    "task-progress",
    "task-completion",
    "task-extension",
    "task-accept",
    "task-return",
    "task-pause",
    "task-resume",
    "task-cancel",
    "extension-approve",
    "extension-reject",
    "attachment",  # a download
    "calendar-adjustment-add",
    "calendar-adjustment-remove",
    "period-close",
    "period-reopen",
    "directive-task-row",  # a fragment: one more task row
    "directive-tasks-task-row",  # a fragment: one more task row for a directive
    "deadline-preview",  # a fragment: the deadline as typed
    "import-sample",  # a download
    "directive-file",  # a download
    "directive-status-report",  # a form post: the status package sent to the sender
    "inbox-read",
    "inbox-read-all",
    "failed-delivery-retry",
    "failed-webhook-retry",
}
# The keyboard's path: no positive tabindex, and the first stop (in document order) is the
# skip link to the content.
KEYBOARD_ORDER = """() => {
    const stops = [...document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
        .filter(el => el.tabIndex >= 0 && !el.disabled);
    return {positive: [...document.querySelectorAll('[tabindex]')]
                .filter(el => el.tabIndex > 0).length,
            first: stops.length ? stops[0].getAttribute('href') : null};
}"""
WEB_URLS = ("tracker.web.urls", "directives.web.urls", "notifications.web.urls")


def route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    for module in WEB_URLS:
        walk(importlib.import_module(module).urlpatterns)
    return names


def test_every_route_is_a_listed_page_or_not_a_page():
    pages = {name for name, _url, _user in PAGES}
    assert not pages & NOT_PAGES
    assert route_names() == pages | NOT_PAGES


@pytest.mark.django_db(transaction=True)
def test_every_page_in_the_browser(live_world: World, open_page):
    for name, url, who in PAGES:
        page = open_page(getattr(live_world, who) if who else None)
        response = page.goto(url(live_world))
        assert response.status == 200, name
        check_page(page, f"page-{name}")
        order = page.evaluate(KEYBOARD_ORDER)
        assert order["positive"] == 0, f"{name}: no tabindex reorders the keyboard's path"
        assert order["first"] == "#main", f"{name}: the first Tab goes to the skip link"
        page.emulate_media(media="print")
        assert not page.locator(".site-nav").is_visible(), f"{name}: menus are not printed"
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_error_pages_in_the_browser(live_world: World, open_page):
    page = open_page(live_world.stc_officer)
    assert page.goto(f"/tasks/{live_world.overdue.pk}/").status == 404
    check_page(page, "page-not-found")
    assert page.goto("/import/").status == 403
    check_page(page, "page-not-allowed")


@pytest.mark.django_db(transaction=True)
def test_admin_and_api_docs_keep_the_content_security_policy(live_world: World, open_page):
    """Third-party pages keep the policy too: Django's admin (its sign-in, index, a list with
    filters and actions, a change form with its widgets, an add form) and drf-spectacular's
    Swagger UI, once its scripts have drawn the operations."""
    admin = live_world.office
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    signed_out = open_page(None)
    signed_out.goto("/admin/login/")
    assert_keeps_the_policy(signed_out, "admin-login")
    docs = open_page(None)
    assert docs.goto("/api/v1/docs/").status == 200
    docs.locator(".opblock").first.wait_for()
    docs.wait_for_load_state("networkidle")
    assert_keeps_the_policy(docs, "api-docs")
    task = live_world.awaiting.pk
    for url in (
        "/admin/",
        "/admin/tracker/task/",
        f"/admin/tracker/task/{task}/change/",
        "/admin/tracker/user/add/",
        "/admin/directives/directive/",
    ):
        page = open_page(admin)
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("networkidle")
        assert_keeps_the_policy(page, url)
        page.context.close()
