// Parent side of the ChatKit embed (the chat page). Installed once per tab by
// ChatState.load; hands the iframe its config and token by postMessage (never in a URL)
// and tells the page whether the embed became ready in time.
(function () {
  if (window.todochatChatkit) return;
  var ORIGIN = window.location.origin;
  var TOKEN_KEY = "todochat_token";
  var status = "waiting";
  var waiters = [];

  function frame() {
    return document.getElementById("chatkit-embed");
  }

  function sendConfig() {
    var f = frame();
    if (!f || !f.contentWindow) return;
    var token = "";
    try {
      token = window.localStorage.getItem(TOKEN_KEY) || "";
    } catch (e) {}
    f.contentWindow.postMessage(
      {
        type: "todochat:config",
        token: token,
        url: ORIGIN + "/chatkit",
        domainKey: f.getAttribute("data-domain-key") || "",
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
      },
      ORIGIN // only a page of this app may read it
    );
  }

  function settle(result) {
    status = result;
    waiters.splice(0).forEach(function (resolve) {
      resolve(result);
    });
  }

  window.addEventListener("message", function (event) {
    var f = frame();
    if (event.origin !== ORIGIN || !f || event.source !== f.contentWindow) return;
    var data = event.data || {};
    if (data.type === "todochat:hello") {
      status = "waiting"; // a freshly loaded embed
      sendConfig();
    } else if (data.type === "todochat:ready") {
      settle("ready");
    } else if (data.type === "todochat:failed") {
      settle("failed");
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
  };
})();
