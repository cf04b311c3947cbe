// The host console's controls for the final's formats (templates/live/screens/_console_final.html):
// the fair buzzer's ties, packages, Rung chuông vàng, the closing ceremony. Its buttons carry
// data-final-act (the event type); this module sends them, shows the server's refusals, and
// disables those that don't fit the phase — a courtesy only, the server decides. It also says
// which of the console's own buttons fit these formats (`finalFits`), and adds each buzz's
// latency and the tie's award buttons to the buzz order (`buzzExtras`).

import { L, el, fill, num, say } from "./client.js";
import { drawPackages, packagesFits, packagesPayload } from "./console-packages.js";
import { drawElimination, eliminationFits, eliminationPayload } from "./console-elimination.js";

const root = document.getElementById("stage");
const $ = (id) => document.getElementById(id);
const message = $("console-message");
const CAN_ACT = root.dataset.canAct === "true";
const BUZZER = ["buzzer", "sudden_death"];
const PENDING = ["shown", "steal_open", "stealing", "answering", "buzzers_open", "buzzed"];

let client = null;
let view = null;
let busy = false;

export function wireFinal(stageClient) {
  client = stageClient;
  $("console-final").addEventListener("click", (event) => {
    const button = event.target.closest("[data-final-act]");
    if (button) send(button.dataset.finalAct, button);
  });
  $("now-buzzes").addEventListener("click", (event) => {
    const button = event.target.closest("[data-award]");
    if (button) send("buzz.award", button, { team: Number(button.dataset.award) });
  });
}

async function send(type, button, given) {
  if (!CAN_ACT || busy || !view || button.disabled) return;
  const payload = given || packagesPayload(type, button, view) || eliminationPayload(type, button) || {};
  if (payload.error) {
    say(message, payload.error);
    return;
  }
  busy = true;
  button.setAttribute("aria-busy", "true");
  const reply = await client.act(type, payload);
  busy = false;
  button.removeAttribute("aria-busy");
  say(message, reply.ok ? "" : reply.message);
}

function format(v) {
  return v && v.part ? v.part.format : null;
}

// The console's own buttons (console-controls.js) in the final's formats; undefined: not ours.
export function finalFits(button, v) {
  const f = format(v);
  const q = v.question;
  const phase = q ? q.phase : null;
  const act = button.dataset.act;
  if (f === "sudden_death" && act === "buzzers.open") return phase === "shown";
  if (f === "sudden_death" && act === "reveal") return Boolean(q) && !["revealed", "buzzed"].includes(phase);
  if (f === "packages" && act === "reveal") return phase === "marked";
  if (f === "packages" && act === "question.show") return false; // the package's own list picks it
  if (f === "elimination" && act === "reveal") return Boolean(q) && phase !== "revealed";
  if (f === "elimination" && act === "answers.open") return phase === "shown";
  return undefined;
}

function ownFits(button, v) {
  const q = v.question;
  const phase = q ? q.phase : null;
  const podium = v.podium;
  switch (button.dataset.finalAct) {
    case "buzz.reset":
      return phase === "buzzed";
    case "scoreboard.freeze":
      return !v.frozen;
    case "scoreboard.unfreeze":
      return Boolean(v.frozen);
    case "podium.next":
      return !podium || podium.shown < podium.teams;
    case "podium.reset":
      return Boolean(podium);
    default: {
      const own = packagesFits(button, v, PENDING) ?? eliminationFits(button, v);
      return own ?? true;
    }
  }
}

export function drawFinal(current) {
  view = current;
  if (!current) return;
  const f = format(current);
  $("final-buzzer").hidden = !BUZZER.includes(f);
  for (const label of document.querySelectorAll("[data-format-label]")) label.hidden = label.dataset.formatLabel !== f;
  $("final-packages").hidden = f !== "packages";
  $("final-elimination").hidden = f !== "elimination";
  $("final-frozen").hidden = !current.frozen;
  const podium = current.podium;
  $("final-podium").textContent = podium ? fill(L.places_n, { n: podium.shown, total: podium.teams }) : "";
  if (f === "packages") drawPackages(current);
  if (f === "elimination") drawElimination(current);
  for (const button of $("console-final").querySelectorAll("[data-final-act]")) {
    button.disabled = !CAN_ACT || !ownFits(button, current);
  }
}

// What the buzz order adds per buzz: the pad's latency, the tie mark and its award button.
export function buzzExtras(q, buzz) {
  const tied = q.phase === "buzzed" && buzz.kind === "in" && (q.tied || []).length > 0
    && [q.winner, ...q.tied].includes(buzz.team);
  const parts = [];
  if (buzz.rtt_ms !== null && buzz.rtt_ms !== undefined) {
    parts.push(" ", el("span", { class: "buzz-rtt", text: `(${fill(L.rtt, { ms: num(buzz.rtt_ms) })})` }));
  }
  if (tied) {
    parts.push(" ", el("span", { class: "tag", text: L.tied }));
    if (CAN_ACT) parts.push(el("button", { type: "button", class: "button small buzz-award", "data-award": buzz.team, text: L.award }));
  }
  return { tied, parts };
}

// A device's latency in the device list (the server's own measure of its round trip).
export function deviceRtt(device) {
  if (device.rtt_ms === null || device.rtt_ms === undefined) return "";
  return ` · ${fill(L.rtt, { ms: num(device.rtt_ms) })}`;
}
