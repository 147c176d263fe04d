// 适老化 reading settings: the text size (标准 / 大字 / 特大字) and high contrast, remembered on this device.
//
// The settings live in localStorage under "ex-reading" as {"text": "" | "l" | "xl", "contrast": "" | "more"}. A small
// inline script in every page's <head> (overrides/main.html) applies them to <html> before the first paint, so a
// page never flashes in the wrong size; this module wires the buttons of the reading bar and keeps their
// aria-pressed state true. Without script the bar's buttons do nothing and the page reads at the standard size.

const KEY = "ex-reading";
const TEXT_SIZES = new Set(["", "l", "xl"]);

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "{}");
    return saved && typeof saved === "object" ? saved : {};
  } catch (error) {
    return {};  // storage blocked or a damaged value: the standard settings
  }
}

function save(settings) {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch (error) {
    // private mode without storage: the choice holds for this page only
  }
}

function apply(settings) {
  const root = document.documentElement;
  const text = TEXT_SIZES.has(settings.text) ? settings.text : "";
  const contrast = settings.contrast === "more" ? "more" : "";
  if (text) root.setAttribute("data-ex-text", text); else root.removeAttribute("data-ex-text");
  if (contrast) root.setAttribute("data-ex-contrast", contrast); else root.removeAttribute("data-ex-contrast");
  for (const button of document.querySelectorAll("[data-ex-text-choice]")) {
    button.setAttribute("aria-pressed", String(button.dataset.exTextChoice === text));
  }
  for (const button of document.querySelectorAll("[data-ex-contrast-toggle]")) {
    button.setAttribute("aria-pressed", String(contrast === "more"));
  }
}

let settings = load();
apply(settings);

for (const button of document.querySelectorAll("[data-ex-text-choice]")) {
  button.addEventListener("click", () => {
    settings = { ...settings, text: button.dataset.exTextChoice };
    save(settings);
    apply(settings);
  });
}
for (const button of document.querySelectorAll("[data-ex-contrast-toggle]")) {
  button.addEventListener("click", () => {
    settings = { ...settings, contrast: settings.contrast === "more" ? "" : "more" };
    save(settings);
    apply(settings);
  });
}
