"""Screenshots of the web form (/admin/) for the contribution guide, at 1280 px and at a phone width.

    .venv/bin/python tests/tools/cms_screenshots.py SITE_DIR OUT_DIR

SITE_DIR is a preview build whose admin/config.yml has `local_backend` (cms_local: true), with decap-server
running in `fs` mode on the port it names. Saves OUT_DIR/form-1280.png and form-390.png: a new story, half filled.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from browser import LAUNCH_ARGS, serve  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def fill(page) -> None:
    page.locator("[id^=id-field]").fill("liutang-wuchanghui-2021")
    page.locator("[id^=title-field]").fill("柳塘村屋场会商定老桥改建方案")
    methods = page.locator("[id^=methods-field]")
    methods.fill("民主协商法")
    methods.press("Enter")
    page.locator("[id^=summary-field]").fill("柳塘村把屋场会开到老桥边，村民自己商定改建方案。")
    page.locator("select[id^=region-field]").select_option("湖南省")  # admin/region-widget.js
    page.locator("input[id^=region-field]").fill("岳阳市/平江县")


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, serve(site) as base:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        base = base.replace("127.0.0.1", "localhost")
        for width, height in ((1280, 900), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
            page = context.new_page()
            page.goto(base + "admin/", wait_until="load")
            page.get_by_role("button", name="登录").click()
            page.get_by_text("集合").first.wait_for()
            page.goto(base + "admin/#/collections/stories/new")
            page.locator("[id^=id-field]").wait_for()
            fill(page)
            page.locator("[id^=title-field]").click()  # close the open select
            page.wait_for_timeout(500)
            page.screenshot(path=str(out / f"form-{width}.png"))
            context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
