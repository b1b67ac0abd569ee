"""Export the dashboard's charts, and a site page with a source open, as PNG images for the documentation.

The images (docs/img/, shown on docs/web.md) are screenshots, taken in headless Chromium, of the very
figures `aidstats dashboard` writes, so the documentation shows what a reader gets.
Run: python tools/readme_images.py  (needs Debian's chromium and playwright).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch, new_offline_page, offline_page  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from aidstats.web.dashboard import write  # noqa: E402
from aidstats.web.figures import CHARTS  # noqa: E402
from aidstats.web.site import build_site  # noqa: E402


def main(out: Path = ROOT / "docs" / "img") -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page_file = write(Path(folder) / "dashboard.html")
        with offline_page() as page:
            page.goto(page_file.as_uri())
            page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(CHARTS)}")
            for name in CHARTS:
                page.locator(f"#chart-{name}").screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png")
        site = build_site(Path(folder) / "site")
        # A row's permalink opens it with its source, as a reader following a shared link sees it.
        row = (site / "mineral_exports.html").as_uri() + "#row-beryllium%20concentrate"
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for width, height, name in [(1440, 900, "site_table_page.png"), (375, 812, "site_table_page_phone.png")]:
                page = new_offline_page(browser, viewport={"width": width, "height": height})
                page.goto(row)
                page.locator("#provenance-panel").wait_for(state="visible")
                page.screenshot(path=str(out / name))
                print(out / name)
                page.context.close()
            browser.close()


if __name__ == "__main__":
    main()
