// Enhancement only: shows a print button on the receipt page. Without JavaScript the
// browser's own print command does the same, with the print stylesheet.
(function () {
  var button = document.getElementById("print-receipt");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
