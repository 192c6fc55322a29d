/* briefgen watch: injected into a brief's page while it is served (the file
   on disk stays script-free). Reloads the page when its HTML is rewritten;
   shows a failed build's errors over the last good page until it is fixed. */
(function () {
  var config = window.briefgenPreview;
  var host = null;

  function overlay(status) {
    var errors = (status && status.errors) || [];
    if (!errors.length) {
      if (host) { host.remove(); host = null; }
      return;
    }
    if (!host) {
      host = document.createElement("briefgen-errors");
      host.attachShadow({mode: "open"});
      document.documentElement.appendChild(host);
    }
    var root = host.shadowRoot;
    root.innerHTML = "";
    var style = document.createElement("style");
    style.textContent =
      ":host { all: initial; }" +
      ".panel { position: fixed; z-index: 2147483647; left: 0; right: 0; top: 0;" +
      " max-height: 70vh; overflow: auto; box-sizing: border-box; padding: 14px 18px;" +
      " background: #fff5f4; border-bottom: 3px solid #b3261e; color: #1d2430;" +
      " font: 15px/1.45 system-ui, sans-serif; box-shadow: 0 4px 18px rgba(0,0,0,.25); }" +
      "h2 { margin: 0 0 6px; font-size: 16px; color: #b3261e; }" +
      "p { margin: 0 0 8px; }" +
      "ul { margin: 0; padding-left: 18px; font: 13px/1.45 ui-monospace, monospace; }" +
      "li { white-space: pre-wrap; word-break: break-word; margin: 2px 0; }";
    var panel = document.createElement("div");
    panel.className = "panel";
    panel.setAttribute("role", "alert");
    var title = document.createElement("h2");
    title.textContent = status.brief + " did not build";
    var note = document.createElement("p");
    note.textContent = "Below is the last good version. Fix the brief and save: this page updates by itself.";
    var list = document.createElement("ul");
    errors.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    panel.appendChild(title);
    panel.appendChild(note);
    panel.appendChild(list);
    root.appendChild(style);
    root.appendChild(panel);
  }

  function mine(event) {
    var data = JSON.parse(event.data);
    return data.brief === config.brief ? data : null;
  }

  var events = new EventSource(config.events);
  events.addEventListener("reload", function (event) {
    var data = mine(event);
    if (data && data.version !== config.version) { location.reload(); }
  });
  events.addEventListener("status", function (event) {
    var data = mine(event);
    if (data) { overlay(data); }
  });
  overlay(config.status);
})();
