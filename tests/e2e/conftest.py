"""Browser journeys in headless Chromium (Debian's package) against a live server.

`make test` provides the browser and axe-core (scripts/ensure-browser.sh) and exports their paths.
Each test saves a screenshot of its last page under test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still
# synchronous and safe, which Django cannot tell on its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI") == "true"


def _missing(what: str):
    if IN_CI:
        pytest.fail(f"{what}; CI needs it (make test installs it).")
    pytest.skip(f"{what}; run the suite with `make test`.")


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("E2E_CHROMIUM") or shutil.which("chromium")
    if not path:
        _missing("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def axe_source() -> str:
    path = os.environ.get("E2E_AXE") or str(Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js")
    if not Path(path).exists():
        _missing("axe-core is not installed (npm ci)")
    return Path(path).read_text()


@pytest.fixture
def new_page(browser, live_server, ladder, request):
    """Pages in fresh browser contexts; the last page of the test is saved as a screenshot."""
    contexts = []

    def open_page(*, javascript: bool = True, storage_state=None, width: int = 1200, scheme: str = "light"):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            storage_state=storage_state,
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH_VIOLATIONS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    ARTIFACTS.mkdir(exist_ok=True)
    if contexts and contexts[-1].pages:
        contexts[-1].pages[-1].screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the current page (WCAG 2 A and AA rules)."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


# Collected in every page of a context: Content-Security-Policy violations (inline styles or scripts
# the policy refuses) as the browser reports them to the page.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`.trim());
});
"""


def watch(page) -> list[str]:
    """Console errors and warnings of the page, as a list that fills as the page runs."""
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def violations(page) -> list[str]:
    return page.evaluate("() => window.__violations || []")


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
