"""The HTML view in a real browser (Debian's chromium, driven by playwright).

Needs /usr/bin/chromium (scripts/install-browser.sh) and the `playwright` Python
package; `playwright install` is never used. With GRAPHCTL_SCREENSHOT=1 the
contested view's screenshot is saved to docs/contested.png.
"""
import os
from pathlib import Path

import pytest

from graph.claimsio import read_claims
from graph.views import ViewFilter, export
from conftest import GOLD_CLAIMS, ROOT, open_test_store
from test_views import PAYLOAD, hostile_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: run scripts/install-browser.sh", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SETTLE_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def gold_store(registry, tmp_path):
    store = open_test_store("embedded", tmp_path)
    store.write_actors(registry.actors.values())
    store.replace_claim_set("curated:gold.claims.jsonl", read_claims(GOLD_CLAIMS))
    yield store
    store.close()


class Visit:
    """A page opened from file://, with every request to anything but a local file
    blocked and recorded, and every console error and uncaught exception kept."""

    def __init__(self, browser, path: Path):
        self.external, self.errors, self.dialogs = [], [], []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.graphctl && window.graphctl.settled === true", timeout=SETTLE_TIMEOUT_MS)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def evaluate(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def counts(self) -> dict:
        return self.evaluate("""() => ({
            nodes: window.graphctl.nodes.length, edges: window.graphctl.edges.length,
            actors: Number(document.body.dataset.actors), title_edges: Number(document.body.dataset.edges),
            settle_ms: window.graphctl.settleMs})""")

    def colours(self) -> int:
        """How many distinct colours the network's canvas shows, on a grid of samples."""
        return self.evaluate("""() => {
            const canvas = document.querySelector('#network canvas');
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            const seen = new Set();
            for (let y = 0; y < canvas.height; y += 3) {
                for (let x = 0; x < canvas.width; x += 3) {
                    const i = (y * canvas.width + x) * 4;
                    if (pixels[i + 3] > 0) seen.add(pixels[i] + ',' + pixels[i + 1] + ',' + pixels[i + 2]);
                }
            }
            return seen.size;
        }""")

    def dom_position(self, actor_id):
        return self.evaluate("""(id) => {
            const network = window.graphctl.network;
            const point = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.getElementById('network').getBoundingClientRect();
            return {x: point.x + box.left, y: point.y + box.top};
        }""", actor_id)

    def close(self):
        self.page.close()


def visit_export(browser, store, tmp_path, name, filters=ViewFilter()):
    summary = export(store, "html", tmp_path / name, filters)
    return summary, Visit(browser, summary.path)


def test_gold_view_loads_offline_settles_and_draws(browser, gold_store, tmp_path):
    summary, visit = visit_export(browser, gold_store, tmp_path, "gold.html")
    try:
        assert visit.external == []
        assert visit.errors == []
        counts = visit.counts()
        assert counts["nodes"] == counts["actors"] == summary.nodes == 92
        assert counts["edges"] == counts["title_edges"] == summary.edges == 157
        assert counts["settle_ms"] is not None and counts["settle_ms"] < SETTLE_TIMEOUT_MS
        print(f"gold view settled in {counts['settle_ms']} ms")
        physics = visit.evaluate("() => window.graphctl.network.physics.options.enabled")
        assert physics is False  # settled means stopped: nothing drifts afterwards
        assert visit.colours() >= 6
        assert len(visit.page.screenshot()) > 20_000
    finally:
        visit.close()


def test_contested_view_and_screenshot(browser, gold_store, tmp_path):
    summary, visit = visit_export(browser, gold_store, tmp_path, "contested.html", ViewFilter(contested_only=True))
    try:
        assert visit.external == [] and visit.errors == []
        counts = visit.counts()
        assert (counts["nodes"], counts["edges"]) == (summary.nodes, summary.edges) == (6, 7)
        colours = visit.evaluate("() => window.graphctl.edges.get().map(e => e.color.color)")
        assert set(colours) == {"#ef6c00"}
        assert visit.colours() >= 4
        if os.environ.get("GRAPHCTL_SCREENSHOT") == "1":  # with an edge's claims open, for the README
            visit.evaluate("""() => {
                const links = window.graphctl.links;
                const id = Object.keys(links).find(k => links[k].predicate === 'TRAINED');
                window.graphctl.network.selectEdges([id]);
                window.graphctl.showEdge(id);
            }""")
            target = ROOT / "docs" / "contested.png"
            target.parent.mkdir(exist_ok=True)
            visit.page.screenshot(path=str(target))
    finally:
        visit.close()


def test_hover_and_click_show_claims_and_profiles(browser, gold_store, tmp_path):
    summary, visit = visit_export(browser, gold_store, tmp_path, "contested.html", ViewFilter(contested_only=True))
    page = visit.page
    try:
        # the straight edge israel -> russia: hover its midpoint with the real mouse
        a, b = visit.dom_position("israel"), visit.dom_position("russia")
        page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2)
        page.wait_for_selector("#tip:not([hidden])", timeout=5_000)
        tip = page.inner_text("#tip")
        assert "OPPOSED" in tip and "affirms" in tip and "denies" in tip
        # click it: the side panel lists every claim with speaker, document and quote
        page.mouse.click((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2)
        details = page.inner_text("#details")
        assert "Israel" in details and "Russia" in details and "contested" in details
        assert page.locator("#details .claim").count() >= 2 and page.locator("#details blockquote").count() >= 2
        # click a node: its profile, claims in and out by predicate and polarity
        iran = visit.dom_position("iran")
        page.mouse.click(iran["x"], iran["y"])
        page.wait_for_selector("#details table.profile")
        details = page.inner_text("#details")
        assert details.startswith("Iran") and "SUPPORTED" in details and "OPPOSED" in details
        assert visit.errors == [] and visit.external == []
    finally:
        visit.close()


def test_script_payloads_in_quotes_never_run(browser, registry, tmp_path):
    store = open_test_store("embedded", tmp_path)
    try:
        hostile_store(store, registry)
        summary, visit = visit_export(browser, store, tmp_path, "evil.html", ViewFilter(source="evil.txt"))
    finally:
        store.close()
    page = visit.page
    try:
        edges = visit.evaluate("() => Object.keys(window.graphctl.links)")
        assert len(edges) == 2
        for edge in edges:  # open every popup and panel there is
            visit.evaluate("(id) => { window.graphctl.hoverEdge(id, 200, 200); window.graphctl.showEdge(id); }", edge)
            page.wait_for_timeout(200)
            assert visit.evaluate("() => window.__pwned") is None
        for actor in ("iran", "al-qaeda", "evil-actor"):
            visit.evaluate("(id) => window.graphctl.showNode(id)", actor)
        iran, qaeda = visit.dom_position("iran"), visit.dom_position("al-qaeda")
        page.mouse.move((iran["x"] + qaeda["x"]) / 2, (iran["y"] + qaeda["y"]) / 2)
        page.mouse.click(iran["x"], iran["y"])
        page.wait_for_timeout(300)
        assert visit.evaluate("() => window.__pwned") is None
        assert visit.dialogs == []
        trained = next(e for e in edges if visit.evaluate("(id) => window.graphctl.links[id].predicate", e) == "TRAINED")
        visit.evaluate("(id) => window.graphctl.showEdge(id)", trained)
        details = page.text_content("#details")
        assert PAYLOAD in details and '<a href="javascript:window.__pwned=4">href</a> title' in details  # as text
        assert visit.evaluate("() => document.querySelectorAll('img, a[href], iframe').length") == 0
        assert visit.evaluate("() => document.scripts.length") == 3  # the data block, vis-network, the page
        assert visit.external == [] and visit.errors == []
    finally:
        visit.close()
