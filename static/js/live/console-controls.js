// The host console's controls: every button with data-act sends that event, with a payload read
// from the button or the form beside it. A button that does not fit the current phase is
// disabled, but only as a courtesy: the server is the judge, and its refusal's message is shown.
// A secretary (data-can-act="false") sees every control disabled.

import { L, say } from "./client.js";
import { updateStage, wireStage } from "./console-stage.js";
import { drawPoll, pollFits, pollPayload, wirePoll } from "./console-poll.js";
import { drawFinal, finalFits, wireFinal } from "./console-final.js";

const root = document.getElementById("stage");
const $ = (id) => document.getElementById(id);
const message = $("console-message");
const CAN_ACT = root.dataset.canAct === "true";
const OPEN_PHASES = ["answering", "buzzers_open", "buzzed"];
const CONFIRM = { undo: "undo_confirm", "contest.finish": "finish_confirm" };

let client = null;
let parts = [];
let view = null;
const tiebreak = []; // team ids, best first
let busy = false;

export function wireControls(stageClient, runOfShow) {
  client = stageClient;
  parts = runOfShow;
  wireStage(stageClient);
  wirePoll(stageClient);
  wireFinal(stageClient); // packages, Rung chuông vàng, the ceremony, the buzzer's ties
  for (const button of document.querySelectorAll("[data-act]")) {
    button.addEventListener("click", () => send(button));
  }
  $("adjust-form").addEventListener("submit", (event) => event.preventDefault());
  for (const button of $("tiebreak-teams").querySelectorAll("[data-team]")) {
    button.addEventListener("click", () => {
      const team = Number(button.dataset.team);
      if (!tiebreak.includes(team)) tiebreak.push(team);
      drawTiebreak();
    });
  }
  $("tiebreak-clear").addEventListener("click", () => {
    tiebreak.length = 0;
    drawTiebreak();
  });
  updateControls(null);
}

function drawTiebreak() {
  const names = tiebreak.map((id) => $("tiebreak-teams").querySelector(`[data-team="${id}"]`).textContent);
  $("tiebreak-order").textContent = names.map((n, i) => `${i + 1}. ${n}`).join("  ");
  if (view) updateControls(view);
}

// ---- payloads ----------------------------------------------------------------------------------

function partQuestions() {
  const part = view && view.part && parts.find((p) => p.id === view.part.id);
  return part ? part.questions : [];
}

// Next / previous: the neighbour of the current question in the run of show (the first one
// when none is shown yet).
function stepTarget(step) {
  const questions = partQuestions();
  if (!questions.length) return null;
  const at = view.question ? questions.findIndex((q) => q.id === view.question.id) : -1;
  if (at === -1) return step > 0 ? questions[0] : null;
  return questions[at + step] || null;
}

function stageSheet() {
  if (!view || !view.stage || !view.part) return null;
  return view.sheets.find((s) => s.part === view.part.id && s.team === view.stage.team) || null;
}

const PAYLOADS = {
  "part.start": (b) => ({ part: Number(b.dataset.part) }),
  "question.show": (b) => {
    if (!b.dataset.step) return { question: Number(b.dataset.question) };
    const target = stepTarget(Number(b.dataset.step));
    return target ? { question: target.id } : null;
  },
  "buzz.mark": (b) => ({ correct: b.dataset.correct === "true" }),
  "timer.start": () => ({ seconds: Math.round(Number($("timer-seconds").value)) }),
  "scene.show": (b) => ({ scene: b.dataset.scene }),
  "stage.team": () => ({ team: Number($("stage-team").value) }),
  "scoring.close": () => ({ part: view.part.id, team: view.stage.team }),
  "scores.publish": () => ({ part: view.part.id, team: view.stage.team }),
  "score.adjust": () => {
    const points = $("adjust-points").valueAsNumber;
    const reason = $("adjust-reason").value.trim();
    if (!reason) {
      say(message, L.reason_required);
      return null;
    }
    return { team: Number($("adjust-team").value), points, reason };
  },
  undo: () => ({ seq: view.last_action }),
  "poll.open": pollPayload,
  "tiebreak.decide": () => {
    if (tiebreak.length < 2) {
      say(message, L.pick_two);
      return null;
    }
    return { order: [...tiebreak] };
  },
};

async function send(button) {
  if (!CAN_ACT || busy || !view) return;
  const type = button.dataset.act;
  const payload = PAYLOADS[type] ? PAYLOADS[type](button) : {};
  if (payload === null) return;
  if (CONFIRM[type] && !window.confirm(L[CONFIRM[type]])) return;
  busy = true;
  button.setAttribute("aria-busy", "true");
  const reply = await client.act(type, payload);
  busy = false;
  button.removeAttribute("aria-busy");
  if (reply.ok) {
    say(message, "");
    if (type === "score.adjust") {
      $("adjust-points").value = "";
      $("adjust-reason").value = "";
    }
    if (type === "tiebreak.decide") {
      tiebreak.length = 0;
      drawTiebreak();
    }
  } else {
    say(message, reply.message);
  }
}

// ---- which buttons fit the phase ---------------------------------------------------------------

function fits(button, v) {
  const q = v.question;
  const format = v.part ? v.part.format : null;
  const phase = q ? q.phase : null;
  const timer = v.timer || {};
  const performance = v.stage ? v.stage.performance : null;
  const running = Boolean(performance && (performance.elapsed_s === null || performance.elapsed_s === undefined));
  const sheet = stageSheet();
  const final = finalFits(button, v); // the final's formats decide first (console-final.js)
  if (final !== undefined) return final;
  switch (button.dataset.act) {
    case "part.start":
      return !running;
    case "question.show": {
      if (OPEN_PHASES.includes(phase)) return false;
      if (button.dataset.step) return Boolean(stepTarget(Number(button.dataset.step)));
      return Boolean(v.part) && Number(button.dataset.part) === v.part.id;
    }
    case "answers.open":
      return format === "all_answer" && phase === "shown";
    case "answers.close":
      return phase === "answering";
    case "reveal":
      return Boolean(q) && ["all_answer", "buzzer"].includes(format) && !["revealed", "buzzed"].includes(phase);
    case "buzzers.open":
      return format === "buzzer" && phase === "shown";
    case "buzzers.close":
      return phase === "buzzers_open";
    case "buzz.mark":
      return phase === "buzzed";
    case "timer.start":
      return phase !== "answering";
    case "timer.pause":
      return typeof timer.deadline === "number";
    case "timer.resume":
      return typeof timer.remaining === "number" && typeof timer.deadline !== "number";
    case "timer.reset":
      return phase !== "answering" && (typeof timer.deadline === "number" || typeof timer.remaining === "number");
    case "scene.show": {
      const scene = button.dataset.scene;
      if (["question", "options", "buzz"].includes(scene)) return Boolean(q);
      if (scene === "reveal") return phase === "revealed";
      if (scene === "stage") return Boolean(v.stage);
      return true;
    }
    case "stage.team":
      return format === "judged" && !running;
    case "performance.start":
      return Boolean(v.stage) && !performance;
    case "performance.stop":
      return running;
    case "scoring.close":
      return Boolean(sheet) && sheet.status === "open" && Object.keys(sheet.marks).length > 0;
    case "scores.publish":
      return Boolean(sheet) && sheet.status === "closed";
    case "undo":
      return v.last_action !== null && v.last_action !== undefined;
    case "contest.finish":
      return !v.finished && !running;
    case "tiebreak.decide":
      return tiebreak.length >= 2;
    case "poll.open":
    case "poll.close":
      return pollFits(button, v);
    default:
      return true;
  }
}

export function updateControls(current) {
  view = current;
  if (current) drawPoll(current);
  drawFinal(current);
  for (const button of document.querySelectorAll("[data-act]")) {
    button.disabled = !CAN_ACT || !current || !fits(button, current);
  }
  for (const field of document.querySelectorAll("#stage input, #stage select")) field.disabled = !CAN_ACT;
  updateStage(current);
}
