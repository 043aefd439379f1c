// Enhancement only: filters the unit list as the user types, ignoring Vietnamese diacritics.
// Without JavaScript the same filter works by submitting the search form.
(function () {
  var input = document.querySelector("[data-unit-filter]");
  if (!input) return;
  var select = document.getElementById(input.getAttribute("data-unit-filter"));
  if (!select) return;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  input.addEventListener("input", function () {
    var needle = fold(input.value.trim());
    Array.prototype.forEach.call(select.querySelectorAll("option[data-search]"), function (option) {
      option.hidden = needle !== "" && option.getAttribute("data-search").indexOf(needle) === -1;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  });
})();
