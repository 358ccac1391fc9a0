"""The scripts the chat page runs in the browser (``rx.call_script``)."""

from __future__ import annotations

from pathlib import Path

# Puts a waiting message back in the message box, before anything typed since, and
# grows the box to fit (the input event is what the box's auto height listens to).
TAKE_BACK_JS = """(() => {
  const box = document.getElementById("composer");
  if (!box) return;
  const text = %s;
  box.value = box.value.trim() ? text + "\\n" + box.value : text;
  box.dispatchEvent(new Event("input", {bubbles: true}));
  box.focus();
  box.setSelectionRange(text.length, text.length);
})()"""

# The parent half of the ChatKit embed, installed into the page by ChatState.load.
BRIDGE_JS = (Path(__file__).resolve().parents[2] / "assets" / "chatkit" / "bridge.js").read_text()

# The cards are refreshed when the page is looked at again (tab shown, window focused: a
# task may have changed on another page, device or through the API) and when the task
# list beside the chat changes (components/card_refresh.py). Installed once per tab.
REFRESH_ON_RETURN_JS = """
if (!window.__todochatCardRefresh) {
  window.__todochatCardRefresh = true;
  const refresh = () => document.getElementById("refresh-cards")?.click();
  // Coming back fires both focus and visibilitychange: one refresh for the two.
  let returned = 0;
  const onReturn = () => { if (Date.now() - returned > 1000) { returned = Date.now(); refresh(); } };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") onReturn(); });
  window.addEventListener("focus", onReturn);
  new MutationObserver((changes) => {
    if (changes.some((c) => c.target.id === "task-list-signature")) refresh();
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-signature"] });
}
"""

# Presses the turn watch (components/turn_watch.py) while a reply is being written: a
# process is declared dead 15 s after its last beat (live_processes.py). Installed once per tab.
TURN_WATCH_SECONDS = 5
TURN_WATCH_JS = """
if (!window.__todochatTurnWatch) {
  window.__todochatTurnWatch = setInterval(
    () => document.getElementById("turn-watch")?.click(), %d);
}
""" % (TURN_WATCH_SECONDS * 1000)
