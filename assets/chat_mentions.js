// The native composer's @-mention picker: the browser half (todochat/ui/chat_mentions.py).
//
// Typing "@" and some words in the message box asks the page's state for the user's
// matching tasks (debounced, through the hidden #mention-query field); the state renders
// the listbox and the box's aria-expanded / aria-activedescendant. While the list has
// options, ArrowDown/ArrowUp move the active one (#mention-next, #mention-previous), Enter
// or Tab picks it (#mention-pick), Escape closes the list: each caught here, before the
// box's own Enter (send) or a drawer's Escape sees the key. A picked task comes back as
// "@<title> " (put), which replaces the "@words" it was picked for.
(() => {
  if (window.todochatMentions) return;

  const BOX = "composer";
  const DEBOUNCE_MS = 150;
  // "@" at the start of the text or after a space, then what follows it up to the caret:
  // at most 60 characters, no line break, no second "@".
  const TOKEN = /(?:^|\s)@([^@\n]{0,60})$/;

  let timer = null;
  let pending = null;     // the search the debounce holds back, if any
  let sent = "";          // what the state was last asked ("@words", or "" to close)
  let token = null;       // the "@words" before the caret: {start, end, words}
  let dismissedAt = -1;   // where the "@" is whose list Escape closed
  let chosen = new Set(); // "@title"s put in the box: written, not searched again

  const box = () => document.getElementById(BOX);
  const hasOptions = () => box()?.getAttribute("aria-expanded") === "true";
  const isShown = () => document.querySelector(".mention-popup[data-open='true']") !== null;

  // Tells the state what to search for ("@words") or to close the list (""), through the
  // hidden field's change event (the native setter, so React sees a new value).
  function ask(value) {
    if (value === sent) return;
    const field = document.getElementById("mention-query");
    if (!field) return;
    sent = value;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(field, value);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function tokenAtCaret(el) {
    if (el.selectionStart !== el.selectionEnd) return null;
    const before = el.value.slice(0, el.selectionStart);
    const match = TOKEN.exec(before);
    if (!match) return null;
    const words = match[1];
    return { start: before.length - words.length - 1, end: before.length, words };
  }

  function writtenAlready(found) {
    const text = "@" + found.words;
    for (const title of chosen) {
      if (text === title || text.startsWith(title + " ")) return true;
    }
    return false;
  }

  // After every change of the text or of the caret: open, narrow or close the list.
  function update(el) {
    const found = tokenAtCaret(el);
    if (!found || found.start !== dismissedAt) dismissedAt = -1;
    token = found && found.start !== dismissedAt && !writtenAlready(found) ? found : null;
    cancel();
    if (!token) {
      ask("");
      return;
    }
    pending = "@" + token.words.replace(/\s+/g, " ").trimStart();
    timer = setTimeout(flush, DEBOUNCE_MS);
  }

  // The held-back search, now: before a key that moves in or picks from the list, so the
  // key acts on the list for what is typed (the state takes events in order).
  function flush() {
    const value = pending;
    cancel();
    if (value !== null) ask(value);
  }

  function cancel() {
    clearTimeout(timer);
    pending = null;
  }

  function press(id) {
    document.getElementById(id)?.click();
  }

  document.addEventListener("keydown", (event) => {
    const el = event.target;
    if (!el || el.id !== BOX || event.isComposing) return;
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (hasOptions() && plain && ["ArrowDown", "ArrowUp", "Enter", "Tab"].includes(event.key)) flush();
    if (hasOptions() && plain && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      press(event.key === "ArrowDown" ? "mention-next" : "mention-previous");
    } else if (hasOptions() && plain && (event.key === "Enter" || event.key === "Tab")) {
      // Picks; never sends the message, never leaves the box. The state picks its active
      // option, after any ArrowDown still on its way (not the one this page shows yet).
      press("mention-pick");
    } else if (isShown() && event.key === "Escape") {
      // Closes the list, and only the list: the text stays as it is.
      dismissedAt = token ? token.start : -1;
      token = null;
      cancel();
      ask("");
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }, true);

  document.addEventListener("input", (event) => {
    if (event.target?.id === BOX) update(event.target);
  }, true);
  // The caret moved without the text changing (arrow keys, Home/End, a click).
  document.addEventListener("keyup", (event) => {
    if (event.target?.id === BOX && !["Enter", "Tab", "Escape"].includes(event.key)) update(event.target);
  }, true);
  document.addEventListener("click", (event) => {
    if (event.target?.id === BOX) update(event.target);
  }, true);
  // A press on an option keeps the focus in the box (the click still picks it).
  document.addEventListener("mousedown", (event) => {
    if (event.target?.closest?.("#mention-listbox")) event.preventDefault();
  }, true);
  document.addEventListener("focusout", (event) => {
    if (event.target?.id === BOX) {
      cancel();
      token = null;
      ask("");
    }
  }, true);
  // Sent: the next message starts with nothing chosen and no list.
  document.addEventListener("submit", (event) => {
    if (event.target?.contains?.(box())) {
      cancel();
      token = null;
      dismissedAt = -1;
      chosen = new Set();
      ask("");
    }
  }, true);

  window.todochatMentions = {
    // The state's answer to a pick: "@title " in place of the "@words" it was picked for.
    put(text) {
      const el = box();
      if (!el) return;
      const at = tokenAtCaret(el) || token || { start: el.selectionStart, end: el.selectionEnd };
      const after = el.value.slice(at.end);
      el.value = el.value.slice(0, at.start) + text + (text.endsWith(" ") ? after.replace(/^ /, "") : after);
      const caret = at.start + text.length;
      chosen.add(text.trim());
      token = null;
      el.focus();
      el.setSelectionRange(caret, caret);
      el.dispatchEvent(new Event("input", { bubbles: true })); // the box's auto height
    },
  };
})();
