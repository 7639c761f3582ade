/* A client's sheet follows the form as it changes. The notes' budget: the desk says how
   many characters of notes the chosen treatment's sheet has room for (measured by the
   catalogue, once per treatment and language) and this counts what is typed against it.
   The preview: after a pause in typing (or a change of a list or date) the form is posted
   to the desk, which answers with the new page images; the old ones stay until the new
   ones arrive, and a problem is shown beside its field. No page reload.
   The home programme: a ticked row joins the programme at its end, an unticked one goes
   back among the others by name; the arrows move a row in place (without this script they
   are the desk's own buttons); the form's order is the programme's. While the picker shows
   a treatment's own exercises untouched (`defaults_of`), choosing another treatment ticks
   that one's own instead. */
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
  var roomTimer = null;
  var picker = form.querySelector("fieldset.picker");
  var rowsBox = document.getElementById("programme-rows");
  var shows = form.elements.defaults_of;
  var defaults = picker ? JSON.parse(picker.getAttribute("data-defaults") || "{}") : {};

  function rows() {
    return rowsBox ? Array.from(rowsBox.querySelectorAll(".exercise")) : [];
  }

  function tick(row) {
    return row.querySelector('input[name="exercise"]');
  }

  function chosen() {
    return rows().filter(function (row) { return tick(row).checked; });
  }

  function named(row) {
    return row.querySelector(".exercise-head label").textContent;
  }

  function place(row) {
    var others = rows().filter(function (other) { return other !== row; });
    if (tick(row).checked) {
      var ticked = others.filter(function (other) { return tick(other).checked; });
      if (ticked.length) {
        ticked[ticked.length - 1].after(row);
      } else {
        rowsBox.prepend(row);
      }
      return;
    }
    var next = others.filter(function (other) {
      return !tick(other).checked && named(other).localeCompare(named(row)) > 0;
    })[0];
    if (next) {
      next.before(row);
    } else {
      rowsBox.append(row);
    }
  }

  function arrows() {
    var ticked = chosen();
    rows().forEach(function (row) {
      var at = ticked.indexOf(row);
      row.querySelector('[data-move="up"]').disabled = at <= 0;
      row.querySelector('[data-move="down"]').disabled = at < 0 || at === ticked.length - 1;
    });
  }

  function asShown(row) {
    var doses = Array.from(row.querySelectorAll("input[data-library]"));
    return doses.every(function (input) {
      return input.value === input.getAttribute("data-library");
    }) && row.querySelector('input[name^="note-"]').value.trim() === "";
  }

  function untouched() {
    var own = shows && defaults[shows.value];
    var ticked = chosen();
    return Boolean(own) && ticked.map(function (row) {
      return row.getAttribute("data-exercise");
    }).join(" ") === own.join(" ") && ticked.every(asShown);
  }

  function tickOwn(treatment) {
    chosen().forEach(function (row) {
      tick(row).checked = false;
      place(row);
    });
    (defaults[treatment] || []).forEach(function (ident) {
      var row = rowsBox.querySelector('[data-exercise="' + ident + '"]');
      if (!row) {
        return;
      }
      row.querySelectorAll("input[data-library]").forEach(function (input) {
        input.value = input.getAttribute("data-library");
      });
      row.querySelector('input[name^="note-"]').value = "";
      tick(row).checked = true;
      place(row);
    });
    shows.value = treatment;
    arrows();
  }

  function move(button) {
    var row = button.closest(".exercise");
    var ticked = chosen();
    var up = button.getAttribute("data-move") === "up";
    var other = ticked[ticked.indexOf(row) + (up ? -1 : 1)];
    if (!other) {
      return;
    }
    if (up) {
      other.before(row);
    } else {
      other.after(row);
    }
    arrows();
    // a screen reader hears where the row went: the focus stays on its arrow
    var told = document.getElementById("programme-moved");
    if (told) {
      ticked = chosen();
      told.textContent = told.getAttribute("data-moved").replace("{name}", named(row))
        .replace("{n}", String(ticked.indexOf(row) + 1)).replace("{count}", String(ticked.length));
    }
    // moving a row takes the focus away: give it back to the arrow, or its twin at an end
    (button.disabled ? row.querySelector('[data-move="' + (up ? "down" : "up") + '"]')
      : button).focus();
    later(150);
    roomLater();
  }

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
    var body = new FormData(form);  // the programme's notes are the client's: not in a URL
    fetch(form.getAttribute("data-room-url"),
          {method: "POST", body: body, cache: "no-store", credentials: "same-origin"})
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

  function roomLater() {
    window.clearTimeout(roomTimer);
    roomTimer = window.setTimeout(askRoom, 600);
  }

  function showProblems(wrong) {
    form.querySelectorAll(".problem.live").forEach(function (old) { old.remove(); });
    Object.keys(wrong).forEach(function (name) {
      var input = name ? form.elements[name] : null;
      var where = input && input.closest ? input.closest(".field") : null;
      var line = document.createElement("p");
      line.className = "problem live";
      line.setAttribute("role", "alert");
      line.textContent = wrong[name].join(" ");
      if (where === picker) {  // the programme as a whole: under its hint
        picker.querySelector(".hint").after(line);
      } else if (where) {
        where.appendChild(line);
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
    } else if (picker && picker.contains(event.target)) {
      roomLater();
    }
    later(600);
  });
  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "treatment" && picker && untouched()) {
      tickOwn(event.target.value);
    }
    if (name === "exercise") {
      place(event.target.closest(".exercise"));
      arrows();
      event.target.focus();  // moving its row took the focus away
    }
    if (name === "treatment" || name === "lang" || name === "exercise") {
      askRoom();
    }
    later(150);
  });
  if (rowsBox) {
    rowsBox.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (button) {
        event.preventDefault();
        move(button);
      }
    });
  }
  askRoom();
}());
