// The chat page's phone drawers (conversations, tasks) behave as modal dialogs.
//
// Below the layout's breakpoints the two side panels become fixed panels over the chat
// (assets/chat.css), opened and closed by ChatState. The same element is a plain column
// on wide screens, so the dialog behaviour is applied only while a panel is open *and*
// laid out as a drawer: focus moves into it, Tab and Shift+Tab stay inside, the rest of
// the page is inert (out of reach of the mouse, the keyboard and screen readers), Escape
// closes it, and focus returns to the button that opened it.
(() => {
  if (window.todochatDrawers) return;

  const DRAWERS = ".chat-threads, .chat-tasks";
  // The toolbar button of each drawer: where focus goes back if the opener is gone.
  const TOGGLES = { "chat-threads": ".chat-main .threads-toggle", "chat-tasks": ".chat-main .tasks-toggle" };
  const FOCUSABLE = [
    "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])",
    "textarea:not([disabled])", "select:not([disabled])", "[tabindex]:not([tabindex='-1'])",
  ].join(",");

  let open = null;    // the drawer now open, if any
  let opener = null;  // what had focus when it opened
  let inerted = [];   // what was made inert for it

  const isDrawer = (el) => el.dataset.open === "true" && getComputedStyle(el).position === "fixed";
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const focusables = (el) => [...el.querySelectorAll(FOCUSABLE)].filter((n) => n.tabIndex >= 0 && visible(n));

  function release() {
    inerted.forEach((el) => { el.inert = false; });
    inerted = [];
  }

  // Everything on the chat page beside the drawer's branch goes inert; page-wide layers
  // (toasts, dialogs opened from inside the drawer, the connection notice) stay live.
  function inertAround(drawer) {
    const page = drawer.closest(".chat-page");
    for (let node = drawer; node && node !== page && node.parentElement; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling === node || sibling.inert || sibling.classList.contains("chat-backdrop")) continue;
        sibling.inert = true;
        inerted.push(sibling);
      }
    }
  }

  function toggleFor(drawer) {
    const selector = Object.entries(TOGGLES).find(([cls]) => drawer.classList.contains(cls));
    return selector ? document.querySelector(selector[1]) : null;
  }

  function sync() {
    const now = [...document.querySelectorAll(DRAWERS)].find(isDrawer) || null;
    if (now === open) return;
    const was = open;
    open = now;
    release();
    if (now) {
      if (!was) opener = document.activeElement;
      inertAround(now);
      const first = focusables(now)[0];
      if (first) first.focus();
      else { now.tabIndex = -1; now.focus(); }
    } else if (was) {
      // Back to the opener, unless the app has already put focus somewhere on purpose
      // (e.g. "New" conversation focuses the message box).
      const active = document.activeElement;
      const lost = !active || active === document.body || was.contains(active);
      const back = opener && opener.isConnected && visible(opener) && opener !== document.body
        ? opener : toggleFor(was);
      opener = null;
      if (lost && back) back.focus();
    }
  }

  function close(drawer) {
    const button = drawer.querySelector(".chat-toggle");
    if (button) button.click();
  }

  document.addEventListener("keydown", (event) => {
    // Keys typed inside the open drawer, or with focus nowhere (its field was just
    // removed, e.g. a finished rename); not those of a dialog opened on top of it.
    const target = event.target;
    if (!open || event.defaultPrevented || !(open.contains(target) || target === document.body)) return;
    if (event.key === "Escape") {
      // A field inside the drawer with its own Escape (renaming a conversation) keeps it.
      if (target.closest("[data-own-escape]")) return;
      event.preventDefault();
      close(open);
    } else if (event.key === "Tab") {
      const items = focusables(open);
      if (items.length === 0) { event.preventDefault(); return; }
      const first = items[0], last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  const watch = () => new MutationObserver(sync).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-open"],
  });
  if (document.body) watch(); else document.addEventListener("DOMContentLoaded", watch);
  window.addEventListener("resize", sync);
  window.todochatDrawers = { sync };
})();
