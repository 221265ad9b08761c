"""The web console: server-rendered pages for reps, managers, compliance staff and admins.

How a page is built (every console page follows the same four steps):

- its route takes ``user: ReaderUser`` (reps and managers), ``ComplianceUser``,
  ``AdminUser`` or ``ConsoleUser`` (anyone signed in) from ``service.console.deps``:
  not signed in, revoked or expired means a 303 to ``/login?next=<path>``; a role
  outside the page's audience a 403 page (``audience(*roles)`` makes another);
- a state-changing form posts ``csrf_token`` (``{{ csrf_field() }}`` in a template) and
  its route takes the ``...Form`` twin instead (``ReaderForm``, ``ComplianceForm``,
  ``AdminForm``, ``AnyForm``), so a POST without a valid token is a 403 that changes
  nothing; a JSON endpoint sends the token in the ``X-CSRF-Token`` header;
- it reads and writes through the same service functions as the API (never a table);
- it answers ``render(request, "page.html", {...})`` (``service.console.templating``), or
  after a POST ``see_other(url, flash="Done.")`` so that a reload never posts twice.

Templates extend ``base.html`` (header with the person's name and role, this role's
navigation, **Sign out**, flash messages). Every console response carries the headers of
``service.console.security.PAGE_HEADERS``; HTTP errors on console paths are HTML pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.signing import load_signing_keys

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["install"]


def install(app: FastAPI) -> None:
    """Mount the console on the full app: pages, static files, headers, error pages."""
    from fastapi import Depends

    from service.auth.throttle import ClientDigests
    from service.console.audit import router as audit_pages
    from service.console.compose import router as compose_pages
    from service.console.errors import install_error_pages
    from service.console.forms import FORM_PART_BYTES, clean_form
    from service.console.handover import router as handover_pages
    from service.console.policies import router as policy_pages
    from service.console.prospects import router as prospect_pages
    from service.console.requests import router as request_pages
    from service.console.router import router as shared_pages
    from service.console.router import static_files
    from service.console.security import ConsoleHeaders, CsrfKeys
    from service.console.users import router as user_pages

    runtime = app.state.runtime
    app.state.console_csrf = CsrfKeys(
        lambda: load_signing_keys(runtime.settings, runtime.engine)[0]
    )
    # The sign-in throttle counts failures per client address, kept only as this digest.
    app.state.sign_in_clients = ClientDigests(
        lambda: load_signing_keys(runtime.settings, runtime.engine)[0]
    )
    # Every console form is checked for unstorable text before its route runs, and read
    # with the console's limits (service.console.forms).
    checked = [Depends(clean_form)]
    admin_pages = (policy_pages, audit_pages, request_pages, user_pages, handover_pages)
    for router in (shared_pages, prospect_pages, compose_pages, *admin_pages):
        app.include_router(
            router, dependencies=checked, form_limits={"max_part_size": FORM_PART_BYTES}
        )
    app.mount("/console/static", static_files, name="console-static")
    install_error_pages(app)
    app.add_middleware(ConsoleHeaders)
