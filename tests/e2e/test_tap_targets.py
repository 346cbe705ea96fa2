"""A volunteer's pages on a 360×740 phone, thumb first (issue 23): every
visible button, field, tick box and button-styled link is at least 44×44
pixels (a tick box or radio through its label, which must hold it), and the
contact log fits in about one and a half screens with "More" folded. The
public online referral forms are held to the same size. Each page is
checked with axe-core and saved as a screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessibility, sign_in
from volunteers.matching.models import Match

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
SMALLEST = 44
#: Sub-pixel layout may round a 44-pixel box down by a fraction.
ROUNDING = 0.5

#: The bounding box of every visible tap target; a tick box or radio is
#: measured by its label's tap area, with whether that area holds the box.
MEASURE = """() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && el.checkVisibility()
      && !el.closest(".visually-hidden") && !el.closest("[aria-hidden=true]");
  };
  const describe = (el) => (el.getAttribute("aria-label") || el.textContent || el.name || el.id || el.type || "")
    .trim().replace(/\\s+/g, " ").slice(0, 60);
  const found = [];
  document.querySelectorAll("input:not([type=hidden]), button, select, textarea, a.btn, summary.btn")
    .forEach((el) => {
      if (!visible(el)) { return; }
      let target = el;
      let holds = true;
      if (el.type === "checkbox" || el.type === "radio") {
        const label = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest("label");
        if (label) {
          // A label whose ::before is stretched over its row (core/site.css)
          // is tapped anywhere on that row.
          const before = getComputedStyle(label, "::before");
          const stretched = before.content !== "none" && before.position === "absolute";
          target = stretched && label.offsetParent ? label.offsetParent : label;
          const box = el.getBoundingClientRect();
          const area = target.getBoundingClientRect();
          const x = box.left + box.width / 2;
          const y = box.top + box.height / 2;
          holds = x >= area.left && x <= area.right && y >= area.top && y <= area.bottom;
        }
      }
      const box = target.getBoundingClientRect();
      found.push({
        what: `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} "${describe(target)}"`,
        width: box.width, height: box.height, holds: holds,
      });
    });
  return found;
}"""


def too_small(page: Page) -> list[str]:
    return [
        f"{t['what']}: {t['width']:.0f}×{t['height']:.0f}{'' if t['holds'] else ', box outside its label'}"
        for t in page.evaluate(MEASURE)
        if t["width"] < SMALLEST - ROUNDING or t["height"] < SMALLEST - ROUNDING or not t["holds"]
    ]


def assert_thumb_friendly(page: Page, name: str) -> None:
    check_accessibility(page, name)
    small = too_small(page)
    assert not small, f"tap targets under {SMALLEST}×{SMALLEST} on {name} ({page.url}):\n" + "\n".join(small)


def test_a_volunteer_s_pages_are_thumb_friendly_on_a_phone(demo, new_page, live_server):
    match = Match.objects.open().filter(volunteer__user__username="volunteer").order_by("pk").first()
    assert match is not None, "the demo volunteer supports families"
    family = match.parent.preferred_name or match.parent.first_name
    phone = new_page(**PHONE)
    sign_in(phone, live_server, "volunteer")

    # The home opens on her families, each with its big button, under "Raise a concern".
    families = phone.get_by_role("region", name="Your families")
    expect(families).to_be_in_viewport()
    expect(phone.get_by_role("link", name="Raise a concern")).to_be_in_viewport()
    expect(families.get_by_role("listitem").filter(has_text=family)).to_contain_text("last contact")
    assert_thumb_friendly(phone, "tap targets volunteer home")

    sessions = phone.get_by_role("region", name="Groups you help at").locator("a[href*='/register/']")
    register_url = sessions.first.get_attribute("href") if sessions.count() else None

    families.get_by_role("listitem").filter(has_text=family).get_by_role("link", name="Log a contact").click()
    expect(phone.get_by_role("heading", name=f"Log a contact with {family}")).to_be_visible()
    # Folded, the log is about one and a half screens: the concern first, Save within reach.
    height = phone.evaluate("() => document.documentElement.scrollHeight")
    assert height <= 1.6 * PHONE["height"], f"the contact log is {height} px tall with More folded"
    expect(phone.get_by_role("link", name="Raise a concern")).to_be_in_viewport()
    expect(phone.get_by_label("Date")).to_be_in_viewport()
    assert_thumb_friendly(phone, "tap targets contact log folded")
    phone.get_by_text("More: topics, signposting, note").click()
    expect(phone.get_by_label("Short note")).to_be_visible()
    # Checked once the button's colour change (Bootstrap's 0.15 s transition) has ended, not halfway.
    phone.wait_for_timeout(400)
    assert_thumb_friendly(phone, "tap targets contact log with more")

    phone.goto(f"{live_server.url}/matching/matches/{match.pk}/visits/new/")
    expect(phone.get_by_role("heading", name="Plan a visit")).to_be_visible()
    assert_thumb_friendly(phone, "tap targets plan a visit")

    phone.goto(f"{live_server.url}/matching/matches/{match.pk}/")
    expect(phone.get_by_role("heading", name=family)).to_be_visible()
    assert_thumb_friendly(phone, "tap targets family page")

    phone.goto(f"{live_server.url}/concerns/new/?match={match.pk}")
    expect(phone.get_by_text(f"Family: {family}")).to_be_visible()
    assert_thumb_friendly(phone, "tap targets raise a concern")

    if register_url:
        phone.goto(f"{live_server.url}{register_url}")
        assert_thumb_friendly(phone, "tap targets group register")

    # On a desktop the same pages keep one narrow column for the log.
    desktop = new_page()
    sign_in(desktop, live_server, "volunteer")
    expect(desktop.get_by_role("region", name="Your families")).to_be_in_viewport()
    check_accessibility(desktop, "tap targets volunteer home desktop")
    desktop.goto(f"{live_server.url}/matching/matches/{match.pk}/log/")
    desktop.get_by_text("More: topics, signposting, note").click()
    check_accessibility(desktop, "tap targets contact log desktop")


def test_the_signposting_list_puts_the_family_s_area_first_and_filters_as_she_types(demo, new_page, live_server):
    match = (
        Match.objects.open()
        .filter(volunteer__user__username="volunteer", parent__council_area__name="Scottish Borders")
        .order_by("pk")
        .first()
    )
    assert match is not None, "the demo volunteer supports a Borders family"
    phone = new_page(**PHONE)
    sign_in(phone, live_server, "volunteer")
    phone.goto(f"{live_server.url}/matching/matches/{match.pk}/log/")
    phone.get_by_text("More: topics, signposting, note").click()
    signposting = phone.get_by_role("group", name="Signposted to")
    boxes = signposting.get_by_role("checkbox")
    expect(boxes.first).to_have_accessible_name("Nurture the Borders")
    # Glasgow's services are folded away under "Services elsewhere".
    expect(signposting.get_by_label("Quarriers Maternal Mental Wellbeing Service")).to_be_hidden()
    search = signposting.get_by_role("searchbox", name="Search the services")
    search.fill("quarr")
    expect(signposting.get_by_label("Quarriers Maternal Mental Wellbeing Service")).to_be_visible()
    expect(signposting.get_by_label("Nurture the Borders")).to_be_hidden()
    check_accessibility(phone, "signposting searched on a phone")
    search.fill("")
    expect(signposting.get_by_label("Nurture the Borders")).to_be_visible()
    assert not too_small(phone)


@pytest.mark.parametrize("form", ["", "professional/"])
def test_the_online_referral_forms_are_thumb_friendly_on_a_phone(demo, new_page, live_server, form):
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/refer/tweed-valley/{form}")
    expect(page.get_by_role("link", name="Leave this site quickly")).to_be_visible()
    assert_thumb_friendly(page, f"tap targets online referral {form or 'self'}")
