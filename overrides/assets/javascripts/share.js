// The "分享与引用" box of story and lesson pages: copy the permanent link, copy the citation line.
//
// The build writes the citation without a date (builds are reproducible); the access date is today's date in the
// reader's own time zone, filled in here — on screen, in the copied line and on the printed handout alike.
// Without script the buttons stay hidden and the line reads "…，访问日期。", to be completed by hand.

function today() {
  const now = new Date();
  return `${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日`;
}

// The clipboard API needs a secure context (https or localhost); elsewhere fall back to a selected text field.
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      // permission refused: try the old way below
    }
  }
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "fixed";
  field.style.opacity = "0";
  document.body.appendChild(field);
  field.select();
  let done = false;
  try {
    done = document.execCommand("copy");
  } catch (error) {
    done = false;
  }
  field.remove();
  return done;
}

function setUp(box) {
  const date = box.querySelector("[data-ex-cite-date]");
  if (date) date.textContent = `访问日期：${today()}`;
  const status = box.querySelector(".ex-share__status");
  const texts = {
    url: () => box.dataset.url,
    cite: () => box.querySelector("[data-ex-cite]").textContent.replace(/\s+/g, " ").trim(),
  };
  for (const button of box.querySelectorAll("button[data-ex-copy]")) {
    const what = button.dataset.exCopy;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = texts[what]();
      const ok = await copyText(text);
      if (status) {
        status.textContent = ok ? `已复制${what === "url" ? "链接" : "引用"}：${text}` : `无法自动复制，请手动选择：${text}`;
      }
    });
  }
}

document.querySelectorAll("[data-ex-share]").forEach(setUp);

// The handout's "打印讲义" button (hidden without script: the browser's own print command does the same).
document.querySelectorAll("button[data-ex-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
