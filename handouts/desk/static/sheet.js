/* A client's sheet follows the form as it changes. The notes' budget: the desk says how
   many characters of notes the chosen treatment's sheet has room for (measured by the
   catalogue, once per treatment and language) and this counts what is typed against it.
   The preview: after a pause in typing (or a change of a list or date) the form is posted
   to the desk, which answers with the new page images; the old ones stay until the new
   ones arrive, and a problem is shown beside its field. No page reload. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-preview]");
  if (!form) {
    return;
  }
  var notes = form.querySelector("#notes");
  var budget = document.getElementById("notes-room");
  var pages = document.getElementById("preview-pages");
  var state = document.getElementById("preview-state");
  var room = null;
  var asked = 0;
  var roomAsked = 0;
  var timer = null;

  function say(element, template, n) {
    element.textContent = template.replace("{n}", String(n)).replace("{why}", String(n));
  }

  function count() {
    if (!budget || !notes) {
      return;
    }
    if (room === null) {
      budget.textContent = "";
      return;
    }
    var left = room - Array.from(notes.value).length;
    if (left >= 0) {
      say(budget, budget.getAttribute("data-more"), left);
      budget.classList.remove("over");
    } else {
      say(budget, budget.getAttribute("data-over"), -left);
      budget.classList.add("over");
    }
  }

  function askRoom() {
    var mine = ++roomAsked;
    var query = new URLSearchParams({
      treatment: form.elements.treatment.value,
      lang: form.elements.lang.value
    });
    fetch(form.getAttribute("data-room-url") + "?" + query.toString(),
          {cache: "no-store", credentials: "same-origin"})
      .then(function (answer) { return answer.json(); })
      .then(function (answer) {
        if (mine === roomAsked) {  // not an answer for an earlier choice
          room = answer.room;
          count();
        }
      })
      .catch(function () {
        if (mine === roomAsked) {
          room = null;
          count();
        }
      });
  }

  function showProblems(wrong) {
    form.querySelectorAll(".problem.live").forEach(function (old) { old.remove(); });
    Object.keys(wrong).forEach(function (name) {
      var input = name ? form.elements[name] : null;
      var place = input && input.closest ? input.closest(".field") : null;
      var line = document.createElement("p");
      line.className = "problem live";
      line.setAttribute("role", "alert");
      line.textContent = wrong[name].join(" ");
      if (place) {
        place.appendChild(line);
      } else if (state) {
        state.after(line);
      }
    });
  }

  function showPages(images) {
    if (!pages || !images.length) {
      return;
    }
    var made = images.map(function (src, index) {
      var image = new Image();
      image.className = "page";
      image.alt = state.getAttribute("data-page")
        .replace("{page}", String(index + 1)).replace("{pages}", String(images.length));
      image.src = src;
      return image;
    });
    pages.replaceChildren.apply(pages, made);
  }

  function preview() {
    if (!pages) {
      return;
    }
    var body = new FormData(form);
    body.set("action", "preview");
    var mine = ++asked;
    state.textContent = state.getAttribute("data-updating");
    fetch(form.getAttribute("data-live-preview"),
          {method: "POST", body: body, cache: "no-store", credentials: "same-origin"})
      .then(function (answer) {
        if (answer.status !== 200 && answer.status !== 422) {
          throw new Error(answer.statusText || String(answer.status));
        }
        return answer.json();
      })
      .then(function (answer) {
        if (mine !== asked) {
          return;  // a newer change is on its way
        }
        showProblems(answer.wrong || {});
        showPages(answer.pages || []);
        state.textContent = "";
        pages.setAttribute("data-shown", String(mine));
      })
      .catch(function (error) {
        if (mine === asked) {
          say(state, state.getAttribute("data-failed"), error.message);
        }
      });
  }

  function later(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, delay);
  }

  form.addEventListener("input", function (event) {
    if (event.target === notes) {
      count();
    }
    later(600);
  });
  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "treatment" || name === "lang") {
      askRoom();
    }
    later(150);
  });
  askRoom();
}());
