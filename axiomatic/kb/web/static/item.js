// "copy" next to the Lean block: to the clipboard when the page may use it, else the text is selected.
(function () {
  "use strict";
  var button = document.getElementById("copy-button");
  if (!button) return;
  button.addEventListener("click", function () {
    var block = document.getElementById(button.dataset.target);
    var text = block.textContent;
    function selectIt() {
      var range = document.createRange();
      range.selectNodeContents(block);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      button.textContent = "selected: press Ctrl-C";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { button.textContent = "copied"; }, selectIt);
    } else {
      selectIt();
    }
  });
})();
