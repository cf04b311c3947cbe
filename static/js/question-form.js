// The question editor shows only the fields of the chosen type. Without JavaScript every part
// stays visible and the server still reads only the chosen type's fields.
(function () {
  "use strict";
  const type = document.getElementById("type");
  if (!type) return;
  const parts = document.querySelectorAll(".type-part");

  function showParts() {
    parts.forEach((part) => {
      part.hidden = !part.dataset.types.split(" ").includes(type.value);
    });
  }
  type.addEventListener("change", showParts);
  showParts();
})();
