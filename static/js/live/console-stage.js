// The host console's big clock and rehearsal controls (templates/live/screens/console.html).
//
// "Đồng hồ lớn" is two actions in a row: start the stage timer with the seconds typed beside it,
// then put the timer scene on the projector, where it fills the screen. The rehearsal buttons
// are plain forms (POST with the CSRF token); ending a rehearsal asks first.

import { L, say } from "./client.js";

const $ = (id) => document.getElementById(id);
const CAN_ACT = document.getElementById("stage").dataset.canAct === "true";

let client = null;
let busy = false;

export function wireStage(stageClient) {
  client = stageClient;
  const button = $("big-timer");
  if (button) button.addEventListener("click", () => bigClock(button));
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

async function bigClock(button) {
  if (!CAN_ACT || busy) return;
  const seconds = Math.round(Number($("timer-seconds").value));
  busy = true;
  button.setAttribute("aria-busy", "true");
  let reply = await client.act("timer.start", { seconds });
  if (reply.ok) reply = await client.act("scene.show", { scene: "timer" });
  busy = false;
  button.removeAttribute("aria-busy");
  say($("console-message"), reply.ok ? "" : reply.message);
}

// The timer can't be restarted while a question's answers are open: it is their deadline.
export function updateStage(view) {
  const button = $("big-timer");
  if (!button) return;
  const phase = view && view.question ? view.question.phase : null;
  button.disabled = !CAN_ACT || !view || phase === "answering";
}
