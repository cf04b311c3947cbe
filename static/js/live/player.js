// A Rung chuông vàng player's phone (templates/live/screens/player.html): phone first.
//
// Every player shares one broadcast view (no seat in it); this phone reads its own state from
// the seats grid (`players.seats`) and its own answer from its `sync` (`me`) and its acks. It may
// answer only while it is in on a normal question, or out on a rescue question (`rescue > 0`).
// The answer area is rebuilt only when the question or what this seat may do changes, so the
// next player's answer arriving (a new `state`) never wipes a half-made choice.

import { L, StageClient, countdown, el, fill, say } from "./client.js";

const root = document.getElementById("stage");
const body = document.getElementById("player-body");
const message = document.getElementById("player-message");
const stateLine = document.getElementById("player-state");
const leftLine = document.getElementById("player-left");
const SEAT = Number(root.dataset.seat);

let shownKey = null;
let mine = { question: null, text: null }; // this seat's answer to the question on screen
let before = { question: null, state: null }; // this seat's state when the question opened
let rescued = false;
let lastState = null;
let sentLine = null;

const client = new StageClient({ root, as: "device", onView: draw });

function seatState(view) {
  if (view.me && view.me.seat === SEAT) return view.me.state;
  const grid = view.players ? view.players.seats : [];
  const found = grid.find((s) => s.seat === SEAT);
  return found ? found.state : "none";
}

function draw(view) {
  const state = seatState(view);
  if (lastState === "out" && state === "alive") rescued = true;
  if (state !== "alive") rescued = false;
  lastState = state;
  const q = view.question;
  if (view.me && q) mine = { question: q.id, text: view.me.answer };
  if (q && mine.question !== q.id) mine = { question: q.id, text: null };
  if (q && before.question !== q.id) before = { question: q.id, state };
  const shownState = state === "alive" && rescued ? "rescued" : state;
  stateLine.dataset.state = shownState;
  stateLine.textContent = L[`player_${shownState}`] || "";
  leftLine.textContent = view.players ? fill(L.left_n, view.players) : "";
  const answering = Boolean(q) && !("correct_text" in q);
  const mayAnswer = answering && (view.rescue ? state === "out" : state === "alive");
  const key = [q ? q.id : "", answering ? "open" : q ? "revealed" : "", mayAnswer, state].join(":");
  if (key !== shownKey) {
    shownKey = key;
    body.replaceChildren(...build(view, { answering, mayAnswer, state }).filter(Boolean));
  }
  if (sentLine) sentLine.textContent = mine.text ? fill(L.sent, { answer: mine.text }) : "";
}

function build(view, { answering, mayAnswer, state }) {
  const q = view.question;
  sentLine = null;
  if (!q) return [el("p", { class: "pad-big pad-waiting", text: L.waiting })];
  const number = el("p", { class: "pad-number", text: fill(L.question_n, { n: q.number }) });
  const rescue = view.rescue ? el("p", { class: "player-rescue", text: fill(L.rescue_question, { n: view.rescue }) }) : null;
  const stem = el("div", { class: "pad-stem", html: q.stem_html });
  if (answering && mayAnswer) {
    sentLine = el("p", { class: "pad-sent", role: "status" });
    return [number, rescue, countdown(view.timer, { cls: "countdown pad-countdown" }), stem, answerArea(q), sentLine];
  }
  if (answering) return [number, rescue, stem, el("p", { class: "player-watch", text: L.watch })];
  return [number, stem, result(view, state)];
}

function result(view, state) {
  const q = view.question;
  let verdict = null;
  if (view.rescue && before.state === "out" && state === "alive") verdict = [L.back_in, "pad-right"];
  else if (!view.rescue && before.state === "alive") verdict = state === "alive" ? [L.still_in, "pad-right"] : [L.fell, "pad-wrong"];
  return el("div", { class: "pad-result" },
    verdict ? el("p", { class: `pad-big ${verdict[1]}`, text: verdict[0] }) : null,
    mine.text ? el("p", { class: "pad-mine", text: `${L.my_answer}: ${mine.text}` }) : null,
    el("p", { class: "pad-correct is-correct" }, el("strong", { text: `${L.correct_answer}: ` }), q.correct_text || ""));
}

async function send(response, shown) {
  say(message, L.sending, "info");
  const reply = await client.act("answer.submit", { question: client.view.question.id, response });
  if (reply.ok) {
    say(message, "");
    mine = { question: client.view.question.id, text: shown };
    if (sentLine) sentLine.textContent = fill(L.sent, { answer: shown });
  } else {
    say(message, reply.message);
  }
}

function choose(box, button) {
  for (const other of box.querySelectorAll(".pad-option")) other.classList.toggle("is-chosen", other === button);
}

function answerArea(q) {
  if (q.type === "true_false") {
    const box = el("div", { class: "pad-options pad-two" });
    for (const [value, label] of [[true, L.true], [false, L.false]]) {
      const button = el("button", { type: "button", class: "pad-option", text: label });
      button.addEventListener("click", () => {
        choose(box, button);
        send(value, label);
      });
      box.append(button);
    }
    return box;
  }
  if (q.options) {
    const multiple = q.type === "multiple";
    const box = el("div", { class: "pad-options player-options" });
    for (const option of q.options) {
      const button = el("button", { type: "button", class: "pad-option", "data-index": option.index },
        el("span", { class: "pad-letter", text: option.letter }), el("span", { class: "pad-option-text", text: option.text }));
      button.addEventListener("click", () => {
        if (multiple) {
          button.classList.toggle("is-chosen");
          return;
        }
        choose(box, button);
        send(option.index, option.letter);
      });
      box.append(button);
    }
    if (!multiple) return box;
    const submit = el("button", { type: "button", class: "button primary pad-send", text: L.send });
    submit.addEventListener("click", () => {
      const chosen = [...box.querySelectorAll(".is-chosen")].map((b) => Number(b.dataset.index));
      if (chosen.length) send(chosen, chosen.map((i) => q.options[i].letter).join(", "));
    });
    return el("div", {}, box, submit);
  }
  const input = el("input", { type: "text", class: "pad-input", "aria-label": L.type_answer, placeholder: L.type_answer, autocomplete: "off" });
  const form = el("form", { class: "pad-text" }, input, el("button", { type: "submit", class: "button primary pad-send", text: L.send }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim()) send(input.value.trim(), input.value.trim());
  });
  return form;
}
