/* Site-wide behaviour that used to sit in inline handlers, moved here so the CSP can forbid inline script
   (docs/adr/0012-hardening-and-backup.md).
   <a href="#" data-print-page>       prints the page
   <form data-confirm-submit="…">     asks before submitting
   <select data-autosubmit>           submits its form when changed */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-print-page]") : null;
    if (!link) return;
    event.preventDefault();
    window.print();
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm-submit");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
