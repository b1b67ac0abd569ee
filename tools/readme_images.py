"""Export the dashboard's charts, and a site page with a source open, as PNG images for the README.

The images are screenshots, taken in headless Chromium, of the very figures
`aidstats dashboard` writes, so the README shows what a reader gets.
Run: python tools/readme_images.py  (needs Debian's chromium and playwright).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import offline_page  # noqa: E402

from aidstats.dashboard import write  # noqa: E402
from aidstats.figures import CHARTS  # noqa: E402
from aidstats.site import build_site  # noqa: E402


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
        with offline_page() as page:
            page.goto((site / "mineral_exports.html").as_uri())
            page.locator("table.data tbody tr", has_text="beryllium concentrate").first.click()
            page.locator("#provenance-panel").scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -20)")
            page.screenshot(path=str(out / "site_table_page.png"))
            print(out / "site_table_page.png")


if __name__ == "__main__":
    main()
