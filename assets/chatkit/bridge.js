// Parent side of the ChatKit embed (the chat page). Installed once per tab by
// ChatState.load; hands the iframe its config and a token by postMessage (never in a URL)
// and tells the page whether the embed became ready in time. The frame never gets the
// session token: only a 10-minute token that /chatkit alone accepts (its requests and
// its @-mention search), renewed here.
(function () {
  if (window.todochatChatkit) return;
  var ORIGIN = window.location.origin;
  var TOKEN_KEY = "todochat_token";
  var RENEW_MS = 5 * 60 * 1000; // well inside the narrowed token's 10 minutes
  var status = "waiting";
  var waiters = [];

  function frame() {
    return document.getElementById("chatkit-embed");
  }

  function chatkitToken() {
    var session = "";
    try {
      session = window.localStorage.getItem(TOKEN_KEY) || "";
    } catch (e) {}
    if (!session) return Promise.resolve("");
    return window
      .fetch(ORIGIN + "/api/auth/chatkit-token", { method: "POST", headers: { Authorization: "Bearer " + session } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (body) { return body.token || ""; })
      .catch(function () { return ""; });
  }

  function sendConfig() {
    var f = frame();
    if (!f || !f.contentWindow) return;
    chatkitToken().then(function (token) {
      var target = frame();
      if (!token || !target || target !== f || !f.contentWindow) return;
      f.contentWindow.postMessage(
        {
          type: "todochat:config",
          token: token,
          url: ORIGIN + "/chatkit",
          domainKey: f.getAttribute("data-domain-key") || "",
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
        },
        // The sandboxed frame's origin is opaque and cannot be named; the message goes to
        // this frame's window only, and holds only the narrowed token.
        "*"
      );
    });
  }

  setInterval(function () {
    if (frame()) sendConfig();
  }, RENEW_MS);

  function settle(result) {
    status = result;
    waiters.splice(0).forEach(function (resolve) {
      resolve(result);
    });
  }

  window.addEventListener("message", function (event) {
    var f = frame();
    // The sandboxed frame speaks from the opaque origin "null": know it by its window.
    if (!f || event.source !== f.contentWindow) return;
    var data = event.data || {};
    if (data.type === "todochat:hello") {
      status = "waiting"; // a freshly loaded embed
      sendConfig();
    } else if (data.type === "todochat:ready") {
      settle("ready");
    } else if (data.type === "todochat:failed") {
      settle("failed");
    } else if (data.type === "todochat:tasks_changed") {
      // The assistant or a card in the frame changed tasks: the list beside it catches up
      // (the same hook as coming back to the tab: while a task is being edited there, the
      // list waits until the editor closes).
      var refresh = document.getElementById("refresh-task-list");
      if (refresh) refresh.click();
    }
  });

  window.todochatChatkit = {
    // Resolves "ready" or "failed" (also when nothing is heard within `ms`).
    whenReady: function (ms) {
      if (status !== "waiting" && frame()) return Promise.resolve(status);
      return new Promise(function (resolve) {
        waiters.push(resolve);
        sendConfig();
        setTimeout(function () {
          var i = waiters.indexOf(resolve);
          if (i >= 0) {
            waiters.splice(i, 1);
            resolve("failed");
          }
        }, ms);
      });
    },
    sendConfig: sendConfig,
    // Tasks may have changed outside the embed (the panel beside it, another tab, the
    // API): the embed asks its server for the thread again (ChatKit's fetchUpdates), and
    // the server re-renders every card from the database.
    refresh: function () {
      var f = frame();
      if (f && f.contentWindow) f.contentWindow.postMessage({ type: "todochat:refresh" }, "*");
    },
  };
})();
