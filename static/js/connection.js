// The live-connection light in the top bar of staff pages: staff in a hall must see at a glance
// whether live updates reach this screen. Uses the vendored socket.io-client (global `io`).
(function () {
  "use strict";
  const light = document.getElementById("live-status");
  if (!light || typeof io === "undefined") return;

  const socket = io("/staff", { transports: ["websocket", "polling"] });

  function show(state) {
    light.dataset.state = state;
    light.textContent = light.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)];
  }

  socket.on("connect", () => {
    socket.emit("whoami", (reply) => show(reply && reply.ok ? "online" : "offline"));
  });
  socket.on("disconnect", () => show("offline"));
  socket.on("connect_error", () => show("offline"));
})();
