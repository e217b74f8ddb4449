// A filter box for the long lists of places (every state, metro and nonmetro area, grouped by state).
// The <select data-place-filter> works alone, without this script: this only adds a box above it that
// narrows the list to the areas whose name (or state) holds every word typed. The chosen area always
// stays in the list, so filtering never changes what the form sends.
(function () {
  "use strict";

  function words(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  }

  function matches(haystack, wanted) {
    return wanted.every(function (word) { return haystack.indexOf(word) !== -1; });
  }

  function enhance(select) {
    if (select.dataset.placeFilterReady) return;
    select.dataset.placeFilterReady = "1";
    var original = Array.prototype.map.call(select.children, function (node) { return node.cloneNode(true); });
    var total = select.querySelectorAll("option[value]:not([value=''])").length;

    var box = document.createElement("div");
    box.className = "place-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("span");
    input.type = "search";
    input.id = select.id + "-filter";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-controls", select.id);
    status.id = select.id + "-filter-status";
    status.className = "help";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    label.htmlFor = input.id;
    label.textContent = "Find an area in the list below";
    status.textContent = total + " areas";
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);

    function apply() {
      var wanted = words(input.value);
      var chosen = select.value;
      var shown = 0;
      var fragment = document.createDocumentFragment();
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var group = node.cloneNode(false);
          var groupWords = words(node.label).join(" ");
          Array.prototype.forEach.call(node.children, function (option) {
            var keep = option.value === chosen || matches(groupWords + " " + words(option.textContent).join(" "), wanted);
            if (keep) {
              group.appendChild(option.cloneNode(true));
              if (option.value) shown += 1;
            }
          });
          if (group.children.length) fragment.appendChild(group);
        } else {
          var keep = !node.value || node.value === chosen || matches(words(node.textContent).join(" "), wanted);
          if (keep) {
            fragment.appendChild(node.cloneNode(true));
            if (node.value) shown += 1;
          }
        }
      });
      select.replaceChildren(fragment);
      select.value = chosen;
      status.textContent = wanted.length ? shown + " of " + total + " areas match" : total + " areas";
    }

    input.addEventListener("input", apply);
    // The box is not part of the form's data: its own change must not submit the form through htmx.
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-place-filter]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
