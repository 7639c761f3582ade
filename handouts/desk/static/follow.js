/* The Content page follows the files under data/: it asks the desk every two seconds
   whether its check changed (a file was saved, or a check finished) and reloads when it
   did. The desk's only script; no timer reloads the page while nothing changes. */
(function () {
  "use strict";
  var page = document.querySelector("[data-follow]");
  if (!page) {
    return;
  }
  var seen = page.getAttribute("data-follow");
  var url = page.getAttribute("data-follow-url");
  function look() {
    fetch(url, {cache: "no-store", credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.text() : seen; })
      .then(function (now) {
        if (now !== seen) {
          window.location.reload();
        } else {
          window.setTimeout(look, 2000);
        }
      })
      .catch(function () { window.setTimeout(look, 5000); });
  }
  window.setTimeout(look, 2000);
}());
