// The public scoreboard (templates/live/screens/scoreboard.html): standings only, for anyone.

import { L, StageClient } from "./client.js";
import { standingsList } from "./standings.js";

const root = document.getElementById("stage");
const box = document.getElementById("scoreboard-rows");
const part = document.getElementById("scoreboard-part");
const heading = document.getElementById("scoreboard-heading");

new StageClient({
  root,
  as: "scoreboard",
  onView(view) {
    part.textContent = view.part ? view.part.title : "";
    heading.textContent = view.finished ? L.results : L.standings;
    box.replaceChildren(standingsList(view.standings, view.finished));
  },
});
